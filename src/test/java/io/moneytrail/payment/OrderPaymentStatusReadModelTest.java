package io.moneytrail.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.money.Money;
import io.moneytrail.order.OrderBulkLoad;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.PaymentStatus;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The read model {@code order_payment_status} (V31) stays equal to the payment status the view
 * {@code order_money} derives from the money facts, after every step of an order's life on the
 * real PostgreSQL: a new attempt, authorization, capture, partial and full refund, a declined
 * payment, an automatic capture, and payments loaded in bulk; and the back office's list filters by it.
 */
class OrderPaymentStatusReadModelTest extends ApiTest {

    @Autowired
    OrderPaymentStatuses statuses;

    @Autowired
    OrderBulkLoad orderLoad;

    @Autowired
    PaymentBulkLoad paymentLoad;

    /** The view's status, the read model's (unpaid without a row) and the read API's are all {@code expected}. */
    private void same(String order, String expected) {
        String derived = jdbc.sql("select payment_status from order_money where order_id = :o").param("o", order)
                .query(String.class).single();
        String stored = jdbc.sql("select coalesce((select payment_status from order_payment_status where order_id = :o),"
                + " 'unpaid')").param("o", order).query(String.class).single();
        assertThat(derived).as("the view's status of " + order).isEqualTo(expected);
        assertThat(stored).as("the read model's status of " + order).isEqualTo(expected);
        assertThat(statuses.of(List.of(order))).containsExactly(Map.entry(order, PaymentStatus.fromWire(expected)));
    }

    private Api.Response order(String id, String status) {
        return api.eventually("/v1/orders/" + id, r -> status.equals(r.text("payment_status")));
    }

    @Test
    void the_read_model_follows_payment_capture_partial_and_full_refund() {
        String order = api.createOrder(5000, 1).text("id");
        same(order, "unpaid");
        assertThat(jdbc.sql("select count(*) from order_payment_status where order_id = :o").param("o", order)
                .query(Long.class).single()).as("no row before the first attempt").isZero();

        Api.Response payment = api.createPayment(order, "manual");
        same(order, "pending");
        Instant created = jdbc.sql("select created_at from orders where id = :o").param("o", order)
                .query(java.sql.Timestamp.class).single().toInstant();
        assertThat(jdbc.sql("select order_created_at from order_payment_status where order_id = :o").param("o", order)
                .query(java.sql.Timestamp.class).single().toInstant())
                .as("the order's creation time, copied").isEqualTo(created);

        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        order(order, "authorized");
        same(order, "authorized");

        api.post("/v1/payments/" + payment.text("id") + "/capture", "{\"amount\":5000}").expect(200);
        order(order, "paid");
        same(order, "paid");

        api.post("/v1/refunds", "{\"payment\":\"" + payment.text("id") + "\",\"amount\":1200}").expect(200);
        order(order, "partially_refunded");
        same(order, "partially_refunded");

        api.post("/v1/refunds", "{\"payment\":\"" + payment.text("id") + "\",\"amount\":3800}").expect(200);
        order(order, "refunded");
        same(order, "refunded");
        assertThat(statuses.orderIds(PaymentStatus.REFUNDED, created, created.plusSeconds(1), null, 10))
                .contains(order);
        assertThat(statuses.orderIds(PaymentStatus.PAID, created, created.plusSeconds(1), null, 10))
                .doesNotContain(order);
    }

    @Test
    void the_read_model_follows_a_declined_payment_back_to_unpaid_and_a_second_attempt_paid() {
        String order = api.createOrder(2100, 1).text("id");
        Api.Response declined = api.createPayment(order, "automatic");
        same(order, "pending");
        api.completeSandboxPage(declined.body().path("next_action").path("redirect_url").asText(), "declined");
        api.eventually("/v1/payments/" + declined.text("id"), r -> "failed".equals(r.text("status")));
        order(order, "unpaid");
        same(order, "unpaid");
        assertThat(jdbc.sql("select payment_status from order_payment_status where order_id = :o").param("o", order)
                .query(String.class).single()).as("the row says unpaid (it had an attempt)").isEqualTo("unpaid");

        Api.Response paid = api.createPayment(order, "automatic");
        same(order, "pending");
        api.completeSandboxPage(paid.body().path("next_action").path("redirect_url").asText(), "succeeded");
        order(order, "paid");
        same(order, "paid");
    }

    @Test
    void payments_loaded_in_bulk_write_the_read_model_as_the_view_derives_it() {
        Instant at = Instant.parse("2020-03-01T10:00:00Z");
        String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String captured = "ord_bulkrm" + tag + "a";
        String refunded = "ord_bulkrm" + tag + "b";
        String failed = "ord_bulkrm" + tag + "c";
        String none = "ord_bulkrm" + tag + "d";
        List<String> ids = List.of(captured, refunded, failed, none);
        orderLoad.insert(ids.stream().map(id -> new OrderBulkLoad.BulkOrder(id, "RM-" + id, Money.of(4000, "EUR"),
                OrderStatus.OPEN, at.plusSeconds(ids.indexOf(id)), "SKU-1", "Item", "rm@example.com", null))
                .toList());
        paymentLoad.insert(List.of(
                bulk(captured, PaymentState.CAPTURED, 4000, 0, at),
                bulk(refunded, PaymentState.CAPTURED, 4000, 1000, at),
                bulk(failed, PaymentState.FAILED, 0, 0, at)));
        same(captured, "paid");
        same(refunded, "partially_refunded");
        same(failed, "unpaid");
        same(none, "unpaid");
        assertThat(statuses.orderIds(PaymentStatus.PAID, at, at.plusSeconds(60), null, 10)).filteredOn(ids::contains)
                .containsExactly(captured);
        assertThat(statuses.orderIds(PaymentStatus.PARTIALLY_REFUNDED, at, at.plusSeconds(60), null, 10))
                .filteredOn(ids::contains).containsExactly(refunded);
        // the keyset page after an order starts below it (newest first)
        assertThat(statuses.orderIds(PaymentStatus.PAID, at, at.plusSeconds(60), refunded, 10))
                .filteredOn(ids::contains).containsExactly(captured);
        assertThat(statuses.orderIds(PaymentStatus.PAID, at, at.plusSeconds(60), captured, 10))
                .filteredOn(ids::contains).isEmpty();
    }

    private static PaymentBulkLoad.BulkPayment bulk(String order, PaymentState state, long captured, long refunded,
                                                    Instant at) {
        String id = "pay_" + order.substring(4);
        return new PaymentBulkLoad.BulkPayment(id, order, "sandbox", "sbx_" + order.substring(4), state,
                Money.of(4000, "EUR"), at.plusSeconds(5), "txn_c" + order.substring(4), captured, at.plusSeconds(10),
                "txn_r" + order.substring(4), "refund:" + order, refunded, at.plusSeconds(20));
    }
}
