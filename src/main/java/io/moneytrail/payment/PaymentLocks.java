package io.moneytrail.payment;

import io.moneytrail.money.Check;
import io.moneytrail.order.LockedOrder;
import io.moneytrail.order.OrderMoney;
import io.moneytrail.order.OrderService;
import io.moneytrail.order.OrderStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The lock order of the payment module: always the order's row (through the order module),
 * then the payment's. Every change to an order or to any of its payments takes both, so they
 * are serialised per order. Locking an order also starts {@link OrderPaymentWatch} on it.
 */
@Component
class PaymentLocks {

    /** Binds {@link #lockedOrders} to the current transaction. */
    private static final Object LOCKED_ORDERS = new Object();

    private final OrderService orders;
    private final OrderPaymentWatch watch;
    private final Payments payments;

    PaymentLocks(OrderService orders, OrderPaymentWatch watch, Payments payments) {
        this.orders = orders;
        this.watch = watch;
        this.payments = payments;
    }

    /** What starting a payment reads under the order's lock: its lifecycle and total, its money and payments. */
    record OrderToPay(LockedOrder order, OrderMoney money, List<Payment> payments) {
    }

    /**
     * Locks the order for a new payment (no payment row to lock yet) and reads its money and its
     * payments (one statement), which the watch takes as the money before this transaction's change.
     */
    OrderToPay lockForPayment(String orderId) {
        LockedOrder order = orders.lockForPayment(orderId);
        watch.watchLazily(orderId, order.createdAt());
        Payments.OrderPayments current = payments.ofOrderWithMoney(orderId);
        watch.before(orderId, current.money());
        return new OrderToPay(order, current.money(), current.payments());
    }

    /** Locks order then payment, and reads the payment (with its money) under the lock. */
    Payment lock(String paymentId) {
        return lock(payments.orderIdOf(paymentId), paymentId);
    }

    /** As {@link #lock(String)}, when the payment's order is known: no lookup first. */
    Payment lock(String orderId, String paymentId) {
        LockedOrder order = orders.lockRead(orderId);
        lockedOrders().put(orderId, order.status());
        watch.watchLazily(orderId, order.createdAt());
        return lockedUnder(orderId, payments.lock(paymentId));
    }

    /** The payment locked must be one of the order locked first (else the lock order was not the rule's). */
    private static Payment lockedUnder(String orderId, Payment payment) {
        Check.that(payment.orderId().equals(orderId), "payment " + payment.id() + " is locked under its own order "
                + payment.orderId() + ", not " + orderId);
        return payment;
    }

    /** As {@link #lock(String, String)}, also reading the payment's refunds (one statement). */
    Payments.LockedWithRefunds lockWithRefunds(String orderId, String paymentId) {
        LockedOrder order = orders.lockRead(orderId);
        lockedOrders().put(orderId, order.status());
        watch.watchLazily(orderId, order.createdAt());
        Payments.LockedWithRefunds locked = payments.lockWithRefunds(paymentId);
        lockedUnder(orderId, locked.payment());
        return locked;
    }

    /** The order's creation instant as its lock read it in this transaction (null if not locked here). */
    java.time.Instant orderCreatedAt(String orderId) {
        return watch.createdAt(orderId);
    }

    /** See {@link OrderPaymentWatch#aboutToChange}: call before the write. */
    void orderMoneyAboutToMove(String orderId) {
        watch.aboutToChange(orderId);
    }

    /** See {@link OrderPaymentWatch#needsBefore}. */
    boolean orderMoneyBeforeNeeded(String orderId) {
        return watch.needsBefore(orderId);
    }

    /** See {@link OrderPaymentWatch#before}. */
    void orderMoneyBefore(String orderId, OrderMoney money) {
        watch.before(orderId, money);
    }

    /** See {@link OrderPaymentWatch#changedTo}. */
    void orderMoneyMovedTo(String orderId, OrderMoney after) {
        watch.changedTo(orderId, after);
    }

    /** See {@link OrderPaymentWatch#changed}. */
    void orderMoneyMayMove(String orderId) {
        watch.changed(orderId);
    }

    /**
     * The order's lifecycle: as locked by {@link #lock} in this transaction (nothing that applies
     * a provider's answer changes it), else read now under a fresh lock.
     */
    OrderStatus lifecycle(String orderId) {
        OrderStatus locked = lockedOrders().get(orderId);
        return locked != null ? locked : orders.lock(orderId);
    }

    @SuppressWarnings("unchecked")
    private Map<String, OrderStatus> lockedOrders() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return new HashMap<>();
        }
        Map<String, OrderStatus> locked =
                (Map<String, OrderStatus>) TransactionSynchronizationManager.getResource(LOCKED_ORDERS);
        if (locked == null) {
            Map<String, OrderStatus> fresh = new HashMap<>();
            TransactionSynchronizationManager.bindResource(LOCKED_ORDERS, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(LOCKED_ORDERS);
                }
            });
            locked = fresh;
        }
        return locked;
    }
}
