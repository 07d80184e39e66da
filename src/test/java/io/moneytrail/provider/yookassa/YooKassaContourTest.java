package io.moneytrail.provider.yookassa;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The whole YooKassa contour on one machine: Moneytrail's YooKassa adapter against the sandbox's
 * YooKassa dialect (ApiTest points {@code moneytrail.yookassa.api-base} at {@code /sandbox/yookassa}),
 * the customer on the dialect's hosted page, YooKassa-shaped notifications from loopback (a
 * trusted network in the tests), and the resolver when an answer is lost.
 */
class YooKassaContourTest extends ApiTest {

    private static final String RETURN_URL = "https://shop.example/orders/return";

    /** A RUB order of {@code amountMinor} kopecks. */
    private String order(long amountMinor) {
        return api.post("/v1/orders", """
                {"currency":"RUB","reference":"YK-1","customer":{"email":"buyer@example.com"},
                 "lines":[{"sku":"SKU-1","name":"Thing","quantity":1,"unit_amount":%d,"vat_rate":22}]}"""
                .formatted(amountMinor)).expect(200).text("id");
    }

    private Api.Response payment(String order, String captureMethod) {
        return api.post("/v1/orders/" + order + "/payments", "{\"provider\":\"yookassa\",\"capture_method\":\""
                + captureMethod + "\",\"return_url\":\"" + RETURN_URL + "\"}").expect(200);
    }

    private static String redirect(Api.Response payment) {
        return payment.body().path("next_action").path("redirect_url").asText();
    }

    /** YooKassa's own view of a payment, asked as the shop would ask it. */
    private JsonNode atYooKassa(String path) {
        String basic = Base64.getEncoder().encodeToString("100500:test_sandbox_yookassa_local"
                .getBytes(StandardCharsets.UTF_8));
        return api.send(HttpRequest.newBuilder(java.net.URI.create(api.base() + "/sandbox/yookassa/v3" + path))
                .header("Authorization", "Basic " + basic).GET().build()).expect(200).body();
    }

    private Api.Response notify(String body, String forwardedFor) {
        HttpRequest.Builder request = HttpRequest.newBuilder(java.net.URI.create(api.base() + "/v1/webhooks/yookassa"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return api.send(request.build());
    }

    @Test
    void two_stage_payment_partial_capture_and_two_partial_refunds_end_as_yookassa_says() {
        String order = order(150_000);
        Api.Response created = payment(order, "manual");
        String payment = created.text("id");
        String yookassaId = created.text("provider_payment_id");
        assertThat(created.text("status")).isEqualTo("requires_action");
        assertThat(yookassaId).hasSize(36).matches("[0-9a-f]{8}-000f-5000-[89ab]000-[0-9a-f]{12}");
        assertThat(redirect(created)).isEqualTo(api.base()
                + "/sandbox/yookassa/checkout/payments/v2/contract?orderId=" + yookassaId);

        assertThat(api.completeSandboxPage(redirect(created), "succeeded")).isEqualTo(303);
        api.eventually("/v1/payments/" + payment, r -> "authorized".equals(r.text("status")));
        assertThat(atYooKassa("/payments/" + yookassaId).path("status").asText()).isEqualTo("waiting_for_capture");

        Api.Response captured = api.post("/v1/payments/" + payment + "/capture", "{\"amount\":100000}").expect(200);
        // YooKassa has one capture: a partial one completes the payment and releases the rest
        assertThat(captured.text("status")).isEqualTo("captured");
        assertThat(captured.number("amount_captured")).isEqualTo(100_000);
        assertThat(captured.number("amount_capturable")).isZero();
        // so neither a second capture nor a release of "the rest" is ever sent
        assertThat(api.post("/v1/payments/" + payment + "/capture", "{\"amount\":10000}").status()).isEqualTo(409);
        assertThat(api.post("/v1/payments/" + payment + "/cancel", null).status()).isEqualTo(409);

        String first = api.post("/v1/refunds", "{\"payment\":\"" + payment + "\",\"amount\":30000}").expect(200)
                .text("id");
        String second = api.post("/v1/refunds", "{\"payment\":\"" + payment + "\",\"amount\":20000}").expect(200)
                .text("id");
        api.eventually("/v1/refunds/" + first, r -> "succeeded".equals(r.text("status")));
        api.eventually("/v1/refunds/" + second, r -> "succeeded".equals(r.text("status")));
        api.eventually("/v1/orders/" + order, r -> "partially_refunded".equals(r.text("payment_status")));
        assertThat(api.get("/v1/payments/" + payment).number("amount_refunded")).isEqualTo(50_000);

        JsonNode atYooKassa = atYooKassa("/payments/" + yookassaId);
        assertThat(atYooKassa.path("status").asText()).isEqualTo("succeeded");
        assertThat(atYooKassa.path("amount").path("value").asText()).isEqualTo("1000.00");
        assertThat(atYooKassa.path("refunded_amount").path("value").asText()).isEqualTo("500.00");
        assertThat(atYooKassa.path("metadata").path("order_id").asText()).isEqualTo(order);
        assertThat(atYooKassa.path("metadata").path("payment_id").asText()).isEqualTo(payment);
        JsonNode refunds = atYooKassa("/refunds?payment_id=" + yookassaId).path("items");
        assertThat(refunds).hasSize(2);
        assertThat(refunds.get(0).path("metadata").path("refund_id").asText()).isEqualTo(first);
        assertThat(refunds.get(1).path("metadata").path("refund_id").asText()).isEqualTo(second);
        // the ledger agrees: 1000.00 captured, 500.00 refunded, nothing left authorised
        api.eventually("/v1/orders/" + order, r -> r.number("amount_captured") == 100_000
                && r.number("amount_refunded") == 50_000);
    }

    @Test
    void a_one_stage_payment_with_3_d_secure_is_captured_at_once() {
        String order = order(99_000);
        Api.Response created = payment(order, "automatic");
        api.completeSandboxPage(redirect(created), "3ds_succeeded");
        Api.Response paid = api.eventually("/v1/payments/" + created.text("id"),
                r -> "captured".equals(r.text("status")));
        assertThat(paid.number("amount_captured")).isEqualTo(99_000);
        JsonNode atYooKassa = atYooKassa("/payments/" + created.text("provider_payment_id"));
        assertThat(atYooKassa.path("authorization_details").path("three_d_secure").path("applied").asBoolean())
                .isTrue();
        api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));
    }

