package io.moneytrail.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.money.Ids;
import io.moneytrail.testing.ApiTest;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The derived payment status for every rule of the derivation, from money transactions
 * written straight into PostgreSQL (order total 1000).
 */
class PaymentStatusDerivationTest extends ApiTest {

    @Autowired
    OrderService orders;

    private final AtomicInteger sequence = new AtomicInteger();

    private String order() {
        String id = Ids.next(Ids.ORDER);
        jdbc.sql("""
                insert into orders (id, currency, amount_total, vat_total, status, created_at, updated_at)
                values (:id, 'EUR', 1000, 0, 'open', now(), now())""").param("id", id).update();
        return id;
    }

    private String payment(String order, String status) {
        String id = Ids.next(Ids.PAYMENT);
        jdbc.sql("""
                insert into payments (id, order_id, provider, capture_method, status, amount, currency, created_at,
                                      updated_at)
                values (:id, :order, 'sandbox', 'manual', :status, 1000, 'EUR', now(), now())""")
                .param("id", id).param("order", order).param("status", status).update();
        return id;
    }

    private void money(String order, String payment, String kind, long amount) {
        jdbc.sql("""
                insert into payment_transactions (id, payment_id, order_id, kind, amount_minor, currency,
                                                  provider_reference, occurred_at)
                values (:id, :payment, :order, :kind, :amount, 'EUR', :ref, now())""")
                .param("id", Ids.next(Ids.TRANSACTION)).param("payment", payment).param("order", order)
                .param("kind", kind).param("amount", amount).param("ref", "ref-" + sequence.incrementAndGet())
                .update();
    }

    private PaymentStatus status(String order) {
        return orders.get(order).money().paymentStatus();
    }

    @Test
    void no_money_and_no_attempt_is_unpaid_and_an_attempt_in_flight_is_pending() {
        String order = order();
        assertThat(status(order)).isEqualTo(PaymentStatus.UNPAID);
        payment(order, "requires_action");
        assertThat(status(order)).isEqualTo(PaymentStatus.PENDING);
        String other = order();
        payment(other, "failed");
        assertThat(status(other)).isEqualTo(PaymentStatus.UNPAID);
        String unknown = order();
        payment(unknown, "unknown");
        assertThat(status(unknown)).isEqualTo(PaymentStatus.PENDING);
    }

    @Test
    void held_money_is_authorized_until_voided() {
        String order = order();
        String payment = payment(order, "authorized");
        money(order, payment, "authorization", 1000);
        assertThat(status(order)).isEqualTo(PaymentStatus.AUTHORIZED);
        money(order, payment, "void", 1000);
        assertThat(status(order)).isEqualTo(PaymentStatus.UNPAID);
    }

    @Test
    void captured_below_equal_above_total() {
        String order = order();
        String payment = payment(order, "partially_captured");
        money(order, payment, "authorization", 1000);
        money(order, payment, "capture", 400);
        assertThat(status(order)).isEqualTo(PaymentStatus.PARTIALLY_PAID);
        money(order, payment, "capture", 600);
        assertThat(status(order)).isEqualTo(PaymentStatus.PAID);
        String second = payment(order, "captured");
        money(order, second, "capture", 1);
        assertThat(status(order)).isEqualTo(PaymentStatus.OVERPAID);
    }

    @Test
    void refunds_give_partially_refunded_then_refunded_and_a_refunded_overpayment_is_paid() {
        String order = order();
        String payment = payment(order, "captured");
        money(order, payment, "capture", 1200);
        assertThat(status(order)).isEqualTo(PaymentStatus.OVERPAID);
        money(order, payment, "refund", 200);
        assertThat(status(order)).isEqualTo(PaymentStatus.PAID);
        money(order, payment, "refund", 300);
        assertThat(status(order)).isEqualTo(PaymentStatus.PARTIALLY_REFUNDED);
        money(order, payment, "refund", 700);
        assertThat(status(order)).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(orders.get(order).money().amountNetCaptured()).isZero();
    }

    @Test
    void money_transactions_are_immutable() {
        String order = order();
        String payment = payment(order, "captured");
        money(order, payment, "capture", 1000);
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        jdbc.sql("update payment_transactions set amount_minor = 1 where payment_id = :p")
                                .param("p", payment).update())
                .hasMessageContaining("immutable");
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        jdbc.sql("delete from payment_transactions where payment_id = :p").param("p", payment).update())
                .hasMessageContaining("immutable");
    }
}
