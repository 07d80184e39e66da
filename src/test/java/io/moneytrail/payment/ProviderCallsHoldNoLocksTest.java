package io.moneytrail.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Captures, voids and order cancels are intent, then call, then apply: while the provider
 * thinks, no row lock and no transaction is held, a second capture or void is refused, and an
 * intent whose answer was never saved (the process died) is finished by the resolver.
 */
class ProviderCallsHoldNoLocksTest extends ApiTest {

    /** How long the sandbox holds its answer: well past a lock wait, below the client's read timeout (2 s). */
    private static final long PROVIDER_THINKS_MS = 1_500;
    private static final int LOCK_WAIT_MS = 300;

    @Autowired
    TransactionTemplate tx;

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

    /** The sandbox does the work at once and answers {@link #PROVIDER_THINKS_MS} later. */
    private void providerThinks(String providerPaymentId) {
        api.sandbox("POST", "/faults", "{\"payment\":\"" + providerPaymentId + "\",\"api\":\"timeout\",\"api_timeout_ms\":"
                + PROVIDER_THINKS_MS + "}").expect(200);
    }

    private String operationStatus(String paymentId, String kind) {
        return jdbc.sql("select status from payment_operations where payment_id = :p and kind = :k"
                        + " order by created_at desc limit 1")
                .param("p", paymentId).param("k", kind).query(String.class).optional().orElse("none");
    }

    private void awaitOpenOperation(String paymentId, String kind) {
        for (int i = 0; i < 100 && !"open".equals(operationStatus(paymentId, kind)); i++) {
            Api.sleep(20);
        }
        assertThat(operationStatus(paymentId, kind)).as("the intent is committed before the call").isEqualTo("open");
    }

    /** Takes the order's and the payment's row locks in another transaction, waiting at most {@link #LOCK_WAIT_MS}. */
    private void lockOrderAndPayment(String orderId, String paymentId) {
        tx.executeWithoutResult(status -> {
            jdbc.sql("set local lock_timeout = '" + LOCK_WAIT_MS + "ms'").update();
            jdbc.sql("select id from orders where id = :id for update").param("id", orderId).query(String.class).single();
            jdbc.sql("select id from payments where id = :id for update").param("id", paymentId).query(String.class)
                    .single();
        });
    }

    private long facts(String paymentId, String kind) {
        return jdbc.sql("select count(*) from payment_transactions where payment_id = :p and kind = :k")
                .param("p", paymentId).param("k", kind).query(Long.class).single();
    }

    @Test
    void a_capture_waiting_for_the_provider_holds_no_lock_and_a_second_capture_is_refused() throws Exception {
        String[] ids = authorized(6000);
        providerThinks(ids[2]);
        CompletableFuture<Api.Response> capture = CompletableFuture.supplyAsync(
                () -> api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":6000}"));
        awaitOpenOperation(ids[1], "capture");

