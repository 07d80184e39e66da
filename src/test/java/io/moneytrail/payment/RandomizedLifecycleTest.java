package io.moneytrail.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random lifecycles through the public API (seeded; the seed is printed, set
 * {@code -Dmoneytrail.seed=...} to replay): random amounts, capture methods, page outcomes,
 * partial captures, voids, refunds, cancels and fulfilments, each followed by a check that
 * Moneytrail and the sandbox provider tell the same story and the derived status agrees.
 */
class RandomizedLifecycleTest extends ApiTest {

    private static final int LIFECYCLES = 40;

    @Test
    void random_lifecycles_keep_every_invariant() {
        long seed = Long.getLong("moneytrail.seed", System.nanoTime());
        System.out.println("RandomizedLifecycleTest seed " + seed);
        Random random = new Random(seed);
        for (int i = 0; i < LIFECYCLES; i++) {
            lifecycle(random, seed);
        }
    }

    private void lifecycle(Random random, long seed) {
        long unit = 1 + random.nextInt(50_000);
        long quantity = 1 + random.nextInt(3);
        String order = api.createOrder(unit, quantity).text("id");
        long total = unit * quantity;
        if (random.nextInt(10) == 0) {
            api.post("/v1/orders/" + order + "/cancel", null).expect(200);
            return;
        }
        String method = random.nextBoolean() ? "automatic" : "manual";
        Api.Response payment = api.createPayment(order, method);
        String paymentId = payment.text("id");
        String outcome = new String[] {"succeeded", "succeeded", "3ds_succeeded", "declined", "3ds_failed"}[random.nextInt(5)];
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), outcome);
        boolean success = outcome.endsWith("succeeded");
        String settled = success ? (method.equals("automatic") ? "captured" : "authorized") : "failed";
        api.eventually("/v1/payments/" + paymentId, r -> settled.equals(r.text("status")));

        if (success && method.equals("manual")) {
            long capture = random.nextBoolean() ? total : 1 + (long) (random.nextDouble() * (total - 1));
            api.post("/v1/payments/" + paymentId + "/capture", "{\"amount\":" + capture + "}").expect(200);
            if (capture < total && random.nextBoolean()) {
                api.post("/v1/payments/" + paymentId + "/cancel", null).expect(200);
            }
        }
        if (success) {
            int refunds = random.nextInt(3);
            for (int r = 0; r < refunds; r++) {
                Api.Response current = api.get("/v1/payments/" + paymentId);
                long refundable = current.number("amount_captured") - current.number("amount_refunded");
                long amount = 1 + (long) (random.nextDouble() * Math.max(1, refundable + 2));
                Api.Response refund = api.post("/v1/refunds", "{\"payment\":\"" + paymentId + "\",\"amount\":" + amount + "}");
                if (amount <= refundable) {
                    refund.expect(200);
                } else {
                    assertThat(refund.status()).as("seed %d", seed).isIn(400, 409);
                }
            }
            if (random.nextInt(4) == 0) {
                Api.Response fulfil = api.post("/v1/orders/" + order + "/fulfill", null);
                String status = api.get("/v1/orders/" + order).text("payment_status");
                assertThat(fulfil.status()).as("seed %d", seed)
                        .isEqualTo(status.equals("paid") || status.equals("overpaid") ? 200 : 409);
            }
        }
        verify(order, paymentId, total, seed);
    }

    private void verify(String order, String paymentId, long total, long seed) {
        Api.Response ours = api.get("/v1/payments/" + paymentId);
        long captured = ours.number("amount_captured");
        long refunded = ours.number("amount_refunded");
        assertThat(refunded).as("seed %d: refunds never exceed captures", seed).isLessThanOrEqualTo(captured);
        assertThat(captured).as("seed %d: captures never exceed the authorisation", seed).isLessThanOrEqualTo(total);

        Api.Response theirs = api.sandbox("GET", "/payments/" + ours.text("provider_payment_id"), null).expect(200);
        assertThat(theirs.number("amount_captured")).as("seed %d: captured here = at the provider", seed).isEqualTo(captured);
        assertThat(theirs.number("amount_refunded")).as("seed %d: refunded here = at the provider", seed).isEqualTo(refunded);

        Api.Response orderView = api.get("/v1/orders/" + order);
        long net = captured - refunded;
        String expected;
        if (captured == 0) {
            expected = ours.number("amount_capturable") > 0 ? "authorized" : "unpaid";
        } else if (refunded == 0) {
            expected = captured < total ? "partially_paid" : captured == total ? "paid" : "overpaid";
        } else {
            expected = net == 0 ? "refunded" : net < total ? "partially_refunded" : "paid";
        }
        assertThat(orderView.text("payment_status")).as("seed %d order %s", seed, order).isEqualTo(expected);
        // the read model of the order list (order_payment_status, V31) says the same (no row: never attempted)
        assertThat(jdbc.sql("select coalesce((select payment_status from order_payment_status where order_id = :o),"
                + " 'unpaid')").param("o", order).query(String.class).single())
                .as("seed %d order %s: the read model", seed, order).isEqualTo(expected);
    }
}
