package io.moneytrail.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The four-eyes rule of ledger adjustments (ApiTest sets {@code moneytrail.ledger.approval-above}
 * to 100000000 minor units): above it an adjustment is proposed (202) and posted only when another
 * key approves it; the proposer may not; a decided proposal is decided once.
 */
class FourEyesAdjustmentTest extends ApiTest {

    static final long ABOVE = 100_000_000L;

    private Api keyWithRole(String role) {
        Api.Response created = api.post("/v1/api_keys", "{\"name\":\"four eyes " + role + "\",\"role\":\"" + role
                + "\"}").expect(201);
        return new Api("http://localhost:" + port, created.text("secret"));
    }

    private static String body(long amount, String reason, String reference) {
        return """
                {"lines":[{"account":"expenses:adjustments","direction":"debit","amount":%d,"currency":"EUR"},
                          {"account":"assets:suspense","direction":"credit","amount":%d,"currency":"EUR"}],
                 "reason":"%s","reference":"%s"}""".formatted(amount, amount, reason, reference);
    }

    private long entriesOf(String reference) {
        return jdbc.sql("select count(*) from journal_entries where source_type = 'adjustment' and source_id = :r")
                .param("r", reference).query(Long.class).single();
    }

    @Test
    void an_adjustment_above_the_threshold_is_proposed_and_posted_only_when_another_key_approves_it() {
        Api proposer = keyWithRole("accountant");
        Api approver = keyWithRole("accountant");
        String reference = "fe-" + UUID.randomUUID();

        Api.Response proposed = proposer.post("/v1/ledger/adjustments", body(ABOVE + 1, "write off a lost float",
                reference)).expect(202);
        String id = proposed.text("id");
        assertThat(id).startsWith("lap_");
        assertThat(proposed.text("status")).isEqualTo("proposed");
        assertThat(proposed.text("object")).isEqualTo("ledger_adjustment");
        assertThat(proposed.body().path("amount").asLong()).isEqualTo(ABOVE + 1);
        assertThat(proposed.body().path("approval_above").asLong()).isEqualTo(ABOVE);
        assertThat(entriesOf(reference)).isZero();
        // a retry of the same proposal answers it again; other content under its reference is refused
        assertThat(proposer.post("/v1/ledger/adjustments", body(ABOVE + 1, "write off a lost float", reference))
                .expect(202).text("id")).isEqualTo(id);
        assertThat(proposer.post("/v1/ledger/adjustments", body(ABOVE + 2, "write off a lost float", reference))
                .expect(409).errorCode()).isEqualTo("reference_already_used");
        assertThat(api.get("/v1/ledger/adjustments?status=proposed").expect(200).raw()).contains(id);

        Api.Response own = proposer.post("/v1/ledger/adjustments/" + id + "/approve", null).expect(403);
        assertThat(own.errorCode()).isEqualTo("approver_is_proposer");
        assertThat(proposer.post("/v1/ledger/adjustments/" + id + "/reject", "{\"reason\":\"mine\"}").expect(403)
                .errorCode()).isEqualTo("approver_is_proposer");
        assertThat(entriesOf(reference)).isZero();
        // a store key may not approve at all
        keyWithRole("store").post("/v1/ledger/adjustments/" + id + "/approve", null).expect(403);

        Api.Response approved = approver.post("/v1/ledger/adjustments/" + id + "/approve", null).expect(200);
        assertThat(approved.text("status")).isEqualTo("approved");
        assertThat(approved.text("journal_entry")).startsWith("je_");
        assertThat(approved.text("decided_by")).contains("four eyes accountant");
        assertThat(entriesOf(reference)).isEqualTo(1);
        Api.Response entry = api.get("/v1/ledger/entries?account=assets:suspense&limit=100").expect(200);
        assertThat(entry.raw()).contains(approved.text("journal_entry"));

        Api.Response again = api.post("/v1/ledger/adjustments/" + id + "/approve", null).expect(409);
        assertThat(again.errorCode()).isEqualTo("proposal_already_decided");
        assertThat(again.body().path("error").path("message").asText()).contains("already approved");
        assertThat(api.post("/v1/ledger/adjustments/" + id + "/reject", "{\"reason\":\"late\"}").expect(409)
                .errorCode()).isEqualTo("proposal_already_decided");
        assertThat(entriesOf(reference)).isEqualTo(1);

        List<String> actions = jdbc.sql("""
                        select action from audit_log where object_id = :id or (action = 'ledger.adjustment.create'
                          and object_id = :entry) order by occurred_at, id""")
                .param("id", id).param("entry", approved.text("journal_entry")).query(String.class).list();
        assertThat(actions).contains("ledger.adjustment.propose", "ledger.adjustment.approve",
                "ledger.adjustment.create");
        assertThat(jdbc.sql("select count(*) from audit_log where object_id = :id and action = 'ledger.adjustment.approve'"
                        + " and outcome = 'refused' and http_status = 409").param("id", id).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void a_rejected_proposal_posts_nothing_and_cannot_be_approved_afterwards() {
        Api proposer = keyWithRole("accountant");
        String reference = "fe-" + UUID.randomUUID();
        String id = proposer.post("/v1/ledger/adjustments", body(ABOVE + 500, "duplicate booking", reference))
                .expect(202).text("id");
        api.post("/v1/ledger/adjustments/" + id + "/reject", "{}").expect(400);
        Api.Response rejected = api.post("/v1/ledger/adjustments/" + id + "/reject",
                "{\"reason\":\"the booking was right\"}").expect(200);
        assertThat(rejected.text("status")).isEqualTo("rejected");
        assertThat(rejected.text("decision_reason")).isEqualTo("the booking was right");
        Api.Response late = api.post("/v1/ledger/adjustments/" + id + "/approve", null).expect(409);
        assertThat(late.errorCode()).isEqualTo("proposal_already_decided");
        assertThat(late.body().path("error").path("message").asText()).contains("already rejected");
        assertThat(entriesOf(reference)).isZero();
        assertThat(api.get("/v1/ledger/adjustments/" + id).expect(200).text("status")).isEqualTo("rejected");
    }

    @Test
    void at_or_below_the_threshold_an_adjustment_posts_at_once() {
        String reference = "fe-" + UUID.randomUUID();
        api.post("/v1/ledger/adjustments", body(ABOVE, "exactly the threshold", reference)).expect(200);
        assertThat(entriesOf(reference)).isEqualTo(1);
    }

    @Test
    void two_approvals_at_once_post_once() throws Exception {
        String reference = "fe-" + UUID.randomUUID();
        String id = api.post("/v1/ledger/adjustments", body(ABOVE + 7, "race", reference)).expect(202).text("id");
        List<Api> approvers = List.of(keyWithRole("accountant"), keyWithRole("admin"), keyWithRole("accountant"));
        ExecutorService pool = Executors.newFixedThreadPool(approvers.size());
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (Api approver : approvers) {
                calls.add(() -> approver.post("/v1/ledger/adjustments/" + id + "/approve", null).status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 409, 409);
        } finally {
            pool.shutdown();
        }
        assertThat(entriesOf(reference)).isEqualTo(1);
    }
}
