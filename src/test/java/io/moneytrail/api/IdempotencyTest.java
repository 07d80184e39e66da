package io.moneytrail.api;

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

class IdempotencyTest extends ApiTest {

    private static final String ORDER = """
            {"currency":"EUR","lines":[{"sku":"A","name":"A","quantity":1,"unit_amount":700,"vat_rate":null}]}""";

    private long orders() {
        return jdbc.sql("select count(*) from orders").query(Long.class).single();
    }

    @Test
    void same_key_and_body_replays_the_first_response_without_a_second_effect() {
        String key = UUID.randomUUID().toString();
        long before = orders();
        Api.Response first = api.post("/v1/orders", ORDER, key).expect(200);
        Api.Response second = api.post("/v1/orders", ORDER, key).expect(200);
        assertThat(second.raw()).isEqualTo(first.raw());
        assertThat(orders()).isEqualTo(before + 1);
    }

    @Test
    void a_request_re_executed_after_a_crash_finds_what_its_first_run_created() {
        String key = UUID.randomUUID().toString();
        long before = orders();
        String first = api.post("/v1/orders", ORDER, key).expect(200).text("id");
        // the first run committed its order but died before its answer was stored
        jdbc.sql("delete from idempotency_keys where key = :k").param("k", key).update();
        String again = api.post("/v1/orders", ORDER, key).expect(200).text("id");
        assertThat(again).isEqualTo(first);
        assertThat(orders()).isEqualTo(before + 1);

        String payKey = UUID.randomUUID().toString();
        String payment = api.post("/v1/orders/" + first + "/payments", "{\"provider\":\"sandbox\"}", payKey)
                .expect(200).text("id");
        jdbc.sql("delete from idempotency_keys where key = :k").param("k", payKey).update();
        assertThat(api.post("/v1/orders/" + first + "/payments", "{\"provider\":\"sandbox\"}", payKey).expect(200)
                .text("id")).isEqualTo(payment);
    }

    @Test
    void same_key_with_a_different_body_is_an_idempotency_error() {
        String key = UUID.randomUUID().toString();
        api.post("/v1/orders", ORDER, key).expect(200);
        Api.Response misuse = api.post("/v1/orders", ORDER.replace("700", "701"), key).expect(400);
        assertThat(misuse.errorType()).isEqualTo("idempotency_error");
        assertThat(misuse.errorCode()).isEqualTo("idempotency_key_reused");
        assertThat(misuse.errorParam()).isEqualTo("Idempotency-Key");
    }

    @Test
    void same_key_on_another_endpoint_is_an_idempotency_error() {
        String key = UUID.randomUUID().toString();
        String order = api.post("/v1/orders", ORDER, key).expect(200).text("id");
        Api.Response misuse = api.post("/v1/orders/" + order + "/cancel", ORDER, key).expect(400);
        assertThat(misuse.errorType()).isEqualTo("idempotency_error");
    }

    @Test
    void error_responses_are_replayed_too() {
        String key = UUID.randomUUID().toString();
        Api.Response first = api.post("/v1/orders", "{\"currency\":\"XYZ\",\"lines\":[]}", key).expect(400);
        Api.Response second = api.post("/v1/orders", "{\"currency\":\"XYZ\",\"lines\":[]}", key).expect(400);
        assertThat(second.raw()).isEqualTo(first.raw());
    }

