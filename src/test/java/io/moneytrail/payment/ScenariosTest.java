package io.moneytrail.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.database.DatabaseEndpoint;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import io.moneytrail.testing.SecondInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenarios of ../shared/design/SCENARIOS.md not driven elsewhere (see docs/scenarios.md for
 * the map from every scenario to its test). Each asserts the final statuses, the money facts
 * and the ledger.
 */
class ScenariosTest extends ApiTest {

    @Autowired
    DatabaseEndpoint database;

    @AfterEach
    void healTheProvider() {
        api.sandbox("DELETE", "/faults", null);
    }

    private String[] authorized(long amount) {
        String order = api.createOrder(amount, 1).text("id");
        Api.Response payment = api.createPayment(order, "manual");
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        Api.Response settled = api.eventually("/v1/payments/" + payment.text("id"),
                r -> "authorized".equals(r.text("status")));
        return new String[] {order, payment.text("id"), settled.text("provider_payment_id")};
    }

    private long facts(String paymentId, String kind) {
        return jdbc.sql("select count(*) from payment_transactions where payment_id = :p and kind = :k")
                .param("p", paymentId).param("k", kind).query(Long.class).single();
    }

    private long entries(String order) {
        return jdbc.sql("select count(*) from journal_entries where order_id = :o").param("o", order)
                .query(Long.class).single();
    }

    /** Scenario 1. */
    @Test
    void the_providers_webhook_arriving_before_our_capture_call_returns_is_applied_once() {
        String[] ids = authorized(4000);
        // the provider captures, sends its webhook at once, and answers our call a second later
        api.sandbox("POST", "/faults", "{\"payment\":\"" + ids[2] + "\",\"api\":\"timeout\",\"api_timeout_ms\":1000}")
                .expect(200);
        Api.Response captured = api.post("/v1/payments/" + ids[1] + "/capture", "{}").expect(200);
        assertThat(captured.text("status")).isEqualTo("captured");
        Api.sleep(500);
        assertThat(facts(ids[1], "capture")).isEqualTo(1);
        assertThat(entries(ids[0])).isEqualTo(1);
        assertThat(api.get("/v1/orders/" + ids[0] + "/timeline").raw()).contains("webhook.received");
    }