    @Test
    void a_declined_payment_fails_with_yookassas_cancellation_reason() {
        Api.Response created = payment(order(50_000), "automatic");
        api.completeSandboxPage(redirect(created), "declined");
        Api.Response failed = api.eventually("/v1/payments/" + created.text("id"),
                r -> "failed".equals(r.text("status")));
        assertThat(failed.text("failure_code")).isEqualTo("general_decline");
        assertThat(failed.text("failure_message")).contains("payment network");
        assertThat(failed.number("amount_captured")).isZero();
    }

    @Test
    void a_failed_3_d_secure_fails_with_3d_secure_failed() {
        Api.Response created = payment(order(50_000), "manual");
        api.completeSandboxPage(redirect(created), "3ds_failed");
        Api.Response failed = api.eventually("/v1/payments/" + created.text("id"),
                r -> "failed".equals(r.text("status")));
        assertThat(failed.text("failure_code")).isEqualTo("3d_secure_failed");
    }

    @Test
    void a_void_releases_the_authorisation() {
        Api.Response created = payment(order(70_000), "manual");
        String payment = created.text("id");
        api.completeSandboxPage(redirect(created), "succeeded");
        api.eventually("/v1/payments/" + payment, r -> "authorized".equals(r.text("status")));
        Api.Response voided = api.post("/v1/payments/" + payment + "/cancel", null).expect(200);
        assertThat(voided.text("status")).isEqualTo("voided");
        JsonNode atYooKassa = atYooKassa("/payments/" + created.text("provider_payment_id"));
        assertThat(atYooKassa.path("status").asText()).isEqualTo("canceled");
        assertThat(atYooKassa.path("cancellation_details").path("reason").asText()).isEqualTo("canceled_by_merchant");
    }

    @Test
    void a_currency_yookassa_does_not_take_is_refused_before_any_intent() {
        String order = api.post("/v1/orders", """
                {"currency":"JPY","reference":"YK-J","customer":{"email":"buyer@example.com"},
                 "lines":[{"sku":"SKU-1","name":"Thing","quantity":1,"unit_amount":500,"vat_rate":10}]}""")
                .expect(200).text("id");
        Api.Response refused = api.post("/v1/orders/" + order + "/payments",
                "{\"provider\":\"yookassa\",\"capture_method\":\"automatic\",\"return_url\":\"" + RETURN_URL + "\"}");
        assertThat(refused.status()).isBetween(400, 499);
        assertThat(refused.errorCode()).isEqualTo("provider_unsupported");
        assertThat(api.get("/v1/orders/" + order).text("payment_status")).isEqualTo("unpaid");
    }

