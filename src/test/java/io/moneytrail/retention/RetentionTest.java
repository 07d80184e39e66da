package io.moneytrail.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.ledger.Journal;
import io.moneytrail.ledger.JournalEntry;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.money.Money;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Retention on back-dated rows inserted directly: what is older than its period is purged,
 * everything younger, every money fact, the journal and the audit log are kept. Every row a
 * test inserts carries a unique tag, and the assertions look at those rows only (other test
 * classes share the database).
 */
class RetentionTest extends ApiTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Autowired
    Retention retention;
    @Autowired
    Journal journal;
    @Autowired
    IdempotencyKeyPurge idempotencyRetention;
    @Autowired
    WebhookPurge webhookRetention;

    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void idempotency_keys_older_than_30_days_are_purged_and_younger_ones_kept() {
        idempotencyKey("old", days(31));
        idempotencyKey("young", days(29));

        retention.purge(NOW);

        assertThat(idempotencyKeys()).containsExactly("young-" + tag);
    }

    @Test
    void rejected_webhooks_older_than_30_days_are_purged_and_other_webhooks_of_any_age_are_kept() {
        inbox("old-rejected", "rejected", days(31), 10);
        inbox("young-rejected", "rejected", days(29), 10);
        inbox("old-processed", "processed", days(400), 10);
        inbox("old-failed", "failed", days(400), 10);

        retention.purge(NOW);

        assertThat(inbox()).containsExactlyInAnyOrder("young-rejected-" + tag, "old-processed-" + tag,
                "old-failed-" + tag);
    }

    @Test
    void stored_rejected_bodies_are_cut_to_4_kib_and_other_bodies_are_kept_whole() {
        inbox("big-rejected", "rejected", days(1), 10_000);
        inbox("small-rejected", "rejected", days(1), 100);
        inbox("big-processed", "processed", days(1), 10_000);

        retention.purge(NOW);

        assertThat(bodyBytes("big-rejected")).isEqualTo(4096);
        assertThat(bodyBytes("small-rejected")).isEqualTo(100);
        assertThat(bodyBytes("big-processed")).isEqualTo(10_000);
    }

    @Test
    void a_rejected_webhook_body_is_cut_to_4_kib_as_it_arrives() throws Exception {
        String marker = "retention-" + tag;
        String body = "{\"id\":\"" + marker + "\",\"padding\":\"" + "x".repeat(20_000) + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/v1/webhooks/sandbox"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        assertThat(api.send(request).status()).isEqualTo(400);

        Integer stored = jdbc.sql("""
                        select octet_length(raw_body) from webhook_inbox
                        where status = 'rejected' and position(convert_to(:marker, 'UTF8') in raw_body) > 0
                        """)
                .param("marker", marker).query(Integer.class).single();
        assertThat(stored).isEqualTo(4096);
    }

    @Test
    void outbox_events_older_than_90_days_are_purged_when_every_delivery_succeeded_and_kept_otherwise() {
        String endpoint = endpoint();
        event("old-delivered", days(91), endpoint, "delivered");
        event("old-undeliverable", days(91), null, null);
        event("old-failed", days(91), endpoint, "failed");
        event("old-pending", days(91), endpoint, "pending");
        event("young-delivered", days(89), endpoint, "delivered");

        retention.purge(NOW);

        assertThat(events()).containsExactlyInAnyOrder("old-failed-" + tag, "old-pending-" + tag,
                "young-delivered-" + tag);
        assertThat(jdbc.sql("select count(*) from outbox_deliveries where event_id like :tag")
                .param("tag", "%-" + tag).query(Long.class).single()).isEqualTo(3);
    }

    @Test
    void money_facts_the_journal_and_the_audit_log_are_never_purged_however_old() {
        String order = api.createOrder(1000, 1).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/payments/" + payment.text("id"), r -> "captured".equals(r.text("status")));
        JournalEntry ancient = journal.post(PostingRules.capture("txn_ret_" + tag, "ord_ret_" + tag, "sandbox",
                Money.of(1250, "EUR"), Instant.parse("2001-01-01T00:00:00Z")));
        List<String> kept = List.of("payment_transactions", "payments", "refunds", "orders", "timeline",
                "journal_entries", "journal_lines", "audit_log");
        List<Long> before = counts(kept);

        // a run as of 50 years from now finds everything old
        retention.purge(NOW.plus(Duration.ofDays(365L * 50)));

        // background jobs of the shared context may add rows meanwhile; none may have gone
        List<Long> after = counts(kept);
        for (int i = 0; i < kept.size(); i++) {
            assertThat(after.get(i)).as(kept.get(i)).isGreaterThanOrEqualTo(before.get(i));
        }
        assertThat(jdbc.sql("select count(*) from journal_entries where id = :id").param("id", ancient.id())
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from payment_transactions where order_id = :id").param("id", order)
                .query(Long.class).single()).isPositive();
        assertThat(api.get("/v1/orders/" + order + "/timeline").status()).isEqualTo(200);
    }

    @Test
    void one_run_deletes_at_most_batch_size_times_batches_max_rows_and_the_next_run_goes_on() {
        Retention bounded = new Retention(idempotencyRetention, webhookRetention, new RetentionProperties(true, null, null, null, null, null, 2, 1));
        for (int i = 0; i < 5; i++) {
            idempotencyKey("bounded" + i, days(40));
        }
        // keys of other tests may be as old: the bound holds for the run, whichever rows it takes
        Instant asOf = NOW;

        assertThat(bounded.purge(asOf).idempotencyKeys()).isEqualTo(2);
        for (int run = 0; run < 10 && !idempotencyKeys().isEmpty(); run++) {
            assertThat(bounded.purge(asOf).idempotencyKeys()).isLessThanOrEqualTo(2);
        }
        assertThat(idempotencyKeys()).isEmpty();
    }

    @Test
    void several_instances_purging_at_once_share_the_rows_and_none_fails() throws Exception {
        String endpoint = endpoint();
        for (int i = 0; i < 40; i++) {
            idempotencyKey("shared" + i, days(40));
            inbox("shared" + i, "rejected", days(40), 10);
            event("shared" + i, days(100), i % 2 == 0 ? endpoint : null, "delivered");
        }
        List<Callable<Retention.Purged>> instances = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Retention instance = new Retention(idempotencyRetention, webhookRetention, new RetentionProperties(true, null, null, null, null, null, 3, 1000));
            instances.add(() -> instance.purge(NOW));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<Retention.Purged> run : pool.invokeAll(instances)) {
                run.get(); // throws if an instance failed
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(idempotencyKeys()).isEmpty();
        assertThat(inbox()).isEmpty();
        assertThat(events()).isEmpty();
    }

    @Test
    void settings_below_a_sane_minimum_are_refused_at_start() {
        assertThatThrownBy(() -> new RetentionProperties(true, null,
                        Duration.ofHours(1), null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("moneytrail.retention.idempotency-keys must be at least PT24H");
        RetentionProperties defaults = RetentionProperties.defaults();
        assertThat(List.of(defaults.idempotencyKeys(), defaults.rejectedWebhooks(), defaults.deliveredEvents()))
                .containsExactly(Duration.ofDays(30), Duration.ofDays(30), Duration.ofDays(90));
        assertThat(defaults.rejectedWebhookBodyBytes()).isEqualTo(4096);
    }

    // ------------------------------------------------------------------ back-dated rows

    private static Instant days(int ago) {
        return NOW.minus(Duration.ofDays(ago));
    }

    private void idempotencyKey(String name, Instant createdAt) {
        jdbc.sql("""
                        insert into idempotency_keys (api_key_id, key, request_hash, status, response_status,
                                                      response_body, created_at, completed_at)
                        values ('key_retention', :key, '\\x00', 'completed', 200, '\\x7b7d', :at, :at)
                        """)
                .param("key", name + "-" + tag).param("at", Timestamp.from(createdAt)).update();
    }

    private List<String> idempotencyKeys() {
        return jdbc.sql("select key from idempotency_keys where key like :tag order by key")
                .param("tag", "%-" + tag).query(String.class).list();
    }

    private void inbox(String name, String status, Instant receivedAt, int bodyBytes) {
        jdbc.sql("""
                        insert into webhook_inbox (id, provider, provider_event_id, status, rejection_reason, raw_body,
                                                   received_at, processed_at)
                        values (:id, 'sandbox', :eventId, :status, :reason, :body, :at, :processed)
                        """)
                .param("id", name + "-" + tag)
                .param("eventId", status.equals("rejected") ? null : "evt_" + name + "-" + tag)
                .param("status", status).param("reason", status.equals("rejected") ? "signature_invalid" : null)
                .param("body", new byte[bodyBytes]).param("at", Timestamp.from(receivedAt))
                .param("processed", status.equals("processed") ? Timestamp.from(receivedAt) : null).update();
    }

    private List<String> inbox() {
        return jdbc.sql("select id from webhook_inbox where id like :tag order by id")
                .param("tag", "%-" + tag).query(String.class).list();
    }

    private int bodyBytes(String name) {
        return jdbc.sql("select octet_length(raw_body) from webhook_inbox where id = :id")
                .param("id", name + "-" + tag).query(Integer.class).single();
    }

    private String endpoint() {
        String id = "we_retention_" + tag;
        jdbc.sql("""
                        insert into webhook_endpoints (id, url, secret, enabled, created_at)
                        values (:id, 'http://127.0.0.1:9/retention', 'whsec_retention', false, :at)
                        on conflict (id) do nothing
                        """)
                .param("id", id).param("at", Timestamp.from(days(365))).update();
        return id;
    }

    private void event(String name, Instant createdAt, String endpoint, String deliveryStatus) {
        String id = name + "-" + tag;
        jdbc.sql("""
                        insert into outbox_events (id, type, order_id, object_id, payload, created_at)
                        values (:id, 'order.paid', null, 'ord_retention', cast('{}' as json), :at)
                        """)
                .param("id", id).param("at", Timestamp.from(createdAt)).update();
        if (endpoint != null) {
            jdbc.sql("""
                            insert into outbox_deliveries (event_id, endpoint_id, event_sequence, status, attempts,
                                                           next_attempt_at, delivered_at)
                            values (:id, :endpoint, (select sequence from outbox_events where id = :id), :status, 1,
                                    :at, :delivered)
                            """)
                    .param("id", id).param("endpoint", endpoint).param("status", deliveryStatus)
                    .param("at", Timestamp.from(createdAt))
                    .param("delivered", deliveryStatus.equals("delivered") ? Timestamp.from(createdAt) : null)
                    .update();
        }
    }

    private List<String> events() {
        return jdbc.sql("select id from outbox_events where id like :tag order by id")
                .param("tag", "%-" + tag).query(String.class).list();
    }

    /** Row counts of the tables that exist (the audit log may not exist yet on every branch). */
    private List<Long> counts(List<String> tables) {
        List<Long> counts = new ArrayList<>();
        for (String table : tables) {
            Boolean exists = jdbc.sql("select to_regclass(:t) is not null").param("t", table)
                    .query(Boolean.class).single();
            counts.add(exists ? jdbc.sql("select count(*) from " + table).query(Long.class).single() : -1L);
        }
        return counts;
    }
}
