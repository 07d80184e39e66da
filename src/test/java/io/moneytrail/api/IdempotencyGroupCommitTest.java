package io.moneytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Completions of requests that create under their key are stored late, in batches: a replay on
 * this instance gets the answer at once, a crash before the batch was written never makes a
 * second refund, and one statement stores many answers.
 */
class IdempotencyGroupCommitTest extends ApiTest {

    @Autowired
    IdempotencyClaims claims;

    private String claimState(String key) {
        return jdbc.sql("select status from idempotency_keys where key = :k").param("k", key)
                .query(String.class).single();
    }

    /** The process "dies": its unwritten answers are gone, the claim stays in progress and its lease has run out. */
    private void dieBeforeTheAnswerIsWritten(String key) {
        claims.discardUnwritten();
        jdbc.sql("""
                update idempotency_keys set status = 'in_progress', response_status = null, response_body = null,
                       response_type = null, completed_at = null, lease_expires_at = now() - interval '1 second'
                where key = :k""").param("k", key).update();
    }

    @Test
    void a_replay_right_after_the_answer_returns_the_same_body_and_the_answer_is_then_stored() {
        String payment = IdempotencyRows.capturedPayment(api);
        String key = UUID.randomUUID().toString();
        String body = "{\"payment\":\"" + payment + "\",\"amount\":700}";
        Api.Response first = api.post("/v1/refunds", body, key).expect(200);
        Api.Response replay = api.post("/v1/refunds", body, key).expect(200);
        assertThat(replay.raw()).isEqualTo(first.raw());
        assertThat(api.post("/v1/refunds", body.replace("700", "701"), key).expect(400).errorCode())
                .isEqualTo("idempotency_key_reused");
        assertThat(IdempotencyRows.refunds(jdbc, payment)).isEqualTo(1);

        claims.flush();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!"completed".equals(claimState(key)) && System.nanoTime() < deadline) {
            Api.sleep(10);
        }
        assertThat(claimState(key)).isEqualTo("completed");
        assertThat(api.post("/v1/refunds", body, key).expect(200).raw()).as("replayed from the table")
                .isEqualTo(first.raw());
    }

    @Test
    void an_answer_lost_before_its_batch_was_written_never_makes_a_second_refund() {
        String payment = IdempotencyRows.capturedPayment(api);
        String key = UUID.randomUUID().toString();
        String body = "{\"payment\":\"" + payment + "\",\"amount\":700}";
        String refund = api.post("/v1/refunds", body, key).expect(200).text("id");
        dieBeforeTheAnswerIsWritten(key);

        Api.Response retried = api.post("/v1/refunds", body, key).expect(200);
        assertThat(retried.text("id")).as("the refund the first run created").isEqualTo(refund);
        assertThat(IdempotencyRows.refunds(jdbc, payment)).isEqualTo(1);
    }

    @Test
    void a_refund_naming_lines_whose_answer_was_lost_is_returned_to_the_retry_not_refused_as_already_refunded() {
        String payment = IdempotencyRows.capturedPayment(api);
        String key = UUID.randomUUID().toString();
        String body = "{\"payment\":\"" + payment + "\",\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":2}]}";
        String refund = api.post("/v1/refunds", body, key).expect(200).text("id");
        dieBeforeTheAnswerIsWritten(key);

        // both lines are refunded now, so checking the named quantities again would refuse the retry
        Api.Response retried = api.post("/v1/refunds", body, key).expect(200);
        assertThat(retried.text("id")).as("the refund the first run created").isEqualTo(refund);
        assertThat(IdempotencyRows.refunds(jdbc, payment)).isEqualTo(1);
    }

    @Test
    void one_statement_stores_many_answers() {
        String scope = "test_" + UUID.randomUUID();
        int n = 100;
        for (int i = 0; i < n; i++) {
            assertThat(claims.claim(scope, "k" + i, new byte[] {(byte) i}))
                    .isInstanceOf(IdempotencyClaims.Claimed.class);
        }
        long[] before = claims.writerCounts();
        for (int i = 0; i < n; i++) {
            claims.completeLater(scope, "k" + i, new byte[] {(byte) i}, 200, ("{\"n\":" + i + "}").getBytes(),
                    "application/json");
        }
        assertThat(claims.claim(scope, "k7", new byte[] {7})).as("answered here: replayed before it is written")
                .isInstanceOf(IdempotencyClaims.Completed.class);
        claims.flush();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (claims.writerCounts()[1] - before[1] < n && System.nanoTime() < deadline) {
            Api.sleep(10);
        }
        long[] after = claims.writerCounts();
        assertThat(after[1] - before[1]).as("rows stored").isEqualTo(n);
        assertThat(after[0] - before[0]).as("statements for %d answers", n).isLessThanOrEqualTo(5);
        assertThat(jdbc.sql("""
                        select count(*) from idempotency_keys
                        where api_key_id = :s and status = 'completed' and lease_expires_at is null
                          and convert_from(response_body, 'UTF8') = '{"n":' || substr(key, 2) || '}'""")
                .param("s", scope).query(Long.class).single()).isEqualTo(n);
    }
}
