package io.moneytrail.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code POST /v1/orders/{id}/checkout_sessions} and {@code GET /v1/checkout_sessions/{id}}. */
class CheckoutSessionsTest extends ApiTest {

    @Autowired
    FunnelEvents funnel;

    static String order(Api api, String currency, long unitAmount) {
        return api.post("/v1/orders", """
                {"currency":"%s","reference":"CHK-%s","customer":{"email":"ann@example.com"},
                 "lines":[{"sku":"MUG-1","name":"Mug","quantity":2,"unit_amount":%d,"vat_rate":22}]}"""
                .formatted(currency, UUID.randomUUID().toString().substring(0, 8), unitAmount)).expect(200).text("id");
    }

    static Api.Response session(Api api, String order, String extra) {
        return api.post("/v1/orders/" + order + "/checkout_sessions",
                "{\"return_url\":\"https://shop.example/done\",\"cancel_url\":\"https://shop.example/cart\"" + extra + "}");
    }

    @Test
    void a_session_has_an_unguessable_absolute_url_and_expires_within_the_lifetime() {
        String order = order(api, "EUR", 1250);
        long before = Instant.now().getEpochSecond();
        Api.Response created = session(api, order, "").expect(200);
        assertThat(created.text("id")).startsWith("chk_");
        assertThat(created.text("object")).isEqualTo("checkout_session");
        assertThat(created.text("status")).isEqualTo("open");
        String url = created.text("url");
        assertThat(url).startsWith("http://localhost:" + port + "/checkout/");
        String token = url.substring(url.lastIndexOf('/') + 1);
        assertThat(token).doesNotContain(created.text("id").substring(4)).hasSizeGreaterThanOrEqualTo(43)
                .matches("[A-Za-z0-9_-]+");
        assertThat(created.number("expires_at")).isBetween(before + 3600 - 5, Instant.now().getEpochSecond() + 3600);
        assertThat(api.get("/v1/checkout_sessions/" + created.text("id")).expect(200).text("url")).isEqualTo(url);
    }

    @Test
    void the_same_idempotency_key_answers_the_same_session() {
        String order = order(api, "EUR", 1250);
        String key = "chk-" + UUID.randomUUID();
        String body = "{\"return_url\":\"https://shop.example/done\"}";
        Api.Response first = api.post("/v1/orders/" + order + "/checkout_sessions", body, key).expect(200);
        Api.Response second = api.post("/v1/orders/" + order + "/checkout_sessions", body, key).expect(200);
        assertThat(second.text("id")).isEqualTo(first.text("id"));
        assertThat(second.text("url")).isEqualTo(first.text("url"));
    }

    @Test
    void a_session_expires_with_its_order_when_the_order_expires_first() {
        String order = order(api, "EUR", 1250);
        // the order was made 23.5 hours ago: it expires (24 h) in 30 minutes, before the session's hour
        jdbc.sql("update orders set created_at = now() - interval '23 hours 30 minutes' where id = :id")
                .param("id", order).update();
        Api.Response created = session(api, order, "").expect(200);
        long now = Instant.now().getEpochSecond();
        assertThat(created.number("expires_at")).isBetween(now + 1800 - 10, now + 1800 + 5);
    }

    @Test
    void paid_cancelled_and_expired_orders_are_refused_with_the_reason() {
        String paid = order(api, "EUR", 1250);
        Api.Response payment = api.createPayment(paid, "automatic").expect(200);
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/orders/" + paid, r -> r.text("payment_status").equals("paid"));
        Api.Response refused = session(api, paid, "").expect(409);
        assertThat(refused.errorCode()).isEqualTo("order_already_paid");
        assertThat(refused.raw()).contains("paid");

        String cancelled = order(api, "EUR", 1250);
        api.post("/v1/orders/" + cancelled + "/cancel", null).expect(200);
        assertThat(session(api, cancelled, "").expect(409).errorCode()).isEqualTo("order_cancelled");

        String old = order(api, "EUR", 1250);
        jdbc.sql("update orders set created_at = now() - interval '25 hours' where id = :id").param("id", old).update();
        assertThat(session(api, old, "").expect(409).errorCode()).isEqualTo("order_expired");
    }

    @Test
    void bad_requests_name_the_field() {
        String order = order(api, "EUR", 1250);
        assertThat(api.post("/v1/orders/" + order + "/checkout_sessions", "{}").expect(400).errorParam())
                .isEqualTo("return_url");
        assertThat(session(api, order, ",\"locale\":\"de\"").expect(400).errorParam()).isEqualTo("locale");
        assertThat(session(api, order, ",\"providers\":[\"nope\"]").expect(400).errorParam()).isEqualTo("providers");
        // T-Bank takes roubles only
        assertThat(session(api, order, ",\"providers\":[\"tbank\"]").expect(400).errorCode())
                .isEqualTo("provider_unsupported");
        assertThat(api.post("/v1/orders/ord_nope/checkout_sessions", "{\"return_url\":\"https://shop.example/\"}")
                .status()).isEqualTo(404);
        assertThat(session(api, order, ",\"providers\":[\"sandbox\",\"stripe\"]").expect(200).body()
                .path("providers").toString()).isEqualTo("[\"sandbox\",\"stripe\"]");
    }

    @Test
    void an_order_paid_through_the_api_without_a_session_counts_from_payment_started() {
        String order = order(api, "EUR", 1250);
        Api.Response payment = api.createPayment(order, "automatic").expect(200);
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/orders/" + order, r -> r.text("payment_status").equals("paid"));
        List<FunnelEvent> events = funnel.ofOrder(order);
        assertThat(events).extracting(FunnelEvent::step)
                .containsExactly(FunnelStep.PAYMENT_STARTED, FunnelStep.AUTHORIZED, FunnelStep.PAID);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.sessionId()).isNull();
            assertThat(e.provider()).isEqualTo("sandbox");
            assertThat(e.device()).isEqualTo(DeviceClass.UNKNOWN);
        });
    }

    @Test
    void a_declined_api_payment_counts_as_declined_with_its_reason_code() {
        String order = order(api, "EUR", 1250);
        Api.Response payment = api.createPayment(order, "automatic").expect(200);
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "3ds_failed");
        api.eventually("/v1/payments/" + payment.text("id"), r -> r.text("status").equals("failed"));
        assertThat(funnel.ofOrder(order)).extracting(FunnelEvent::step, FunnelEvent::reasonCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FunnelStep.PAYMENT_STARTED, null),
                        org.assertj.core.groups.Tuple.tuple(FunnelStep.DECLINED, "3ds_failed"));
    }
}
