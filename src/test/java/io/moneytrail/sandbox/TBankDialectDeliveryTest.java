package io.moneytrail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * T-Bank counts a notification delivered only when the merchant answers HTTP 200 with the body
 * {@code OK}; anything else is retried. The sandbox's dialect keeps that rule, so an integration
 * answering some other 2xx is caught here rather than in production.
 */
class TBankDialectDeliveryTest {

    private final TBankDialect dialect = new TBankDialect(null, null, null);

    @Test
    void the_dialect_retries_a_notification_unless_the_answer_is_200_with_the_body_ok() {
        assertThat(dialect.delivered(200, "OK")).isTrue();
        assertThat(dialect.delivered(200, "OK\n")).isTrue();
        assertThat(dialect.delivered(200, "{\"received\":true}")).isFalse();
        assertThat(dialect.delivered(200, "")).isFalse();
        assertThat(dialect.delivered(204, "")).isFalse();
        assertThat(dialect.delivered(500, "OK")).isFalse();
    }

    @Test
    void other_dialects_accept_any_2xx() {
        SandboxDialect anyOther = new SandboxDialect() {
            @Override
            public String name() {
                return "other";
            }

            @Override
            public List<Notification> notifications(String change, SandboxPayment payment,
                                                              SandboxPayment.Refund refund, Instant now) {
                return List.of();
            }

            @Override
            public HttpRequest request(WebhookDispatcher.Pending notification, Instant now) {
                return null;
            }

            @Override
            public String confirmationUrl(SandboxPayment payment) {
                return null;
            }
        };
        assertThat(anyOther.delivered(204, "")).isTrue();
        assertThat(anyOther.delivered(200, "{}")).isTrue();
        assertThat(anyOther.delivered(302, "")).isFalse();
    }
}
