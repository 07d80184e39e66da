package io.moneytrail.ledger;

import io.moneytrail.order.Order;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.OrderStatusChanged;
import io.moneytrail.order.Orders;
import io.moneytrail.payment.MoneyMoved;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Posts the journal entry of each money fact, synchronously, in the transaction that
 * recorded the fact: if posting fails, the fact is not recorded either.
 */
@Component
class LedgerPostings {

    private final Journal journal;
    private final Accounts accounts;
    private final Orders orders;
    private final Balances balances;

    LedgerPostings(Journal journal, Accounts accounts, Orders orders, Balances balances) {
        this.journal = journal;
        this.accounts = accounts;
        this.orders = orders;
        this.balances = balances;
    }

    @EventListener
    void on(MoneyMoved moved) {
        switch (moved.kind()) {
            case AUTHORIZATION, VOID -> {
                // No entry: an authorisation holds money at the customer's bank and a void
                // releases the hold; nothing has moved to us. See PostingRules.
            }
            case CAPTURE -> {
                accounts.provider(moved.provider());
                journal.post(PostingRules.capture(moved.transactionId(), moved.orderId(), moved.provider(),
                        moved.amount(), moved.occurredAt()));
            }
            case REFUND -> {
                accounts.provider(moved.provider());
                Order order = orders.get(moved.orderId());
                if (order.status() == OrderStatus.FULFILLED) {
                    long held = -balances.orderAccountBalance(moved.orderId(), PostingRules.ADVANCES,
                            moved.amount().currencyCode());
                    journal.post(PostingRules.refundAfterFulfilment(moved.transactionId(), moved.orderId(),
                            moved.provider(), moved.amount(), Math.max(0, held), order.amountTotal(),
                            order.vatTotalMinor(), moved.occurredAt()));
                } else {
                    journal.post(PostingRules.refundBeforeFulfilment(moved.transactionId(), moved.orderId(),
                            moved.provider(), moved.amount(), moved.occurredAt()));
                }
            }
        }
    }

    @EventListener
    void on(OrderStatusChanged changed) {
        if (changed.to() == OrderStatus.FULFILLED) {
            Order order = orders.get(changed.orderId());
            journal.post(PostingRules.fulfilment(order.id(), order.amountTotal(), order.vatTotalMinor(), changed.at()));
        }
    }
}