        lockOrderAndPayment(ids[0], ids[1]);
        assertThat(capture).as("the provider is still thinking").isNotDone();
        // refused: by the capture in flight, or (if the provider's webhook was applied meanwhile) by the table
        Api.Response second = api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":1000}");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.errorCode()).isIn("payment_operation_in_progress", "invalid_transition");

        Api.Response captured = capture.get(20, TimeUnit.SECONDS).expect(200);
        assertThat(captured.text("status")).isEqualTo("captured");
        assertThat(captured.number("amount_captured")).isEqualTo(6000);
        assertThat(operationStatus(ids[1], "capture")).isEqualTo("done");
        // the provider's webhook (sent while our call waited) and our answer are one capture
        Api.sleep(PROVIDER_THINKS_MS + 500);
        assertThat(facts(ids[1], "capture")).isEqualTo(1);
        assertThat(api.sandbox("GET", "/payments/" + ids[2], null).number("amount_captured")).isEqualTo(6000);
    }

    @Test
    void an_order_cancel_voids_with_no_lock_held_and_a_capture_meanwhile_is_refused() throws Exception {
        String[] ids = authorized(2500);
        providerThinks(ids[2]);
        CompletableFuture<Api.Response> cancel = CompletableFuture.supplyAsync(
                () -> api.post("/v1/orders/" + ids[0] + "/cancel", null));
        awaitOpenOperation(ids[1], "void");

        lockOrderAndPayment(ids[0], ids[1]);
        assertThat(cancel).isNotDone();
        // refused: by the void in flight, or (if the provider's webhook was applied meanwhile) by the table
        Api.Response capture = api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":2500}");
        assertThat(capture.status()).isEqualTo(409);
        assertThat(capture.errorCode()).isIn("payment_operation_in_progress", "invalid_transition");

        Api.Response cancelled = cancel.get(20, TimeUnit.SECONDS).expect(200);
        assertThat(cancelled.text("status")).isEqualTo("cancelled");
        assertThat(api.get("/v1/payments/" + ids[1]).text("status")).isEqualTo("voided");
        assertThat(operationStatus(ids[1], "void")).isEqualTo("done");
        assertThat(facts(ids[1], "capture")).isZero();
    }

    @Test
    void a_capture_intent_whose_answer_was_never_saved_is_finished_by_the_resolver_once() {
        String[] ids = authorized(4100);
        // the process died right after committing the intent (and the check scheduled with it),
        // before the provider heard of the capture: ten minutes later, nobody is waiting for it
        jdbc.sql("""
                        insert into payment_operations (id, payment_id, kind, amount_minor, idempotency_key, status,
                                                        created_at)
                        values (:id, :payment, 'capture', 4100, :key, 'open', now() - interval '10 minutes')
                        """)
                .param("id", "pop_crash_" + ids[1]).param("payment", ids[1]).param("key", "cap_crash_" + ids[1])
                .update();
        jdbc.sql("update payments set next_check_at = now(), check_since = coalesce(check_since, now()) where id = :id")
                .param("id", ids[1]).update();

        Api.Response captured = api.eventually("/v1/payments/" + ids[1], r -> "captured".equals(r.text("status")));
        assertThat(captured.number("amount_captured")).isEqualTo(4100);
        assertThat(operationStatus(ids[1], "capture")).isEqualTo("done");
        assertThat(api.get("/v1/orders/" + ids[0] + "/timeline").raw()).contains("resolver finished capture 4100");
        assertThat(api.sandbox("GET", "/payments/" + ids[2], null).number("amount_captured")).isEqualTo(4100);
        assertThat(facts(ids[1], "capture")).isEqualTo(1);
        // finished means done: a further capture is refused by the state table, not by the intent
        assertThat(api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":1}").status()).isEqualTo(409);
    }

    @Test
    void a_capture_that_timed_out_blocks_other_captures_until_the_resolver_finishes_it() {
        String[] ids = authorized(3000);
        api.sandbox("POST", "/faults", "{\"payment\":\"" + ids[2] + "\",\"api\":\"timeout\",\"api_timeout_ms\":3000,"
                + "\"webhook\":\"drop\"}").expect(200);
        assertThat(api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":1000}").status()).isEqualTo(502);
        assertThat(operationStatus(ids[1], "capture")).isEqualTo("unknown");
        Api.Response other = api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":2000}");
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.errorCode()).isEqualTo("payment_operation_in_progress");
        api.sandbox("DELETE", "/faults?payment=" + ids[2], null);

        api.eventually("/v1/payments/" + ids[1], r -> r.number("amount_captured") == 1000);
        for (int i = 0; i < 50 && !"done".equals(operationStatus(ids[1], "capture")); i++) {
            Api.sleep(100);
        }
        assertThat(operationStatus(ids[1], "capture")).isEqualTo("done");
        assertThat(api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":2000}").expect(200)
                .number("amount_captured")).isEqualTo(3000);
        assertThat(api.sandbox("GET", "/payments/" + ids[2], null).number("amount_captured")).isEqualTo(3000);
    }
}
