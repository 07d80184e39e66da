package io.moneytrail.payment;

import io.moneytrail.order.OrderMoney;
import io.moneytrail.order.PaymentStatus;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Notices changes of an order's derived payment status within a transaction: the status is
 * read when the order is first locked in the transaction, and again just before commit;
 * if they differ, {@link OrderPaymentStatusChanged} is published (still inside the
 * transaction, so what listeners write commits with it).
 */
@Component
class OrderPaymentWatch {

    private final OrderMoneyView money;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    OrderPaymentWatch(OrderMoneyView money, ApplicationEventPublisher events, Clock clock) {
        this.money = money;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Call right after locking the order, before changing anything. Answers the order's money as
     * it was when first watched in this transaction.
     */
    OrderMoney watch(String orderId) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return money(orderId);
        }
        @SuppressWarnings("unchecked")
        Map<String, OrderMoney> before = (Map<String, OrderMoney>) TransactionSynchronizationManager.getResource(this);
        if (before == null) {
            Map<String, OrderMoney> watched = new LinkedHashMap<>();
            TransactionSynchronizationManager.bindResource(this, watched);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    watched.forEach((order, from) -> {
                        PaymentStatus to = money(order).paymentStatus();
                        if (to != from.paymentStatus()) {
                            events.publishEvent(new OrderPaymentStatusChanged(order, from.paymentStatus(), to,
                                    clock.instant()));
                        }
                    });
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(OrderPaymentWatch.this);
                }
            });
            before = watched;
        }
        return before.computeIfAbsent(orderId, this::money);
    }

    private OrderMoney money(String orderId) {
        return money.find(orderId).orElse(NONE);
    }

    /** The money of an order with no payment transactions (the view has a row for every order). */
    private static final OrderMoney NONE = new OrderMoney(0, 0, 0, 0, 0, PaymentStatus.UNPAID);
}