    @Test
    void a_payment_the_customer_has_not_confirmed_cannot_be_canceled_at_yookassa() {
        Api.Response created = payment(order(60_000), "manual");
        Api.Response refused = api.post("/v1/payments/" + created.text("id") + "/cancel", null);
        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.raw()).contains("waiting_for_capture");
        assertThat(api.get("/v1/payments/" + created.text("id")).text("status")).isEqualTo("requires_action");
        assertThat(atYooKassa("/payments/" + created.text("provider_payment_id")).path("status").asText())
                .isEqualTo("pending");
    }

    @Test
    void a_capture_whose_answer_times_out_is_settled_by_the_resolver() {
        Api.Response created = payment(order(330_000), "manual");
        String payment = created.text("id");
        String yookassaId = created.text("provider_payment_id");
        api.completeSandboxPage(redirect(created), "succeeded");
        api.eventually("/v1/payments/" + payment, r -> "authorized".equals(r.text("status")));
        // YooKassa does the capture but its answer comes after our 2 s, and its notification is lost
        api.sandbox("POST", "/faults", "{\"payment\":\"" + yookassaId + "\",\"api\":\"timeout\",\"api_timeout_ms\":3000,"
                + "\"webhook\":\"drop\"}").expect(200);
        Api.Response timedOut = api.post("/v1/payments/" + payment + "/capture", "{\"amount\":100000}",
                "cap-" + payment);
        assertThat(timedOut.status()).isEqualTo(502);
        api.sandbox("DELETE", "/faults?payment=" + yookassaId, null).expect(200);
        Api.Response settled = api.eventually("/v1/payments/" + payment, r -> "captured".equals(r.text("status")));
        assertThat(settled.number("amount_captured")).isEqualTo(100_000);
        // no notification told us: YooKassa's payment.succeeded was dropped, the resolver asked
        JsonNode events = api.sandbox("GET", "/events?payment=" + yookassaId, null).expect(200).body().path("data");
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("payment.succeeded");
            assertThat(e.path("dropped").asBoolean()).isTrue();
        });
        assertThat(atYooKassa("/payments/" + yookassaId).path("amount").path("value").asText()).isEqualTo("1000.00");
    }

    @Test
    void a_notification_from_outside_the_trusted_networks_changes_nothing() {
        Api.Response created = payment(order(40_000), "automatic");
        String payment = created.text("id");
        String yookassaId = created.text("provider_payment_id");
        String forged = "{\"type\":\"notification\",\"event\":\"payment.succeeded\",\"object\":{\"id\":\""
                + yookassaId + "\",\"status\":\"succeeded\",\"paid\":true,\"amount\":{\"value\":\"400.00\","
                + "\"currency\":\"RUB\"},\"metadata\":{\"payment_id\":\"" + payment + "\"}}}";
        // sent through the tests' trusted proxy (loopback) on behalf of an address YooKassa does not use
        Api.Response refused = notify(forged, "203.0.113.7");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("signature_invalid");
        assertThat(refused.raw()).contains("203.0.113.7");
        Api.sleep(300);
        assertThat(api.get("/v1/payments/" + payment).text("status")).isEqualTo("requires_action");
        assertThat(api.get("/v1/inbound_webhooks?status=rejected&limit=100").raw()).contains("203.0.113.7");
    }

    @Test
    void a_lying_notification_from_a_trusted_address_changes_nothing() {
        String order = order(45_000);
        Api.Response created = payment(order, "automatic");
        String payment = created.text("id");
        String yookassaId = created.text("provider_payment_id");
        // it says the payment succeeded; YooKassa's API says it is pending: the API wins
        String lie = "{\"type\":\"notification\",\"event\":\"payment.succeeded\",\"object\":{\"id\":\""
                + yookassaId + "\",\"status\":\"succeeded\",\"paid\":true,\"amount\":{\"value\":\"450.00\","
                + "\"currency\":\"RUB\"},\"captured_at\":\"2026-05-04T07:05:12.310Z\",\"metadata\":{\"payment_id\":\""
                + payment + "\",\"nonce\":\"" + UUID.randomUUID() + "\"}}}";
        Api.Response accepted = notify(lie, null);
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.text("status")).isEqualTo("processed");
        assertThat(api.get("/v1/payments/" + payment).text("status")).isEqualTo("requires_action");
        assertThat(api.get("/v1/orders/" + order).text("payment_status")).isEqualTo("pending");

        // it names another of our payments: the fetched payment belongs elsewhere, nothing is applied
        Api.Response other = payment(order(46_000), "automatic");
        String misattributed = lie.replace("\"payment_id\":\"" + payment, "\"payment_id\":\"" + other.text("id"));
        assertThat(notify(misattributed, null).text("status")).isEqualTo("unmatched");
        assertThat(api.get("/v1/payments/" + other.text("id")).text("status")).isEqualTo("requires_action");

        // the real payment and its real notification still go through afterwards
        api.completeSandboxPage(redirect(created), "succeeded");
        api.eventually("/v1/payments/" + payment, r -> "captured".equals(r.text("status")));
    }
}
