package io.moneytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code POST /v1/refunds} writes its idempotency claim in the refund intent's transaction (one
 * commit less than a claim of its own): the claim is committed, in progress and leased, before
 * the provider is asked; a concurrent repeat runs into it and waits for the answer; an answer
 * given without a claim (a refusal) is stored and replayed; a key held by another request or
 * whose lease ran out behaves as for every other route.
 */
class IdempotencyClaimInIntentTest extends ApiTest {

    @Autowired
    IdempotencyClaims claims;

    private String claim(String key) {
        return jdbc.sql("""
                        select status || ' ' || claimed_by || ' ' || coalesce((lease_expires_at > now())::text, 'none')
                        from idempotency_keys where key = :k""")
                .param("k", key).query(String.class).optional().orElse("none");
    }

    @Test
    void the_claim_commits_with_the_refund_intent_before_the_provider_is_asked() throws Exception {
        String payment = IdempotencyRows.capturedPayment(api);
        String providerPayment = api.get("/v1/payments/" + payment).text("provider_payment_id");
        api.sandbox("POST", "/faults", "{\"payment\":\"" + providerPayment + "\",\"api\":\"timeout\","
                + "\"api_timeout_ms\":1500,\"webhook\":\"drop\"}").expect(200);
        try {
            String key = UUID.randomUUID().toString();
            String body = "{\"payment\":\"" + payment + "\",\"amount\":500}";
            CompletableFuture<Api.Response> first = CompletableFuture.supplyAsync(() -> api.post("/v1/refunds", body, key));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!claim(key).startsWith("in_progress") && System.nanoTime() < deadline) {
                Api.sleep(5);
            }
            // while the provider holds its answer: the claim and the intent are both committed
            assertThat(claim(key)).startsWith("in_progress ins_").endsWith(" true").doesNotContain("deadbeef");
            assertThat(jdbc.sql("select count(*) from refunds where creation_key like '%:' || :k")
                    .param("k", key).query(Long.class).single()).isEqualTo(1);
            // a repeat meanwhile waits for the first and answers alike
            Api.Response repeat = api.post("/v1/refunds", body, key);
            Api.Response answered = first.get();
            assertThat(repeat.raw()).isEqualTo(answered.raw());
            assertThat(IdempotencyRows.refunds(jdbc, payment)).isEqualTo(1);
        } finally {
            api.sandbox("DELETE", "/faults?payment=" + providerPayment, null);
        }
    }

    @Test
    void the_answer_commits_with_the_transaction_that_applies_the_provider_s_answer() {
        String payment = IdempotencyRows.capturedPayment(api);
        String key = UUID.randomUUID().toString();
        String body = "{\"payment\":\"" + payment + "\",\"amount\":600}";
        Api.Response first = api.post("/v1/refunds", body, key).expect(200);
        // stored before the answer was sent: no background write to wait for
        assertThat(claim(key)).isEqualTo("completed " + jdbc.sql("select claimed_by from idempotency_keys where key = :k")
                .param("k", key).query(String.class).single() + " none");
        String stored = jdbc.sql("select convert_from(response_body, 'UTF8') from idempotency_keys where key = :k")
                .param("k", key).query(String.class).single();
        assertThat(stored).as("the answer stored is the one sent").isEqualTo(first.raw());
        claims.discardUnwritten(); // nothing of it was waiting in memory
        assertThat(api.post("/v1/refunds", body, key).expect(200).raw()).isEqualTo(first.raw());
        assertThat(IdempotencyRows.refunds(jdbc, payment)).isEqualTo(1);
    }

    @Test
    void concurrent_refunds_with_one_key_make_one_refund_and_answer_alike() throws Exception {
        String payment = IdempotencyRows.capturedPayment(api);
        String key = UUID.randomUUID().toString();
        String body = "{\"payment\":\"" + payment + "\",\"amount\":300}";
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<String> refundIds = new ArrayList<>();
        try {
            List<Callable<Api.Response>> calls = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                calls.add(() -> api.post("/v1/refunds", body, key));
            }
            for (Future<Api.Response> result : pool.invokeAll(calls)) {
                Api.Response response = result.get();
                if (response.status() == 200) {
                    refundIds.add(response.text("id"));
                } else {
                    assertThat(response.status()).as(response.raw()).isEqualTo(409);
                    assertThat(response.errorCode()).isEqualTo("idempotency_key_in_use");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(refundIds).isNotEmpty();
        assertThat(refundIds).as("every 200 is the same refund").containsOnly(refundIds.get(0));
        assertThat(IdempotencyRows.refunds(jdbc, payment)).isEqualTo(1);
        assertThat(api.post("/v1/refunds", body, key).expect(200).text("id")).isEqualTo(refundIds.get(0));
        assertThat(api.post("/v1/refunds", body.replace("300", "301"), key).expect(400).errorCode())
                .isEqualTo("idempotency_key_reused");
        assertThat(IdempotencyRows.refunds(jdbc, payment)).isEqualTo(1);
    }

    @Test
    void a_refund_refused_before_or_inside_its_intent_is_stored_and_replayed() {
        String payment = IdempotencyRows.capturedPayment(api);
        String tooMuch = "{\"payment\":\"" + payment + "\",\"amount\":999999}";
        String key = UUID.randomUUID().toString();
        Api.Response refused = api.post("/v1/refunds", tooMuch, key).expect(400);
        assertThat(refused.errorCode()).isEqualTo("amount_too_large");
        assertThat(claim(key)).startsWith("completed ins_");
        assertThat(api.post("/v1/refunds", tooMuch, key).expect(400).raw()).isEqualTo(refused.raw());

        String unknown = "{\"payment\":\"pay_unknown\",\"amount\":100}";
        String other = UUID.randomUUID().toString();
        Api.Response notFound = api.post("/v1/refunds", unknown, other).expect(404);
        assertThat(claim(other)).startsWith("completed ins_");
        assertThat(api.post("/v1/refunds", unknown, other).expect(404).raw()).isEqualTo(notFound.raw());
        assertThat(IdempotencyRows.refunds(jdbc, payment)).isZero();
    }

    @Test
    void a_key_held_by_a_live_claim_elsewhere_makes_no_refund_and_answers_in_use() {
        String payment = IdempotencyRows.capturedPayment(api);
        String key = UUID.randomUUID().toString();
        String body = "{\"payment\":\"" + payment + "\",\"amount\":400}";
        IdempotencyRows.claimedElsewhere(jdbc, api, "/v1/refunds", key, body, 3_600_000);
        Api.Response busy = api.post("/v1/refunds", body, key).expect(409);
        assertThat(busy.errorCode()).isEqualTo("idempotency_key_in_use");
        assertThat(api.post("/v1/refunds", body.replace("400", "401"), key).expect(400).errorCode())
                .isEqualTo("idempotency_key_reused");
        assertThat(IdempotencyRows.refunds(jdbc, payment)).isZero();
        assertThat(claim(key)).isEqualTo("in_progress ins_deadbeef true");
    }

    @Test
    void a_claim_whose_lease_ran_out_is_taken_over_by_the_refund_intent() {
        String payment = IdempotencyRows.capturedPayment(api);
        String key = UUID.randomUUID().toString();
        String body = "{\"payment\":\"" + payment + "\",\"amount\":400}";
        IdempotencyRows.claimedElsewhere(jdbc, api, "/v1/refunds", key, body, -1000); // its process died after claiming, before its intent committed
        Api.Response refunded = api.post("/v1/refunds", body, key).expect(200);
        assertThat(IdempotencyRows.refunds(jdbc, payment)).isEqualTo(1);
        claims.flush();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!claim(key).startsWith("completed") && System.nanoTime() < deadline) {
            Api.sleep(10);
        }
        assertThat(claim(key)).startsWith("completed ins_").doesNotContain("deadbeef");
        assertThat(api.post("/v1/refunds", body, key).expect(200).raw()).isEqualTo(refunded.raw());
    }
}
