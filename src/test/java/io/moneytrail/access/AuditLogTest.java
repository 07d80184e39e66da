package io.moneytrail.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The audit log: one row per change, in the change's transaction, naming the authenticated actor. */
class AuditLogTest extends ApiTest {

    @Autowired
    private AuditTrail trail;

    @Autowired
    private TransactionTemplate tx;

    private String keyId;

    @BeforeEach
    void findTheKeysId() {
        keyId = jdbc.sql("select id from api_keys where key_sha256 = sha256(convert_to(:k, 'UTF8'))")
                .param("k", api.key()).query(String.class).single();
    }

    /** The rows about one object, through the API (newest first). */
    private JsonNode rowsAbout(String objectId) {
        return api.get("/v1/audit_log?object=" + objectId + "&limit=100").expect(200).body().path("data");
    }

    private List<JsonNode> rowsAbout(String objectId, String action) {
        List<JsonNode> rows = new ArrayList<>();
        rowsAbout(objectId).forEach(row -> {
            if (row.path("action").asText().equals(action)) {
                rows.add(row);
            }
        });
        return rows;
    }

    /** Exactly one succeeded row for the action on the object, by the test's key; returns it. */
    private JsonNode theOneRow(String objectId, String action) {
        List<JsonNode> rows = rowsAbout(objectId, action).stream()
                .filter(row -> row.path("outcome").asText().equals("succeeded")).toList();
        assertThat(rows).as("audit rows of %s on %s", action, objectId).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.path("object").asText()).isEqualTo("audit_log_entry");
        assertThat(row.path("id").asText()).startsWith("aud_");
        assertThat(row.path("actor").path("kind").asText()).isEqualTo("key");
        assertThat(row.path("actor").path("id").asText()).isEqualTo(keyId);
        assertThat(row.path("actor").path("role").asText()).isEqualTo("admin");
        assertThat(row.path("target").path("id").asText()).isEqualTo(objectId);
        assertThat(row.path("request_id").asText()).startsWith("req_");
        assertThat(row.path("outcome").asText()).isEqualTo("succeeded");
        return row;
    }

    private String[] authorisedPayment(String captureMethod, String expectedStatus) {
        String order = api.createOrder(1250, 2).text("id");
        Api.Response payment = api.createPayment(order, captureMethod);
        assertThat(api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(),
                "succeeded")).isIn(200, 303);
        api.eventually("/v1/payments/" + payment.text("id"), r -> expectedStatus.equals(r.text("status")));
        return new String[] {order, payment.text("id")};
    }

    @Test
    void a_capture_leaves_one_row_naming_the_authenticated_key() {
        String[] ids = authorisedPayment("manual", "authorized");
        Api.Response captured = api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":1000}").expect(200);
        JsonNode row = theOneRow(ids[1], "payment.capture");
        assertThat(row.path("target").path("type").asText()).isEqualTo("payment");
        assertThat(row.path("details").path("amount").asLong()).isEqualTo(1000);
        assertThat(row.path("http_method").asText()).isEqualTo("POST");
        assertThat(row.path("http_path").asText()).isEqualTo("/v1/payments/" + ids[1] + "/capture");
        assertThat(captured.status()).isEqualTo(200);
    }

    @Test
    void cancelling_an_order_leaves_one_row() {
        String order = api.createOrder(700, 1).text("id");
        api.post("/v1/orders/" + order + "/cancel", null).expect(200);
        theOneRow(order, "order.cancel");
        theOneRow(order, "order.create");
    }

    @Test
    void a_refund_leaves_one_row_with_the_refund_as_target_and_its_reason() {
        String[] ids = authorisedPayment("automatic", "captured");
        String refund = api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":300,\"reason\":\"chipped\"}")
                .expect(200).text("id");
        JsonNode row = theOneRow(refund, "refund.create");
        assertThat(row.path("reason").asText()).isEqualTo("chipped");
        assertThat(row.path("details").path("payment").asText()).isEqualTo(ids[1]);
    }

    @Test
    void an_adjustment_is_recorded_with_its_reason_and_its_actor_comes_from_the_key_never_the_body() {
        String body = """
                {"lines":[{"account":"expenses:adjustments","direction":"debit","amount":42,"currency":"EUR"},
                          {"account":"assets:suspense","direction":"credit","amount":42,"currency":"EUR"}],
                 "reason":"cash count difference","reference":"%s"%s}""";
        String reference = "audit-" + UUID.randomUUID();
        Api.Response claimed = api.post("/v1/ledger/adjustments", body.formatted(reference, ",\"actor\":\"ann\""))
                .expect(400);
        assertThat(claimed.errorCode()).isEqualTo("parameter_unknown");
        assertThat(claimed.errorParam()).isEqualTo("actor");

        Api.Response entry = api.post("/v1/ledger/adjustments", body.formatted(reference, "")).expect(200);
        assertThat(entry.text("actor")).isEqualTo("generated on first start (" + keyId + ", admin)");
        JsonNode row = theOneRow(entry.text("id"), "ledger.adjustment.create");
        assertThat(row.path("reason").asText()).isEqualTo("cash count difference");
        assertThat(row.path("details").path("reference").asText()).isEqualTo(reference);
    }

    @Test
    void resolving_an_exception_is_recorded_with_its_reason_and_the_key_as_actor() {
        String run = "rr_audit_" + UUID.randomUUID().toString().replace("-", "");
        String exception = "rx_audit_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.sql("""
                insert into recon_runs (id, period_from, period_to, trigger, inputs, status, started_at)
                values (:id, current_date, current_date, 'api', '{}'::jsonb, 'succeeded', now())""")
                .param("id", run).update();
        jdbc.sql("""
                insert into recon_exceptions (id, fingerprint, class, severity, status, evidence, evidence_hash,
                                              first_run_id, last_run_id, created_at, updated_at)
                values (:id, :id, 'amount_mismatch', 'high', 'open', '{}'::jsonb, 'x', :run, :run, now(), now())""")
                .param("id", exception).param("run", run).update();
        String path = "/v1/reconciliation/exceptions/" + exception;
        assertThat(api.post(path + "/acknowledge", "{\"actor\":\"ann\"}").expect(400).errorParam()).isEqualTo("actor");
        api.post(path + "/acknowledge", "{}").expect(200);
        Api.Response resolved = api.post(path + "/resolve", "{\"reason\":\"provider confirmed by phone\"}")
                .expect(200);
        assertThat(resolved.body().path("history").get(1).path("actor").asText())
                .isEqualTo("generated on first start (" + keyId + ", admin)");
        JsonNode row = theOneRow(exception, "reconciliation.exception.resolve");
        assertThat(row.path("reason").asText()).isEqualTo("provider confirmed by phone");
        theOneRow(exception, "reconciliation.exception.acknowledge");
        // the refused attempt that named an actor in its body has its own row
        assertThat(rowsAbout(exception, "reconciliation.exception.acknowledge")).hasSize(2)
                .anySatisfy(refused -> assertThat(refused.path("http_status").asInt()).isEqualTo(400));
    }

    @Test
    void creating_and_disabling_a_webhook_endpoint_are_each_recorded() {
        String endpoint = api.post("/v1/webhook_endpoints", "{\"url\":\"http://127.0.0.1:9/audit-hook\"}").expect(200)
                .text("id");
        api.post("/v1/webhook_endpoints/" + endpoint + "/disable", null).expect(200);
        theOneRow(endpoint, "webhook_endpoint.create");
        theOneRow(endpoint, "webhook_endpoint.disable");
    }

    @Test
    void uploading_a_reconciliation_file_is_recorded() {
        authorisedPayment("automatic", "captured"); // a new row in today's report: a file not seen before
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String report = api.sandbox("GET", "/reports/balance_transactions?from=" + today + "&to=" + today.plusDays(1),
                null).expect(200).raw();
        Api.Response file = api.send(api.request("/v1/reconciliation/files?kind=provider&name="
                        + URLEncoder.encode("audit " + UUID.randomUUID() + ".csv", StandardCharsets.UTF_8))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(report)).build()).expect(200);
        JsonNode row = theOneRow(file.text("id"), "reconciliation.file.upload");
        assertThat(row.path("details").path("kind").asText()).isEqualTo("provider");
    }

    @Test
    void a_refused_request_is_recorded_as_refused_with_its_status_and_leaves_no_succeeded_row() {
        String[] ids = authorisedPayment("manual", "authorized");
        Api.Response tooMuch = api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":999999}").expect(400);
        assertThat(tooMuch.errorCode()).isEqualTo("amount_too_large");
        // the refused row is written once the answer is known, just after it is sent
        Api.Response log = api.eventually("/v1/audit_log?object=" + ids[1] + "&action=payment.capture",
                r -> r.body().path("data").size() == 1);
        JsonNode row = log.body().path("data").get(0);
        assertThat(row.path("outcome").asText()).isEqualTo("refused");
        assertThat(row.path("http_status").asInt()).isEqualTo(400);
        assertThat(row.path("http_method").asText()).isEqualTo("POST");
        assertThat(row.path("http_path").asText()).isEqualTo("/v1/payments/" + ids[1] + "/capture");
        assertThat(row.path("actor").path("id").asText()).isEqualTo(keyId);
        assertThat(api.get("/v1/payments/" + ids[1]).number("amount_captured")).isZero();
    }

    @Test
    void a_request_refused_before_its_controller_is_named_by_its_action_and_target() {
        String order = api.createOrder(700, 1).text("id");
        String payment = api.createPayment(order, "manual").text("id");
        assertThat(api.post("/v1/payments/" + payment + "/capture", "{}", null).expect(400).errorCode())
                .isEqualTo("idempotency_key_required");
        JsonNode row = api.eventually("/v1/audit_log?object=" + payment + "&action=payment.capture",
                r -> r.body().path("data").size() == 1).body().path("data").get(0);
        assertThat(row.path("outcome").asText()).isEqualTo("refused");
        assertThat(row.path("http_status").asInt()).isEqualTo(400);
        assertThat(row.path("target").path("type").asText()).isEqualTo("payment");
    }

    @Test
    void a_change_that_rolls_back_leaves_no_row() {
        String object = "obj_" + UUID.randomUUID();
        tx.executeWithoutResult(status -> {
            trail.record("test.change", "test", object);
            status.setRollbackOnly();
        });
        assertThat(count(object)).isZero();
        tx.executeWithoutResult(status -> trail.record("test.change", "test", object));
        assertThat(count(object)).isOne();
        // outside a request the actor is the system
        assertThat(jdbc.sql("select actor_kind || ':' || actor_id from audit_log where object_id = :o")
                .param("o", object).query(String.class).single()).isEqualTo("system:" + AuditTrail.SYSTEM_JOB);
    }

    @Test
    void a_row_cannot_be_written_outside_a_transaction() {
        assertThatThrownBy(() -> trail.record("test.change", "test", "obj_outside"))
                .isInstanceOf(org.springframework.transaction.IllegalTransactionStateException.class);
    }

    private long count(String object) {
        return jdbc.sql("select count(*) from audit_log where object_id = :o").param("o", object)
                .query(Long.class).single();
    }

    @Test
    void the_log_refuses_update_delete_and_truncate() {
        String object = "obj_" + UUID.randomUUID();
        tx.executeWithoutResult(status -> trail.record("test.change", "test", object, AuditTrail.Outcome.SUCCEEDED,
                "why", Map.of()));
        // the trigger refuses it; a service role without the privilege is refused even earlier
        for (String change : List.of("update audit_log set reason = 'edited' where object_id = :o",
                "delete from audit_log where object_id = :o")) {
            assertThatThrownBy(() -> jdbc.sql(change).param("o", object).update())
                    .isInstanceOf(DataAccessException.class)
                    .satisfiesAnyOf(e -> assertThat(e).hasMessageContaining("audit_log rows are immutable"),
                            e -> assertThat(e).hasMessageContaining("permission denied"));
        }
        assertThatThrownBy(() -> jdbc.sql("truncate audit_log").update()).isInstanceOf(DataAccessException.class);
        assertThat(jdbc.sql("select reason from audit_log where object_id = :o").param("o", object)
                .query(String.class).single()).isEqualTo("why");
    }

    @Test
    void pages_walk_the_log_newest_first_and_filters_narrow_it() {
        Instant before = Instant.now().minusMillis(5);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(api.createOrder(100 + i, 1).text("id"));
        }
        String query = "/v1/audit_log?action=order.create&actor=" + keyId + "&from=" + before + "&limit=2";
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            Api.Response response = api.get(query + (cursor == null ? "" : "&starting_after=" + cursor)).expect(200);
            assertThat(response.text("object")).isEqualTo("list");
            JsonNode data = response.body().path("data");
            assertThat(data.size()).isLessThanOrEqualTo(2);
            data.forEach(row -> seen.add(row.path("target").path("id").asText()));
            if (!response.body().path("has_more").asBoolean()) {
                break;
            }
            cursor = data.get(data.size() - 1).path("id").asText();
        }
        List<String> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);

        assertThat(api.get("/v1/audit_log?action=order.create&to=" + before + "&object=" + created.get(0))
                .expect(200).body().path("data").size()).isZero();
        assertThat(api.get("/v1/audit_log?actor=key_nobody&from=" + before).expect(200).body().path("data").size())
                .isZero();
        assertThat(api.get("/v1/audit_log?limit=0").expect(400).errorParam()).isEqualTo("limit");
        assertThat(api.get("/v1/audit_log?limit=101").expect(400).errorParam()).isEqualTo("limit");
        assertThat(api.get("/v1/audit_log?starting_after=ord_x").expect(400).errorParam()).isEqualTo("starting_after");
        assertThat(api.get("/v1/audit_log?from=yesterday").expect(400).errorParam()).isEqualTo("from");
    }

    @Test
    void a_replayed_answer_is_not_recorded_again() {
        String key = UUID.randomUUID().toString();
        String body = "{\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"name\":\"A\",\"quantity\":1,\"unit_amount\":5}]}";
        String order = api.post("/v1/orders", body, key).expect(200).text("id");
        api.post("/v1/orders", body, key).expect(200);
        Api.sleep(200);
        theOneRow(order, "order.create");
    }

    @Test
    void every_answer_under_v1_carries_a_request_id() throws Exception {
        java.net.http.HttpResponse<Void> response = java.net.http.HttpClient.newHttpClient()
                .send(api.request("/v1/orders?limit=1").GET().build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(response.headers().firstValue("Request-Id")).hasValueSatisfying(id -> assertThat(id)
                .startsWith("req_"));
    }
}
