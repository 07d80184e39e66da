package io.moneytrail.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OutboundPropertiesTest {

    @Test
    void defaults_are_the_documented_ones() {
        OutboundProperties defaults = new OutboundProperties(null, null, null, null, null, null, null, null, null, null, null);
        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.pollIntervalMs()).isEqualTo(500);
        assertThat(defaults.attemptsMax()).isEqualTo(12);
        assertThat(defaults.backoffBaseMs()).isEqualTo(1_000);
        assertThat(defaults.backoffCapMs()).isEqualTo(3_600_000);
        assertThat(defaults.connectTimeoutMs()).isEqualTo(2_000);
        assertThat(defaults.requestTimeoutMs()).isEqualTo(10_000);
        assertThat(defaults.leaseMs()).isEqualTo(30_000);
        assertThat(defaults.batchSize()).isEqualTo(50);
        assertThat(defaults.senders()).isEqualTo(4);
        assertThat(defaults.allowPrivate()).isFalse();
    }

    @Test
    void a_lease_shorter_than_an_attempt_or_unbounded_retries_are_refused() {
        assertThatThrownBy(() -> new OutboundProperties(null, null, null, null, null, 2_000L, 10_000L, 15_000L, null, null, null))
                .hasMessageContaining("lease-ms");
        assertThatThrownBy(() -> new OutboundProperties(null, null, 0, null, null, null, null, null, null, null, null))
                .hasMessageContaining("attempts-max");
        assertThatThrownBy(() -> new OutboundProperties(null, null, null, 10_000L, 1_000L, null, null, null, null, null, null))
                .hasMessageContaining("backoff");
    }
}
