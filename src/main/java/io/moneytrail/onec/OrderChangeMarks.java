package io.moneytrail.onec;

import io.moneytrail.order.OrderCreated;
import io.moneytrail.order.OrderStatusChanged;
import io.moneytrail.payment.MoneyMoved;
import io.moneytrail.payment.OrderPaymentStatusChanged;
import io.moneytrail.payment.PaymentStateChanged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Marks an order changed for the 1C exchange in the transaction of each change that shows in its
 * CommerceML document: created, lifecycle moved, payment status moved, money moved (a capture
 * sets the payment date and document number), a payment attempt moved (the provider). The events
 * are published inside those transactions, so a mark commits with its change or not at all.
 * An export writes no mark: being exported is not a change.
 */
@Component
class OrderChangeMarks {

    private final OnecOrders orders;

    OrderChangeMarks(OnecOrders orders) {
        this.orders = orders;
    }

    @EventListener
    void on(OrderCreated event) {
        orders.changed(event.orderId(), event.at());
    }

    @EventListener
    void on(OrderStatusChanged event) {
        orders.changed(event.orderId(), event.at());
    }

    @EventListener
    void on(OrderPaymentStatusChanged event) {
        orders.changed(event.orderId(), event.at());
    }

    @EventListener
    void on(MoneyMoved event) {
        if (event.orderId() != null) {
            orders.changed(event.orderId(), event.occurredAt());
        }
    }

    @EventListener
    void on(PaymentStateChanged event) {
        orders.changed(event.orderId(), event.at());
    }
}
