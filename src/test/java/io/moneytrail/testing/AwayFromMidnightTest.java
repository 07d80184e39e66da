package io.moneytrail.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AwayFromMidnightTest {

    @Test
    void waits_until_just_past_utc_midnight_when_it_is_near() {
        assertThat(AwayFromMidnight.waitAt(Instant.parse("2026-12-01T23:58:30Z"))).isEqualTo(Duration.ofSeconds(91));
    }

    @Test
    void waits_until_just_past_moscow_midnight_which_is_21_00_utc() {
        assertThat(AwayFromMidnight.waitAt(Instant.parse("2026-12-01T20:59:00Z"))).isEqualTo(Duration.ofSeconds(61));
    }

    @Test
    void does_not_wait_in_the_middle_of_the_day_or_just_after_midnight() {
        assertThat(AwayFromMidnight.waitAt(Instant.parse("2026-12-01T12:00:00Z"))).isZero();
        assertThat(AwayFromMidnight.waitAt(Instant.parse("2026-12-02T00:00:01Z"))).isZero();
        assertThat(AwayFromMidnight.waitAt(Instant.parse("2026-12-01T23:56:59Z"))).isZero();
    }
}
