package io.moneytrail.onec;

import io.moneytrail.order.OrderCreated;
import io.moneytrail.order.OrderStatusChanged;
import io.moneytrail.payment.MoneyMoved;
import io.moneytrail.payment.OrderPaymentStatusChanged;
import io.moneytrail.payment.PaymentStateChanged;
import java.time.Clock;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Marks an order changed for the 1C exchange in the transaction of each change that shows in its
 * CommerceML document: created, lifecycle moved, payment status moved, money moved (a capture
 * sets the payment date and document number), a payment attempt moved (the provider). The events
 * are published inside those transactions, so a mark commits with its change or not at all.
 * An export writes no mark: being exported is not a change. The mark's time is when it was made
 * (a money fact's own time may be the provider's, in the past).
 */
@Component
class OrderChangeMarks {

    private final OnecOrders orders;
    private final Clock clock;

    OrderChangeMarks(OnecOrders orders, Clock clock) {
        this.orders = orders;
        this.clock = clock;
    }

    @EventListener
    void on(OrderCreated event) {
        orders.changed(event.orderId(), clock.instant());
    }

    @EventListener
    void on(OrderStatusChanged event) {
        orders.changed(event.orderId(), clock.instant());
    }

    @EventListener
    void on(OrderPaymentStatusChanged event) {
        orders.changed(event.orderId(), clock.instant());
    }

    @EventListener
    void on(MoneyMoved event) {
        if (event.orderId() != null) {
            orders.changed(event.orderId(), clock.instant());
        }
    }

    @EventListener
    void on(PaymentStateChanged event) {
        orders.changed(event.orderId(), clock.instant());
    }
}
