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

    Api.Response authorized(long amount) {
        Api.Response payment = pay(amount, "manual");
        assertThat(stripe.pay(redirect(payment), "succeeded")).isEqualTo(303);
        return waitFor(payment.text("id"), "authorized");
    }

    StripeDialectClient.Answer sessionOf(Api.Response payment) {
        String url = redirect(payment);
        return stripe.get("/sandbox/stripe/v1/checkout/sessions/" + url.substring(url.lastIndexOf('/') + 1));
    }

    long facts(String paymentId, String kind) {
        return jdbc.sql("select count(*) from payment_transactions where payment_id = :p and kind = :k")
                .param("p", paymentId).param("k", kind).query(Long.class).single();
    }

    @Test
    void an_automatic_payment_with_3_d_secure_is_captured_and_its_session_completes_paid() {
        Api.Response payment = pay(2500, "automatic");
        assertThat(stripe.pay(redirect(payment), "3ds_succeeded")).isEqualTo(303);
        Api.Response captured = waitFor(payment.text("id"), "captured");
        assertThat(captured.number("amount_captured")).isEqualTo(2500);
        StripeDialectClient.Answer session = sessionOf(payment);
        assertThat(session.text("status")).isEqualTo("complete");
        assertThat(session.text("payment_status")).isEqualTo("paid");
        assertThat(session.text("payment_intent")).isEqualTo(captured.text("provider_payment_id"));
    }

    @Test
    void a_failed_3_d_secure_keeps_the_session_open_and_the_customer_pays_on_the_same_page() {
        Api.Response payment = pay(3100, "manual");
        assertThat(stripe.pay(redirect(payment), "3ds_failed")).as("the customer stays on the page").isEqualTo(200);
        StripeDialectClient.Answer session = sessionOf(payment);
        assertThat(session.text("status")).isEqualTo("open");
        StripeDialectClient.Answer intent = stripe.get("/sandbox/stripe/v1/payment_intents/"
                + session.text("payment_intent"));
        assertThat(intent.text("status")).isEqualTo("requires_payment_method");
        assertThat(intent.body().path("last_payment_error").path("code").asText())
                .isEqualTo("payment_intent_authentication_failure");
        Api.sleep(1500); // the payment_intent.payment_failed webhook has come and gone
        assertThat(api.get("/v1/payments/" + payment.text("id")).text("status")).as("a decline is not final")
                .isEqualTo("requires_action");

        assertThat(stripe.pay(redirect(payment), "succeeded")).isEqualTo(303);
        waitFor(payment.text("id"), "authorized");
    }

    @Test
    void a_declined_payment_whose_session_expires_fails_with_stripes_decline_code() {
        Api.Response payment = pay(4700, "automatic");
        assertThat(stripe.pay(redirect(payment), "declined")).isEqualTo(200);
        String session = sessionOf(payment).text("id");
        // what Stripe does 24 hours later
        assertThat(stripe.post("/sandbox/stripe/v1/checkout/sessions/" + session + "/expire", "").status())
                .isEqualTo(200);
        Api.Response failed = waitFor(payment.text("id"), "failed");
        assertThat(failed.text("failure_code")).isEqualTo("generic_decline");
        assertThat(failed.text("failure_message")).isEqualTo("Your card was declined.");
    }

    /** The sandbox's common record of the payment (what the simulation compares our state with). */
    Api.Response record(Api.Response payment) {
        return api.sandbox("GET", "/payments?merchant_reference=" + payment.text("id"), null).expect(200);
    }

    @Test
    void a_void_before_the_customer_pays_expires_the_checkout_session() {
        Api.Response payment = pay(1900, "manual");
        Api.Response voided = api.post("/v1/payments/" + payment.text("id") + "/cancel", "{}").expect(200);
        assertThat(voided.text("status")).as("Stripe's record: the session expired").isEqualTo("expired");
        assertThat(sessionOf(payment).text("status")).isEqualTo("expired");
        assertThat(stripe.pay(redirect(payment), "succeeded")).as("an expired session takes no payment")
                .isEqualTo(409);
        assertThat(record(payment).body().path("data").get(0).path("cancellation_reason").asText())
                .isEqualTo("expired");
        Api.sleep(1000); // the session's webhook has come: the state stays
        assertThat(api.get("/v1/payments/" + payment.text("id")).text("status")).isEqualTo("expired");
    }

    @Test
    void a_void_after_a_declined_attempt_ends_failed_with_the_decline_as_stripes_record_says() {
        Api.Response payment = pay(2100, "manual");
        assertThat(stripe.pay(redirect(payment), "declined")).isEqualTo(200);
        Api.Response ended = api.post("/v1/payments/" + payment.text("id") + "/cancel", "{}").expect(200);
        assertThat(ended.text("status")).isEqualTo("failed");
        assertThat(ended.text("failure_code")).isEqualTo("generic_decline");
        assertThat(record(payment).body().path("data").get(0).path("cancellation_reason").asText())
                .isEqualTo("declined");
        Api.sleep(1000);
        assertThat(api.get("/v1/payments/" + payment.text("id")).text("status")).isEqualTo("failed");
    }

    @Test
    void a_void_after_authorization_cancels_the_payment_intent() {
        Api.Response payment = authorized(5200);
        Api.Response voided = api.post("/v1/payments/" + payment.text("id") + "/cancel", "{}").expect(200);
        assertThat(voided.text("status")).isEqualTo("voided");
        StripeDialectClient.Answer intent = stripe.get("/sandbox/stripe/v1/payment_intents/"
                + payment.text("provider_payment_id"));
        assertThat(intent.text("status")).isEqualTo("canceled");
        assertThat(facts(payment.text("id"), "void")).isEqualTo(1);
        assertThat(record(payment).body().path("data").get(0).path("cancellation_reason").asText())
                .isEqualTo("voided");
    }

    @Test
    void a_capture_whose_answer_times_out_is_left_unknown_and_resolved_by_the_resolver() {
        Api.Response payment = authorized(8000);
        String intent = payment.text("provider_payment_id");
        api.sandbox("POST", "/faults", "{\"payment\":\"" + intent + "\",\"api\":\"timeout\",\"api_timeout_ms\":3000}")
                .expect(200);
        try {
            Api.Response capture = api.post("/v1/payments/" + payment.text("id") + "/capture", "{\"amount\":5000}");
            assertThat(capture.status()).as("the outcome is not known yet").isGreaterThanOrEqualTo(500);
        } finally {
            api.sandbox("DELETE", "/faults?payment=" + intent, null).expect(200);
        }
        Api.Response resolved = waitFor(payment.text("id"), "captured");
        assertThat(resolved.number("amount_captured")).isEqualTo(5000);
        assertThat(stripe.get("/sandbox/stripe/v1/payment_intents/" + intent).body().path("amount_received").asLong())
                .as("captured once").isEqualTo(5000);
    }

    @Test
    void a_dispute_posts_a_chargeback_and_winning_it_posts_the_reversal() {
        Api.Response payment = pay(6600, "automatic");
        stripe.pay(redirect(payment), "succeeded");
        String id = payment.text("id");
        String intent = waitFor(id, "captured").text("provider_payment_id");

        StripeDialectClient.Answer dispute = stripe.post("/sandbox/stripe/test/disputes", "payment_intent=" + intent);
        assertThat(dispute.status()).isEqualTo(200);
        assertThat(dispute.text("status")).isEqualTo("needs_response");
        api.eventually("/v1/payments/" + id, r -> facts(id, "chargeback") == 1);

        assertThat(stripe.post("/sandbox/stripe/test/disputes/" + dispute.text("id") + "/close", "status=won").status())
                .isEqualTo(200);
        api.eventually("/v1/payments/" + id, r -> facts(id, "chargeback_reversal") == 1);
        assertThat(facts(id, "chargeback")).isEqualTo(1);
    }

    private Api.Response payIn(String currency, long amount) {
        String order = api.post("/v1/orders", """
                {"currency":"%s","reference":"T-1","customer":{"email":"buyer@example.com"},
                 "lines":[{"sku":"SKU-1","name":"Thing","quantity":1,"unit_amount":%d,"vat_rate":0}]}"""
                .formatted(currency, amount)).expect(200).text("id");
        return api.post("/v1/orders/" + order + "/payments", "{\"provider\":\"stripe\",\"capture_method\":"
                + "\"automatic\",\"return_url\":\"https://shop.example/return\"}").expect(200);
    }

    @Test
    void zero_and_three_decimal_currencies_go_to_stripe_in_its_minor_units() {
        Api.Response yen = payIn("JPY", 5000);
        assertThat(sessionOf(yen).body().path("amount_total").asLong()).as("yen as they are").isEqualTo(5000);
        assertThat(sessionOf(yen).text("currency")).isEqualTo("jpy");
        stripe.pay(redirect(yen), "succeeded");
        assertThat(waitFor(yen.text("id"), "captured").number("amount_captured")).isEqualTo(5000);

        Api.Response dinars = payIn("KWD", 12_340);
        assertThat(sessionOf(dinars).body().path("amount_total").asLong()).as("thousandths").isEqualTo(12_340);
        stripe.pay(redirect(dinars), "succeeded");
        assertThat(waitFor(dinars.text("id"), "captured").number("amount_captured")).isEqualTo(12_340);

        Api.Response odd = payIn("KWD", 12_345);
        assertThat(odd.text("status")).as("Stripe takes no last digit in three-decimal currencies").isEqualTo("failed");
        assertThat(odd.text("failure_code")).isEqualTo("amount_not_supported");
    }
}
