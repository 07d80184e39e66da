package io.moneytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import java.nio.charset.StandardCharsets;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What the idempotency tests set up and read alike: a paid payment, its refunds, a claim left by another instance. */
final class IdempotencyRows {

    private IdempotencyRows() {
    }

    /** A payment of a fresh order, paid on the sandbox's page and seen paid: the id of the payment. */
    static String capturedPayment(Api api) {
        String order = api.createOrder(1250, 2).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        String redirect = payment.body().path("next_action").path("redirect_url").asText();
        assertThat(api.completeSandboxPage(redirect, "succeeded")).isIn(200, 303);
        api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));
        return payment.text("id");
    }

    static long refunds(JdbcClient jdbc, String payment) {
        return jdbc.sql("select count(*) from refunds where payment_id = :p").param("p", payment)
                .query(Long.class).single();
    }

    static String apiKeyId(JdbcClient jdbc, Api api) {
        return jdbc.sql("select id from api_keys where key_sha256 = sha256(convert_to(:k, 'UTF8'))")
                .param("k", api.key()).query(String.class).single();
    }

    /** A claim of {@code POST path} as another instance would have left it: in progress, its lease ending in {@code leaseMs}. */
    static void claimedElsewhere(JdbcClient jdbc, Api api, String path, String key, String body, long leaseMs) {
        jdbc.sql("""
                insert into idempotency_keys (api_key_id, key, request_hash, status, claimed_by, lease_expires_at)
                values (:api, :key, :hash, 'in_progress', 'ins_deadbeef', now() + :ms * interval '1 millisecond')""")
                .param("api", apiKeyId(jdbc, api)).param("key", key)
                .param("hash", IdempotencyFilter.hash("POST", path, null, body.getBytes(StandardCharsets.UTF_8)))
                .param("ms", leaseMs).update();
    }
}