    /** Scenario 7 (with the provider's webhook lost too). */
    @Test
    void a_customer_who_paid_and_never_came_back_is_found_paid_even_when_the_webhook_is_lost() {
        String order = api.createOrder(2700, 1).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        api.sandbox("POST", "/faults", "{\"payment\":\"" + payment.text("provider_payment_id") + "\",\"webhook\":\"drop\"}")
                .expect(200);
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        Api.Response paid = api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));
        assertThat(paid.number("amount_captured")).isEqualTo(2700);
        assertThat(api.get("/v1/orders/" + order + "/timeline").raw()).contains("resolver.check")
                .doesNotContain("webhook.received");
        assertThat(entries(order)).isEqualTo(1);
    }

    /** Scenario 9: a refund made at the provider that we never asked for. */
    @Test
    void a_refund_made_at_the_provider_is_discovered_recorded_and_booked() {
        String[] ids = authorized(5000);
        api.post("/v1/payments/" + ids[1] + "/capture", "{}").expect(200);
        api.sandbox("POST", "/refunds", "{\"payment\":\"" + ids[2] + "\",\"amount\":1200}").expect(200);
        Api.Response order = api.eventually("/v1/orders/" + ids[0], r -> r.number("amount_refunded") == 1200);
        assertThat(order.text("payment_status")).isEqualTo("partially_refunded");
        assertThat(api.get("/v1/orders/" + ids[0] + "/timeline").raw()).contains("refund.discovered");
        assertThat(entries(ids[0])).isEqualTo(2);
        assertThat(facts(ids[1], "refund")).isEqualTo(1);
    }

    /** Scenario 12. */
    @Test
    void two_refunds_requested_at_the_same_moment_never_exceed_the_capture() throws Exception {
        String[] ids = authorized(3000);
        api.post("/v1/payments/" + ids[1] + "/capture", "{}").expect(200);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Integer> statuses = new ArrayList<>();
        try {
            List<Callable<Api.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":2000}"));
            }
            for (Future<Api.Response> result : pool.invokeAll(calls)) {
                statuses.add(result.get().status());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses).containsOnlyOnce(200);
        assertThat(api.get("/v1/payments/" + ids[1]).number("amount_refunded")).isEqualTo(2000);
        assertThat(api.sandbox("GET", "/payments/" + ids[2], null).number("amount_refunded")).isEqualTo(2000);
    }

    /** Scenario 13. */
    @Test
    void a_provider_that_reports_another_amount_is_flagged_on_the_timeline() {
        String order = api.createOrder(1500, 1).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        jdbc.sql("update sandbox.sbx_payments set amount = amount + 1 where id = :id")
                .param("id", payment.text("provider_payment_id")).update();
        api.post("/v1/payments/" + payment.text("id") + "/recheck", null).expect(200);
        assertThat(api.get("/v1/orders/" + order + "/timeline").raw()).contains("payment.amount_mismatch");
    }

    /** Scenario 14. */
    @Test
    void a_void_racing_a_capture_ends_in_one_state_that_matches_the_provider() throws Exception {
        String[] ids = authorized(2500);
        boolean cancelRefusedMidCapture;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Api.Response>> calls = List.of(
                    () -> api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":1000}"),
                    () -> api.post("/v1/payments/" + ids[1] + "/cancel", null));
            List<Future<Api.Response>> results = pool.invokeAll(calls);
            for (Future<Api.Response> result : results) {
                assertThat(result.get().status()).isIn(200, 402, 409);
            }
            cancelRefusedMidCapture = results.get(1).get().status() == 409
                    && "payment_operation_in_progress".equals(results.get(1).get().errorCode());
        } finally {
            pool.shutdownNow();
        }
        Api.Response ours = api.get("/v1/payments/" + ids[1]);
        Api.Response theirs = api.sandbox("GET", "/payments/" + ids[2], null);
        assertThat(ours.number("amount_captured")).isEqualTo(theirs.number("amount_captured"));
        // a cancel that arrives while the capture waits for the provider is refused (one operation
        // at a time), which leaves the rest of the authorisation capturable
        assertThat(ours.text("status")).isIn(cancelRefusedMidCapture
                ? new String[] {"partially_captured"} : new String[] {"voided", "captured"});
        assertThat(entries(ids[0])).isEqualTo(ours.number("amount_captured") > 0 ? 1 : 0);
        // a cancel of the order after a partial capture is refused until refunded
        if (ours.number("amount_captured") > 0) {
            assertThat(api.post("/v1/orders/" + ids[0] + "/cancel", null).expect(409).errorCode())
                    .isEqualTo("order_has_captured_funds");
        }
    }

    /** Scenario 4: the client retries its timed-out capture with the same idempotency key. */
    @Test
    void a_retry_of_a_timed_out_capture_with_the_same_key_replays_and_never_captures_twice() {
        String[] ids = authorized(3300);
        api.sandbox("POST", "/faults", "{\"payment\":\"" + ids[2] + "\",\"api\":\"timeout\",\"api_timeout_ms\":3000,"
                + "\"webhook\":\"drop\"}").expect(200);
        Api.Response first = api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":1000}", "cap-" + ids[1]);
        assertThat(first.status()).isEqualTo(502);
        Api.Response retry = api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":1000}", "cap-" + ids[1]);
        assertThat(retry.status()).isEqualTo(502);
        assertThat(retry.raw()).isEqualTo(first.raw());
        api.sandbox("DELETE", "/faults?payment=" + ids[2], null);
        api.eventually("/v1/payments/" + ids[1], r -> r.number("amount_captured") == 1000);
        assertThat(api.sandbox("GET", "/payments/" + ids[2], null).number("amount_captured")).isEqualTo(1000);
        assertThat(api.get("/v1/events?order=" + ids[0] + "&limit=100").raw()).contains("order.partially_paid");
    }

    /**
     * Scenario 25, the resolver: two instances check payments whose webhooks were all lost.
     * A check claims its payment with a lease, so no payment is checked by both at once: the
     * check that learns of the capture clears the schedule, and no check ever starts from a
     * payment already captured (one would if two instances had claimed it together).
     */
    @Test
    void two_instances_resolve_every_lost_webhook_once_and_share_the_checks() throws Exception {
        ConfigurableApplicationContext second = SecondInstance.start(database, api, "resolver",
                "--moneytrail.payments.worker-interval-ms=200", "--moneytrail.payments.resolver.schedule=300ms,1s,2s",
                "--moneytrail.outbound.enabled=false");
        List<String[]> paid = new ArrayList<>();
        ExecutorService customers = Executors.newFixedThreadPool(4);
        try {
            List<Future<String[]>> running = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                long amount = 500 + i;
                running.add(customers.submit(() -> {
                    String order = api.createOrder(amount, 1).text("id");
                    Api.Response payment = api.createPayment(order, "automatic");
                    api.sandbox("POST", "/faults", "{\"payment\":\"" + payment.text("provider_payment_id")
                            + "\",\"webhook\":\"drop\"}").expect(200);
                    api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(),
                            "succeeded");
                    return new String[] {order, payment.text("id")};
                }));
            }
            for (Future<String[]> customer : running) {
                paid.add(customer.get());
            }
            for (String[] ids : paid) {
                api.eventually("/v1/orders/" + ids[0], r -> "paid".equals(r.text("payment_status")));
            }
            Api.sleep(1_000); // a second, concurrent check would have finished by now
        } finally {
            customers.shutdownNow();
            second.close();
        }
        java.util.Set<String> instances = new java.util.HashSet<>();
        for (String[] ids : paid) {
            assertThat(facts(ids[1], "capture")).as(ids[1]).isEqualTo(1);
            assertThat(entries(ids[0])).as(ids[0]).isEqualTo(1);
            List<String[]> checks = jdbc.sql("""
                            select data ->> 'state_before', summary from timeline
                            where order_id = :o and kind = 'resolver.check' order by id""")
                    .param("o", ids[0]).query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list();
            assertThat(checks).as("checks of %s", ids[1]).isNotEmpty();
            assertThat(checks).as("no check of %s started from a captured payment", ids[1])
                    .allMatch(check -> !"captured".equals(check[0]));
            assertThat(checks.get(checks.size() - 1)[1]).as("the last check learned of the capture")
                    .contains("provider says captured");
            for (String[] check : checks) {
                java.util.regex.Matcher by = java.util.regex.Pattern.compile("by (ins_[0-9a-f]{8})").matcher(check[1]);
                assertThat(by.find()).as(check[1]).isTrue();
                instances.add(by.group(1));
            }
            assertThat(jdbc.sql("select next_check_at is null from payments where id = :p").param("p", ids[1])
                    .query(Boolean.class).single()).as("%s has nothing left to check", ids[1]).isTrue();
        }
        assertThat(instances).as("instances that checked").hasSize(2);
    }

    /**
     * Scenario 25, stored inbound webhooks: events left unprocessed (the provider was
     * unreachable when asked, or the instance died half-way) are retried by the sweep both
     * instances run. Released at the same moment, each is processed by exactly one instance.
     */
    @Test
    void two_instances_retry_every_stored_inbound_webhook_once_and_share_the_retries() throws Exception {
        ExecutorService customers = Executors.newFixedThreadPool(4);
        List<Future<String>> running = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long amount = 700 + i;
            running.add(customers.submit(() -> {
                String order = api.createOrder(amount, 1).text("id");
                Api.Response payment = api.createPayment(order, "automatic");
                api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
                api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));
                return payment.text("provider_payment_id");
            }));
        }
        List<String> providerIds = new ArrayList<>();
        try {
            for (Future<String> customer : running) {
                providerIds.add(customer.get());
            }
        } finally {
            customers.shutdownNow();
        }
        String[] ids = providerIds.toArray(new String[0]);
        String ours = "provider_payment_id = any(:ids)";
        ConfigurableApplicationContext second = SecondInstance.start(database, api, "inbox",
                "--moneytrail.webhooks.retry-interval-ms=200", "--moneytrail.outbound.enabled=false");
        try {
            // all of them "failed once", due for a retry from this moment
            long rows = jdbc.sql("""
                            update webhook_inbox set status = 'failed', attempts = 1, processed_at = null,
                                   lease_until = null, leased_by = null, received_at = now() - interval '1 minute'
                            where """ + " " + ours).param("ids", ids).update();
            assertThat(rows).as("more than one sweep's batch")
                    .isGreaterThan(io.moneytrail.webhook.WebhookInbox.RETRY_BATCH_MAX);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (jdbc.sql("select count(*) from webhook_inbox where " + ours + " and status = 'processed'")
                    .param("ids", ids).query(Long.class).single() < rows) {
                assertThat(System.nanoTime()).as("every stored webhook processed again").isLessThan(deadline);
                Api.sleep(100);
            }
            Api.sleep(1_000); // a second, concurrent processing would have been counted by now
        } finally {
            second.close();
        }
        assertThat(jdbc.sql("select count(*) from webhook_inbox where " + ours + " and attempts = 2")
                .param("ids", ids).query(Long.class).single()).as("each retried exactly once").isEqualTo(
                jdbc.sql("select count(*) from webhook_inbox where " + ours).param("ids", ids).query(Long.class)
                        .single());
        List<String> by = jdbc.sql("select distinct leased_by from webhook_inbox where " + ours)
                .param("ids", ids).query(String.class).list();
        assertThat(by).as("instances that retried").hasSize(2);
        for (String id : ids) {
            assertThat(jdbc.sql("select count(*) from payment_transactions t join payments p on p.id = t.payment_id"
                            + " where p.provider_payment_id = :id and t.kind = 'capture'").param("id", id)
                    .query(Long.class).single()).as("%s captured once", id).isEqualTo(1);
        }
    }

    /** Scenario 25: two instances against one database expire each order exactly once. */
    @Test
    void two_instances_expire_every_order_exactly_once() {
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            orders.add(api.createOrder(100 + i, 1).text("id"));
        }
        ConfigurableApplicationContext second = SecondInstance.start(database, api, "expiry",
                "--moneytrail.payments.worker-interval-ms=100");
        try {
            jdbc.sql("update orders set created_at = now() - interval '2 days' where id in (:ids)")
                    .param("ids", orders).update();
            for (String order : orders) {
                api.eventually("/v1/orders/" + order, r -> "expired".equals(r.text("status")));
            }
        } finally {
            second.close();
        }
        for (String order : orders) {
            assertThat(jdbc.sql("select count(*) from timeline where order_id = :o and kind = 'order.status_changed'")
                    .param("o", order).query(Long.class).single()).as(order).isEqualTo(1);
            assertThat(jdbc.sql("select count(*) from outbox_events where order_id = :o and type = 'order.expired'")
                    .param("o", order).query(Long.class).single()).as(order).isEqualTo(1);
        }
    }
}
