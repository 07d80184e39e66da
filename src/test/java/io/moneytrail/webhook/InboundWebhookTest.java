package io.moneytrail.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.sandbox.SandboxSignature;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Webhooks from the sandbox: signed, stored before acting, processed once, never backwards. */
class InboundWebhookTest extends ApiTest {

    @Autowired
    WebhookInbox inbox;

    private static final String SECRET = "whsec_sandbox_local";

    private String[] paid(String captureMethod, String expectedStatus) {
        String order = api.createOrder(1000, 1).text("id");
        Api.Response payment = api.createPayment(order, captureMethod);
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        Api.Response settled = api.eventually("/v1/payments/" + payment.text("id"),
                r -> expectedStatus.equals(r.text("status")));
        return new String[] {order, payment.text("id"), settled.text("provider_payment_id")};
    }

    private static String event(String eventId, String type, String providerPaymentId, String paymentId) {
        return """
                {"id":"%s","object":"event","type":"%s","created":%d,
                 "data":{"object":{"id":"%s","merchant_reference":"%s"}}}"""
                .formatted(eventId, type, Instant.now().getEpochSecond(), providerPaymentId, paymentId);
    }

    private Api.Response deliver(String body, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + "/v1/webhooks/sandbox"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header(SandboxSignature.HEADER, signature);
        }
        return api.send(request.build());
    }

    private Api.Response deliverSigned(String body) {
        return deliver(body, SandboxSignature.header(body.getBytes(StandardCharsets.UTF_8), SECRET,
                Instant.now().getEpochSecond()));
    }

    private long transactions(String paymentId, String kind) {
        return jdbc.sql("select count(*) from payment_transactions where payment_id = :p and kind = :k")
                .param("p", paymentId).param("k", kind).query(Long.class).single();
    }

    @Test
    void the_same_event_twice_is_stored_once_and_counts_money_once() {
        String[] ids = paid("automatic", "captured");
        String body = event("sbxevt_test_" + UUID.randomUUID(), "payment.succeeded", ids[2], ids[1]);
        assertThat(deliverSigned(body).expect(200).text("status")).isEqualTo("processed");
        assertThat(deliverSigned(body).expect(200).text("status")).isEqualTo("duplicate");
        assertThat(transactions(ids[1], "capture")).isEqualTo(1);
        assertThat(api.get("/v1/orders/" + ids[0]).number("amount_captured")).isEqualTo(1000);
    }

    @Test
    void the_same_event_at_the_same_instant_is_processed_once() throws Exception {
        String[] ids = paid("automatic", "captured");
        String body = event("sbxevt_race_" + UUID.randomUUID(), "payment.succeeded", ids[2], ids[1]);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<String> outcomes = new ArrayList<>();
        try {
            List<Callable<Api.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> deliverSigned(body));
            }
            for (Future<Api.Response> f : pool.invokeAll(calls)) {
                outcomes.add(f.get().expect(200).text("status"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(outcomes).containsOnlyOnce("processed").contains("duplicate");
        assertThat(transactions(ids[1], "capture")).isEqualTo(1);
    }

    @Test
    void duplicated_deliveries_from_the_provider_count_money_once() {
        String order = api.createOrder(1500, 1).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        String providerId = payment.text("provider_payment_id");
        api.sandbox("POST", "/faults", "{\"payment\":\"" + providerId + "\",\"webhook\":\"duplicate\"}").expect(200);
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));
        Api.sleep(300); // let the second copy land
        assertThat(transactions(payment.text("id"), "capture")).isEqualTo(1);
        assertThat(api.get("/v1/orders/" + order).number("amount_captured")).isEqualTo(1500);
    }

    @Test
    void a_late_authorisation_webhook_after_capture_never_moves_the_state_backwards() {
        String order = api.createOrder(2000, 1).text("id");
        Api.Response payment = api.createPayment(order, "manual");
        String providerId = payment.text("provider_payment_id");
        // hold the authorisation webhook back until after the next event
        api.sandbox("POST", "/faults", "{\"payment\":\"" + providerId + "\",\"webhook\":\"reorder\",\"delay_ms\":1500}")
                .expect(200);
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        // the store learns of the authorisation by asking; it captures
        String body = event("sbxevt_probe_" + UUID.randomUUID(), "payment.waiting_for_capture", providerId,
                payment.text("id"));
        deliverSigned(body).expect(200);
        assertThat(api.get("/v1/payments/" + payment.text("id")).text("status")).isEqualTo("authorized");
        api.post("/v1/payments/" + payment.text("id") + "/capture", "{}").expect(200);
        Api.sleep(2500); // the held webhook arrives now
        Api.Response after = api.get("/v1/payments/" + payment.text("id"));
        assertThat(after.text("status")).isEqualTo("captured");
        assertThat(after.number("amount_captured")).isEqualTo(2000);
        assertThat(transactions(payment.text("id"), "capture")).isEqualTo(1);
        assertThat(api.get("/v1/orders/" + order).text("payment_status")).isEqualTo("paid");
    }

    @Test
    void a_bad_signature_gets_400_and_is_stored_as_rejected_without_effect() {
        String order = api.createOrder(1000, 1).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        String body = event("sbxevt_forged_" + UUID.randomUUID(), "payment.succeeded",
                payment.text("provider_payment_id"), payment.text("id"));
        long now = Instant.now().getEpochSecond();
        Api.Response forged = deliver(body, SandboxSignature.header(body.getBytes(StandardCharsets.UTF_8), "whsec_wrong", now));
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.errorCode()).isEqualTo("signature_invalid");
        assertThat(deliver(body, null).status()).isEqualTo(400);
        assertThat(deliver(body, "t=" + now + ",v1=zz").status()).isEqualTo(400);
        Api.Response stale = deliver(body, SandboxSignature.header(body.getBytes(StandardCharsets.UTF_8), SECRET, now - 3600));
        assertThat(stale.status()).isEqualTo(400);
        assertThat(stale.body().path("error").path("message").asText()).contains("tolerance");

        assertThat(api.get("/v1/payments/" + payment.text("id")).text("status")).isEqualTo("requires_action");
        Api.Response rejected = api.get("/v1/inbound_webhooks?status=rejected&limit=100").expect(200);
        assertThat(rejected.body().path("data").size()).isGreaterThanOrEqualTo(4);
        assertThat(rejected.body().path("data").get(0).path("detail").asText()).isNotEmpty();
    }

    @Test
    void an_event_for_an_unknown_payment_is_kept_and_visible() {
        String eventId = "sbxevt_orphan_" + UUID.randomUUID();
        String body = event(eventId, "refund.succeeded", "sbxpay_00000000000000000000000000", "pay_unknown");
        assertThat(deliverSigned(body).expect(200).text("status")).isEqualTo("unmatched");
        Api.Response unmatched = api.get("/v1/inbound_webhooks?status=unmatched&limit=100").expect(200);
        assertThat(unmatched.raw()).contains(eventId);
    }

    @Test
    void a_stored_event_that_keeps_failing_waits_twice_as_long_before_each_retry() {
        String eventId = "sbxevt_backoff_" + UUID.randomUUID();
        String body = event(eventId, "payment.succeeded", "sbxpay_11111111111111111111111111", "pay_unknown");
        assertThat(deliverSigned(body).expect(200).text("status")).isEqualTo("unmatched");
        String id = jdbc.sql("select id from webhook_inbox where provider_event_id = :e").param("e", eventId)
                .query(String.class).single();
        String wait = "select extract(epoch from lease_until - now()) from webhook_inbox where id = :id";
        assertThat(jdbc.sql(wait).param("id", id).query(Double.class).single()).isBetween(2.0, 5.0);
        assertThat(inbox.retry(id)).get().extracting(WebhookInbox.Receipt::status)
                .isEqualTo(WebhookInbox.Status.UNMATCHED);
        assertThat(jdbc.sql(wait).param("id", id).query(Double.class).single()).isBetween(7.0, 10.0);
        inbox.retry(id);
        assertThat(jdbc.sql(wait).param("id", id).query(Double.class).single()).isBetween(17.0, 20.0);
        jdbc.sql("update webhook_inbox set attempts = 20 where id = :id").param("id", id).update();
        inbox.retry(id);
        assertThat(jdbc.sql(wait).param("id", id).query(Double.class).single()).as("at most an hour")
                .isBetween(3500.0, 3600.0);
        // old enough and under the attempts bound: only its wait holds the sweep back
        jdbc.sql("update webhook_inbox set attempts = 3, received_at = now() - interval '1 hour' where id = :id")
                .param("id", id).update();
        inbox.retryStored();
        assertThat(jdbc.sql("select attempts from webhook_inbox where id = :id").param("id", id)
                .query(Integer.class).single()).as("not retried before its wait is over").isEqualTo(3);
        jdbc.sql("update webhook_inbox set lease_until = now() - interval '1 second' where id = :id")
                .param("id", id).update();
        inbox.retryStored(); // this sweep or the instance's own takes it, once
        String attempts = "select attempts from webhook_inbox where id = :id";
        for (int i = 0; i < 50 && jdbc.sql(attempts).param("id", id).query(Integer.class).single() < 4; i++) {
            Api.sleep(100);
        }
        assertThat(jdbc.sql(attempts).param("id", id).query(Integer.class).single())
                .as("retried once its wait is over").isEqualTo(4);
    }

    @Test
    void the_webhook_endpoint_of_an_unknown_provider_is_404() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/v1/webhooks/nosuch"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThat(api.send(request).status()).isEqualTo(404);
    }
}
