package io.moneytrail.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(1_000, 3_600_000, new Random(42));

    @Test
    void the_ceiling_starts_at_the_base_doubles_per_failure_and_stops_at_the_cap() {
        assertThat(backoff.ceilingMs(1)).isEqualTo(1_000);
        assertThat(backoff.ceilingMs(2)).isEqualTo(2_000);
        assertThat(backoff.ceilingMs(3)).isEqualTo(4_000);
        assertThat(backoff.ceilingMs(12)).isEqualTo(2_048_000);
        assertThat(backoff.ceilingMs(13)).isEqualTo(3_600_000);
        assertThat(backoff.ceilingMs(64)).isEqualTo(3_600_000);
        assertThat(backoff.ceilingMs(Integer.MAX_VALUE)).isEqualTo(3_600_000);
        for (int n = 1; n < 40; n++) {
            assertThat(backoff.ceilingMs(n + 1)).isGreaterThanOrEqualTo(backoff.ceilingMs(n));
        }
    }

    @Test
    void delays_are_fully_jittered_within_the_ceiling_and_grow_on_average() {
        double previousMean = 0;
        for (int n = 1; n <= 14; n++) {
            long ceiling = backoff.ceilingMs(n);
            long sum = 0;
            long min = Long.MAX_VALUE;
            long max = 0;
            int samples = 2_000;
            for (int i = 0; i < samples; i++) {
                long delay = backoff.delayMs(n);
                assertThat(delay).isBetween(0L, ceiling);
                sum += delay;
                min = Math.min(min, delay);
                max = Math.max(max, delay);
            }
            double mean = (double) sum / samples;
            // uniform on [0, ceiling]: the mean is about half the ceiling and the spread covers it
            assertThat(mean).isBetween(ceiling * 0.45, ceiling * 0.55);
            assertThat(min).isLessThan(ceiling / 10);
            assertThat(max).isGreaterThan(ceiling * 9 / 10);
            if (n == 1 || ceiling > backoff.ceilingMs(n - 1)) {
                assertThat(mean).isGreaterThan(previousMean);
            }
            previousMean = mean;
        }
    }
}
