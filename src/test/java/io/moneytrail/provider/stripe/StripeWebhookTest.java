package io.moneytrail.provider.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.sandbox.SandboxSignature;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/webhooks/stripe}: a signature that is missing, wrong, made with another secret or too
 * old is refused with 400 and changes nothing; a correctly signed event that lies about the
 * payment is accepted and changes nothing either, because the adapter fetches the PaymentIntent
 * and applies what Stripe (here the dialect) says.
 */
class StripeWebhookTest extends ApiTest {

    StripeDialectClient stripe;

    @BeforeEach
    void dialect() {
        stripe = new StripeDialectClient(api);
    }

    private Api.Response authorized() {
        String order = api.createOrder(7300, 1).text("id");
        Api.Response payment = api.post("/v1/orders/" + order + "/payments",
                "{\"provider\":\"stripe\",\"capture_method\":\"manual\",\"return_url\":\"https://shop.example/r\"}")
                .expect(200);
        stripe.pay(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        return api.eventually("/v1/payments/" + payment.text("id"), r -> "authorized".equals(r.text("status")));
    }

    /** A {@code payment_intent.succeeded} event claiming the whole amount was received. */
    private static String lie(Api.Response payment) {
        return """
                {"id":"evt_lie_%s","object":"event","api_version":"%s","created":%d,
                 "data":{"object":{"id":"%s","object":"payment_intent","amount":7300,"amount_capturable":0,
                 "amount_received":7300,"currency":"eur","status":"succeeded","metadata":{"payment_id":"%s"}}},
                 "livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},
                 "type":"payment_intent.succeeded"}"""
                .formatted(payment.text("id"), com.stripe.Stripe.API_VERSION, Instant.now().getEpochSecond(),
                        payment.text("provider_payment_id"), payment.text("id"));
    }

    private int deliver(String body, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + "/v1/webhooks/stripe"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return stripe.send(request.build()).status();
    }

    private static String signed(String body, String secret, long at) {
        return SandboxSignature.header(body.getBytes(StandardCharsets.UTF_8), secret, at);
    }

    @Test
    void a_forged_missing_foreign_or_stale_signature_is_refused_and_changes_nothing() {
        Api.Response payment = authorized();
        String body = lie(payment);
        long now = Instant.now().getEpochSecond();
        assertThat(deliver(body, null)).isEqualTo(400);
        assertThat(deliver(body, "t=" + now + ",v1=" + "ab".repeat(32))).isEqualTo(400);
        assertThat(deliver(body, signed(body, "whsec_someone_else", now))).isEqualTo(400);
        assertThat(deliver(body, signed(body, StripeDialectClient.WEBHOOK_SECRET, now - 301)))
                .as("outside the 300 s tolerance").isEqualTo(400);
        assertThat(deliver(body.replace("7300,", "7301,"), signed(body, StripeDialectClient.WEBHOOK_SECRET, now)))
                .as("the body was changed after signing").isEqualTo(400);
        Api.Response after = api.get("/v1/payments/" + payment.text("id"));
        assertThat(after.text("status")).isEqualTo("authorized");
        assertThat(after.number("amount_captured")).isZero();
    }

    @Test
    void a_correctly_signed_event_that_lies_is_checked_against_stripe_and_changes_nothing() {
        Api.Response payment = authorized();
        String body = lie(payment);
        assertThat(deliver(body, signed(body, StripeDialectClient.WEBHOOK_SECRET, Instant.now().getEpochSecond())))
                .isEqualTo(200);
        Api.sleep(500);
        Api.Response after = api.get("/v1/payments/" + payment.text("id"));
        assertThat(after.text("status")).as("the PaymentIntent is still requires_capture at Stripe")
                .isEqualTo("authorized");
        assertThat(after.number("amount_captured")).isZero();
        assertThat(stripe.get("/sandbox/stripe/v1/payment_intents/" + payment.text("provider_payment_id"))
                .text("status")).isEqualTo("requires_capture");
    }
}
