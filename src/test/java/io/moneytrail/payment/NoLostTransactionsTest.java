package io.moneytrail.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Unknown outcomes, the resolver, expiry and compensation, driven end to end with the
 * sandbox's faults (calls that time out after doing the work, or answer 500 without doing it).
 * The test configuration checks after 300 ms, 1 s, 2 s and lets the adapter wait 2 s.
 */
class NoLostTransactionsTest extends ApiTest {

    @AfterEach
    void healTheProvider() {
        api.sandbox("DELETE", "/faults", null);
    }

    private void providerTimesOut() {
        api.sandbox("POST", "/faults", "{\"api\":\"timeout\",\"api_timeout_ms\":3000}").expect(200);
    }

    private JsonNode sandboxPaymentsFor(String paymentId) {
        return api.sandbox("GET", "/payments?merchant_reference=" + paymentId, null).expect(200).body().path("data");
    }

    private List<String> timelineKinds(String order) {
        List<String> kinds = new ArrayList<>();
        for (JsonNode entry : api.get("/v1/orders/" + order + "/timeline").body().path("data")) {
            kinds.add(entry.path("kind").asText());
        }
        return kinds;
    }

    @Test
    void a_payment_creation_that_times_out_is_unknown_then_resolved_without_a_second_charge() {
        String order = api.createOrder(4200, 1).text("id");
        providerTimesOut();
        Api.Response payment = api.createPayment(order, "automatic");
        assertThat(payment.text("status")).isEqualTo("unknown");
        assertThat(payment.text("provider_payment_id")).isNull();
        assertThat(api.get("/v1/orders/" + order).text("payment_status")).isEqualTo("pending");
        healTheProvider();

        Api.Response resolved = api.eventually("/v1/payments/" + payment.text("id"),
                r -> "requires_action".equals(r.text("status")));
        assertThat(resolved.text("provider_payment_id")).startsWith("sbxpay_");
        assertThat(sandboxPaymentsFor(payment.text("id"))).as("one payment at the provider").hasSize(1);
        assertThat(timelineKinds(order)).contains("resolver.check");

        // and it can still be paid
        api.completeSandboxPage(resolved.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));
    }

    @Test
    void a_refund_that_times_out_is_unknown_and_settles_once_when_the_resolver_asks() {
        String order = api.createOrder(5000, 1).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));

        // the refund call times out after the provider did it, and its webhook is lost
        String providerId = api.get("/v1/payments/" + payment.text("id")).text("provider_payment_id");
        api.sandbox("POST", "/faults", "{\"payment\":\"" + providerId
                + "\",\"api\":\"timeout\",\"api_timeout_ms\":3000,\"webhook\":\"drop\"}").expect(200);
        Api.Response refund = api.post("/v1/refunds", "{\"payment\":\"" + payment.text("id") + "\",\"amount\":2000}")
                .expect(200);
        // the call's outcome was unknown; unless the resolver already asked, the refund says so
        assertThat(refund.text("status")).isIn("unknown", "succeeded");
        assertThat(api.get("/v1/orders/" + order + "/timeline").raw()).contains("unknown: timeout");
        // an unknown refund still counts: no second refund can exceed what was captured
        assertThat(api.post("/v1/refunds", "{\"payment\":\"" + payment.text("id") + "\",\"amount\":3001}").status())
                .isEqualTo(400);
        api.sandbox("POST", "/faults", "{\"payment\":\"" + providerId + "\",\"api\":\"normal\",\"webhook\":\"drop\"}")
                .expect(200);

        api.eventually("/v1/refunds/" + refund.text("id"), r -> "succeeded".equals(r.text("status")));
        Api.Response after = api.get("/v1/orders/" + order);
        assertThat(after.number("amount_refunded")).isEqualTo(2000);
        assertThat(after.text("payment_status")).isEqualTo("partially_refunded");
        JsonNode atProvider = sandboxPaymentsFor(payment.text("id")).get(0);
        assertThat(atProvider.path("amount_refunded").asLong()).isEqualTo(2000);
        assertThat(jdbc.sql("select count(*) from journal_entries where order_id = :o").param("o", order)
                .query(Long.class).single()).as("capture and one refund entry").isEqualTo(2);
    }

    @Test
    void when_the_resolver_gives_up_the_payment_goes_to_review_never_to_failed() {
        String order = api.createOrder(1111, 1).text("id");
        api.sandbox("POST", "/faults", "{\"api\":\"error_500\"}").expect(200);
        Api.Response payment = api.createPayment(order, "automatic");
        assertThat(payment.text("status")).isEqualTo("unknown");
        // the provider keeps failing; pretend the schedule has run for longer than the maximum age
        jdbc.sql("update payments set check_since = now() - interval '8 days' where id = :id")
                .param("id", payment.text("id")).update();
        Api.Response reviewed = api.eventually("/v1/payments/" + payment.text("id"),
                r -> "needs_review".equals(r.text("status")));
        assertThat(reviewed.text("status")).isNotEqualTo("failed");
        assertThat(api.get("/v1/orders/" + order).text("payment_status")).isEqualTo("pending");
        Api.Response reviews = api.get("/v1/reviews?limit=100").expect(200);
        JsonNode item = null;
        for (JsonNode candidate : reviews.body().path("payments")) {
            if (candidate.path("payment").path("id").asText().equals(payment.text("id"))) {
                item = candidate;
            }
        }
        assertThat(item).as("listed for review").isNotNull();
        assertThat(item.path("evidence").toString()).contains("resolver.check").contains("sandbox answered 500");

        // an operator rechecks once the provider is back: the provider's answer wins
        healTheProvider();
        Api.Response rechecked = api.post("/v1/payments/" + payment.text("id") + "/recheck", null).expect(200);
        assertThat(rechecked.text("status")).isEqualTo("requires_action");
        assertThat(sandboxPaymentsFor(payment.text("id"))).hasSize(1);
    }

    @Test
    void an_operator_recheck_racing_the_resolver_ends_in_one_state() throws Exception {
        String order = api.createOrder(2100, 1).text("id");
        providerTimesOut();
        String payment = api.createPayment(order, "automatic").text("id");
        healTheProvider();
        List<Thread> racers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread racer = new Thread(() -> api.post("/v1/payments/" + payment + "/recheck", null));
            racers.add(racer);
            racer.start();
        }
        for (Thread racer : racers) {
            racer.join();
        }
        Api.Response settled = api.eventually("/v1/payments/" + payment, r -> "requires_action".equals(r.text("status")));
        assertThat(sandboxPaymentsFor(payment)).hasSize(1);
        assertThat(settled.text("provider_payment_id")).isEqualTo(sandboxPaymentsFor(payment).get(0).path("id").asText());
    }

    @Test
    void a_check_left_from_a_settled_intent_is_cleared_without_asking_the_provider_but_a_recheck_asks() {
        String order = api.createOrder(1900, 1).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        String id = payment.text("id");
        // the check scheduled with the intent, kept in the future so that the webhook settles first
        jdbc.sql("update payments set next_check_at = now() + interval '1 hour' where id = :id").param("id", id)
                .update();
        assertThat(jdbc.sql("select check_since is not null from payments where id = :id").param("id", id)
                .query(Boolean.class).single()).as("the intent's check is committed with it").isTrue();
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/payments/" + id, r -> "captured".equals(r.text("status")));
        assertThat(jdbc.sql("select next_check_at is null and check_since is null from payments where id = :id")
                .param("id", id).query(Boolean.class).single())
                .as("the webhook's transaction that settled it cleared the check").isTrue();

        // a check still left on a settled payment (scheduled before this release, say) is cleared by the resolver
        jdbc.sql("update payments set next_check_at = now(), check_since = now() where id = :id").param("id", id)
                .update();
        for (int i = 0; i < 50 && jdbc.sql("select next_check_at is not null from payments where id = :id")
                .param("id", id).query(Boolean.class).single(); i++) {
            Api.sleep(100);
        }
        assertThat(jdbc.sql("select next_check_at is null from payments where id = :id").param("id", id)
                .query(Boolean.class).single()).as("cleared").isTrue();
        assertThat(timelineKinds(order)).as("no check asked the provider").doesNotContain("resolver.check");

        api.post("/v1/payments/" + id + "/recheck", null).expect(200);
        assertThat(timelineKinds(order)).as("an operator's recheck asks").contains("resolver.check");
    }

    @Test
    void an_unpaid_order_expires_and_its_open_attempt_is_voided_at_the_provider() {
        String order = api.createOrder(900, 1).text("id");
        Api.Response payment = api.createPayment(order, "manual");
        jdbc.sql("update orders set created_at = now() - interval '25 hours' where id = :id").param("id", order).update();
        Api.Response expired = api.eventually("/v1/orders/" + order, r -> "expired".equals(r.text("status")));
        assertThat(expired.text("payment_status")).isEqualTo("unpaid");
        assertThat(api.get("/v1/payments/" + payment.text("id")).text("status")).isEqualTo("voided");
        assertThat(sandboxPaymentsFor(payment.text("id")).get(0).path("status").asText()).isEqualTo("canceled");
        // the customer can no longer pay it
        assertThat(api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(),
                "succeeded")).isEqualTo(409);
    }

    @Test
    void a_paid_order_does_not_expire() {
        String order = api.createOrder(900, 1).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));
        jdbc.sql("update orders set created_at = now() - interval '25 hours' where id = :id").param("id", order).update();
        Api.sleep(800);
        assertThat(api.get("/v1/orders/" + order).text("status")).isEqualTo("open");
    }

    @Test
    void money_that_arrives_for_a_cancelled_order_is_refunded_automatically_and_shows_in_the_ledger() {
        String order = api.createOrder(3000, 1).text("id");
        providerTimesOut();
        String payment = api.createPayment(order, "automatic").text("id");
        healTheProvider();
        // the store cancels while the payment's outcome is unknown: the order closes
        assertThat(api.post("/v1/orders/" + order + "/cancel", null).expect(200).text("status")).isEqualTo("cancelled");
        // ...but the customer had reached the provider's page and pays
        String page = sandboxPaymentsFor(payment).get(0).path("confirmation_url").asText();
        api.completeSandboxPage(page, "succeeded");

        Api.Response settled = api.eventually("/v1/orders/" + order, r -> "refunded".equals(r.text("payment_status")));
        assertThat(settled.text("status")).isEqualTo("cancelled");
        assertThat(settled.number("amount_captured")).isEqualTo(3000);
        assertThat(settled.number("amount_refunded")).isEqualTo(3000);
        api.eventually("/v1/orders/" + order + "/timeline", r -> r.raw().contains("compensation.done"));
        assertThat(timelineKinds(order)).contains("compensation.scheduled", "compensation.done");
        JsonNode trail = api.get("/v1/orders/" + order + "/ledger").body();
        assertThat(trail.path("entries")).hasSize(2);
        assertThat(trail.path("balances").path("liabilities:customer_advances").asLong()).isZero();
        assertThat(trail.path("balances").path("assets:psp:sandbox").asLong()).isZero();
        assertThat(sandboxPaymentsFor(payment).get(0).path("amount_refunded").asLong()).isEqualTo(3000);
    }

    @Test
    void a_capture_that_times_out_is_found_by_the_resolver_and_a_retry_does_not_capture_twice() {
        String order = api.createOrder(6000, 1).text("id");
        Api.Response payment = api.createPayment(order, "manual");
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/payments/" + payment.text("id"), r -> "authorized".equals(r.text("status")));
        providerTimesOut();
        Api.Response timedOut = api.post("/v1/payments/" + payment.text("id") + "/capture", "{\"amount\":6000}");
        assertThat(timedOut.status()).isEqualTo(502);
        assertThat(timedOut.errorType()).isEqualTo("provider_error");
        healTheProvider();
        Api.Response captured = api.eventually("/v1/payments/" + payment.text("id"),
                r -> "captured".equals(r.text("status")));
        assertThat(captured.number("amount_captured")).isEqualTo(6000);
        // the store retries its capture: refused by the table, nothing captured twice
        assertThat(api.post("/v1/payments/" + payment.text("id") + "/capture", "{\"amount\":6000}").status()).isEqualTo(409);
        assertThat(sandboxPaymentsFor(payment.text("id")).get(0).path("amount_captured").asLong()).isEqualTo(6000);
    }
}
