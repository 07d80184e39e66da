package io.moneytrail.provider.yookassa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.payment.ProviderWebhook;
import io.moneytrail.payment.WebhookRejectedException;
import io.moneytrail.testing.ProviderExamples;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class YooKassaNotificationsTest {

    private final YooKassaNotifications notifications = new YooKassaNotifications(
            TrustedNetworks.parse(YooKassaProperties.YOOKASSA_NETWORKS), new JsonMapper(), Clock.systemUTC());

    private static byte[] example(String name) {
        return ProviderExamples.text("yookassa/" + name).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_documented_payment_notification_from_yookassas_network_names_its_payment() throws Exception {
        ProviderWebhook hook = notifications.verify(example("notification-payment-waiting-for-capture.json"),
                "185.71.76.10");
        assertThat(hook.type()).isEqualTo("payment.waiting_for_capture");
        assertThat(hook.providerPaymentId()).isEqualTo("2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f");
        assertThat(hook.eventId()).startsWith("payment.waiting_for_capture:2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f:");
        assertThat(hook.created()).hasToString("2026-05-04T07:00:00.125Z");
    }

    @Test
    void a_refund_notification_names_the_refunds_payment() throws Exception {
        ProviderWebhook hook = notifications.verify(example("notification-refund-succeeded.json"), "77.75.156.35");
        assertThat(hook.type()).isEqualTo("refund.succeeded");
        assertThat(hook.providerPaymentId()).isEqualTo("2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f");
        assertThat(hook.merchantReference()).isNull();
    }

    @Test
    void the_same_notification_again_is_the_same_event_and_another_body_is_another() throws Exception {
        byte[] body = example("notification-payment-succeeded.json");
        String first = notifications.verify(body, "185.71.77.1").eventId();
        assertThat(notifications.verify(body.clone(), "185.71.77.2").eventId()).isEqualTo(first);
        String other = new String(body, StandardCharsets.UTF_8).replace("965.00", "1000.00");
        assertThat(notifications.verify(other.getBytes(StandardCharsets.UTF_8), "185.71.77.1").eventId())
                .isNotEqualTo(first);
    }

    @Test
    void a_notification_from_outside_the_trusted_networks_is_refused() {
        assertThatThrownBy(() -> notifications.verify(example("notification-payment-succeeded.json"), "127.0.0.1"))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessageContaining("127.0.0.1").hasMessageContaining("trusted-networks");
        assertThatThrownBy(() -> notifications.verify(example("notification-payment-succeeded.json"), null))
                .isInstanceOf(WebhookRejectedException.class);
        YooKassaNotifications loopbackOnly = new YooKassaNotifications(TrustedNetworks.parse(List.of("127.0.0.1/32")),
                new JsonMapper(), Clock.systemUTC());
        assertThatThrownBy(() -> loopbackOnly.verify(example("notification-payment-succeeded.json"), "185.71.76.10"))
                .isInstanceOf(WebhookRejectedException.class);
    }

    @Test
    void what_is_not_a_notification_we_subscribe_to_is_refused() {
        assertThatThrownBy(() -> notifications.verify(("{\"type\":\"notification\",\"event\":\"payout.succeeded\","
                + "\"object\":{\"id\":\"po-1\"}}").getBytes(StandardCharsets.UTF_8), "185.71.76.10"))
                .hasMessageContaining("payout.succeeded");
        assertThatThrownBy(() -> notifications.verify("{\"event\":\"payment.succeeded\",\"object\":{\"id\":\"x\"}}"
                .getBytes(StandardCharsets.UTF_8), "185.71.76.10")).hasMessageContaining("type");
        assertThatThrownBy(() -> notifications.verify("not json".getBytes(StandardCharsets.UTF_8), "185.71.76.10"))
                .hasMessageContaining("JSON");
        assertThatThrownBy(() -> notifications.verify(("{\"type\":\"notification\",\"event\":\"payment.succeeded\","
                + "\"object\":{}}").getBytes(StandardCharsets.UTF_8), "185.71.76.10")).hasMessageContaining("object.id");
    }

    @Test
    void fields_that_are_objects_or_arrays_where_text_belongs_are_refused_not_a_failure() {
        // EveryEndpointFuzzTest seed 446561907979581274 once sent {"type": {...}}: that was a 500
        for (String hostile : List.of(
                "{\"type\":{\"a\":1},\"event\":\"payment.succeeded\",\"object\":{\"id\":\"x\"}}",
                "{\"type\":\"notification\",\"event\":[\"payment.succeeded\"],\"object\":{\"id\":\"x\"}}",
                "{\"type\":\"notification\",\"event\":\"payment.succeeded\",\"object\":{\"id\":{\"x\":1}}}")) {
            assertThatThrownBy(() -> notifications.verify(hostile.getBytes(StandardCharsets.UTF_8), "185.71.76.10"))
                    .as(hostile).isInstanceOf(WebhookRejectedException.class);
        }
    }
}