    @Test
    void concurrent_requests_with_one_key_produce_one_effect() throws Exception {
        String order = api.createOrder(900, 1).text("id");
        String key = UUID.randomUUID().toString();
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Callable<Api.Response>> calls = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                calls.add(() -> api.post("/v1/orders/" + order + "/payments", "{\"provider\":\"sandbox\"}", key));
            }
            List<Integer> statuses = new ArrayList<>();
            List<String> paymentIds = new ArrayList<>();
            for (Future<Api.Response> result : pool.invokeAll(calls)) {
                Api.Response response = result.get();
                statuses.add(response.status());
                if (response.status() == 200) {
                    paymentIds.add(response.text("id"));
                } else {
                    assertThat(response.status()).isEqualTo(409);
                    assertThat(response.errorCode()).isEqualTo("idempotency_key_in_use");
                }
            }
            assertThat(statuses).contains(200);
            assertThat(paymentIds).as("every 200 is the same payment").containsOnly(paymentIds.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("select count(*) from payments where order_id = :o").param("o", order)
                .query(Long.class).single()).isEqualTo(1);
        // after the first finished, a retry replays it
        Api.Response replay = api.post("/v1/orders/" + order + "/payments", "{\"provider\":\"sandbox\"}", key).expect(200);
        assertThat(replay.text("id")).startsWith("pay_");
    }

    // ------------------------------------------------------------ money moves require a key

    @Test
    void a_refund_or_a_capture_without_a_key_is_refused_with_idempotency_key_required() {
        String order = api.createOrder(900, 1).text("id");
        String payment = api.createPayment(order, "manual").text("id");
        for (String path : List.of("/v1/refunds", "/v1/payments/" + payment + "/capture")) {
            Api.Response refused = api.post(path, "{\"payment\":\"" + payment + "\"}", null).expect(400);
            assertThat(refused.errorType()).isEqualTo("idempotency_error");
            assertThat(refused.errorCode()).isEqualTo("idempotency_key_required");
            assertThat(refused.errorParam()).isEqualTo("Idempotency-Key");
        }
        assertThat(jdbc.sql("select count(*) from refunds where payment_id = :p").param("p", payment)
                .query(Long.class).single()).isZero();
    }

    @Test
    void an_encoded_spelling_of_the_refund_path_is_refused_without_a_key_too() {
        Api.Response refused = api.send(api.request("/%76%31/refunds").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"payment\":\"pay_nope\"}")).build());
        // the firewall refuses the spelling itself (a percent-encoded letter or digit in the path)
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("request_rejected");
        assertThat(jdbc.sql("select count(*) from refunds where payment_id = 'pay_nope'").query(Long.class).single())
                .isZero();
    }

    @Test
    void creating_orders_and_payments_keeps_the_key_optional() {
        String order = api.post("/v1/orders", ORDER, null).expect(200).text("id");
        api.post("/v1/orders/" + order + "/payments", "{\"provider\":\"sandbox\"}", null).expect(200);
    }

    // ------------------------------------------------------------ claims are leased rows

    /** The claim's state once this instance's answer is written (a 2xx of a create is written in a batch, late). */
    private String claimant(String key) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            String claimant = jdbc.sql("select status || ' ' || claimed_by from idempotency_keys where key = :k")
                    .param("k", key).query(String.class).single();
            if (!claimant.startsWith("in_progress") || claimant.contains("deadbeef") || System.nanoTime() > deadline) {
                return claimant;
            }
            Api.sleep(10);
        }
    }

    @Test
    void a_claim_whose_lease_expired_is_taken_over_by_a_retry() {
        String key = UUID.randomUUID().toString();
        IdempotencyRows.claimedElsewhere(jdbc, api, "/v1/orders", key, ORDER, -1000); // its process died a second after its lease ran out
        long before = orders();
        Api.Response retried = api.post("/v1/orders", ORDER, key).expect(200);
        assertThat(orders()).isEqualTo(before + 1);
        assertThat(claimant(key)).startsWith("completed ins_").doesNotContain("deadbeef");
        assertThat(api.post("/v1/orders", ORDER, key).expect(200).raw()).isEqualTo(retried.raw());
    }

    @Test
    void a_repeat_waits_for_a_live_claim_and_takes_it_over_when_its_lease_runs_out() {
        String key = UUID.randomUUID().toString();
        IdempotencyRows.claimedElsewhere(jdbc, api, "/v1/orders", key, ORDER, 1500);
        long started = System.nanoTime();
        api.post("/v1/orders", ORDER, key).expect(200);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(java.time.Duration.ofMillis(1000));
        assertThat(claimant(key)).startsWith("completed ins_").doesNotContain("deadbeef");
    }

    @Test
    void a_live_claim_held_past_the_wait_bound_gets_idempotency_key_in_use() {
        String key = UUID.randomUUID().toString();
        IdempotencyRows.claimedElsewhere(jdbc, api, "/v1/orders", key, ORDER, 3_600_000);
        Api.Response busy = api.post("/v1/orders", ORDER, key).expect(409);
        assertThat(busy.errorType()).isEqualTo("idempotency_error");
        assertThat(busy.errorCode()).isEqualTo("idempotency_key_in_use");
        assertThat(api.post("/v1/orders", ORDER.replace("700", "702"), key).expect(400).errorCode())
                .as("a different request under a key in use").isEqualTo("idempotency_key_reused");
        assertThat(claimant(key)).isEqualTo("in_progress ins_deadbeef");
    }
}
