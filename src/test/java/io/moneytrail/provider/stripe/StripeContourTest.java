package io.moneytrail.provider.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole contour through the sandbox's Stripe dialect, with the real stripe-java adapter:
 * Checkout Session, hosted page, webhooks signed as Stripe signs them, PaymentIntent captures,
 * voids, refunds, declines that keep the session open, 3-D Secure, a timeout left to the
 * resolver, and a dispute that moves money.
 */
class StripeContourTest extends ApiTest {

    StripeDialectClient stripe;

    @BeforeEach
    void dialect() {
        stripe = new StripeDialectClient(api);
    }

    Api.Response pay(long amount, String captureMethod) {
        String order = api.createOrder(amount, 1).text("id");
        return api.post("/v1/orders/" + order + "/payments", "{\"provider\":\"stripe\",\"capture_method\":\""
                + captureMethod + "\",\"return_url\":\"https://shop.example/return\"}").expect(200);
    }

    static String redirect(Api.Response payment) {
        return payment.body().path("next_action").path("redirect_url").asText();
    }

    Api.Response waitFor(String paymentId, String status) {
        return api.eventually("/v1/payments/" + paymentId, r -> status.equals(r.text("status")));
    }

    @Test
    void a_manual_payment_is_authorized_on_the_hosted_page_captured_in_part_and_refunded_twice() {
        Api.Response payment = pay(10000, "manual");
        String id = payment.text("id");
        assertThat(payment.text("status")).isEqualTo("requires_action");
        assertThat(payment.text("provider_payment_id")).startsWith("cs_test_");
        assertThat(redirect(payment)).contains("/sandbox/stripe/c/pay/cs_test_");

        assertThat(stripe.pay(redirect(payment), "succeeded")).isEqualTo(303);
        Api.Response authorized = waitFor(id, "authorized");
        String intent = authorized.text("provider_payment_id");
        assertThat(intent).as("the PaymentIntent replaces the session").startsWith("pi_");
        assertThat(stripe.get("/sandbox/stripe/v1/payment_intents/" + intent).text("status"))
                .isEqualTo("requires_capture");

        Api.Response captured = api.post("/v1/payments/" + id + "/capture", "{\"amount\":6000}").expect(200);
        assertThat(captured.text("status")).as("Stripe captures once and releases the rest").isEqualTo("captured");
        assertThat(captured.number("amount_captured")).isEqualTo(6000);

        api.post("/v1/refunds", "{\"payment\":\"" + id + "\",\"amount\":1000}").expect(200);
        api.post("/v1/refunds", "{\"payment\":\"" + id + "\",\"amount\":2000}").expect(200);
        api.eventually("/v1/payments/" + id, r -> r.number("amount_refunded") == 3000);
        StripeDialectClient.Answer intentNow = stripe.get("/sandbox/stripe/v1/payment_intents/" + intent);
        assertThat(intentNow.text("status")).isEqualTo("succeeded");
        assertThat(intentNow.body().path("amount_received").asLong()).isEqualTo(6000);
        StripeDialectClient.Answer refunds = stripe.get("/sandbox/stripe/v1/refunds?payment_intent=" + intent);
        assertThat(refunds.body().path("data")).hasSize(2);
        assertThat(api.get("/v1/orders/" + payment.text("order")).text("payment_status"))
                .isEqualTo("partially_refunded");
    }
}
