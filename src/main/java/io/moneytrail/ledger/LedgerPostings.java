package io.moneytrail.ledger;

import io.moneytrail.order.Order;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.OrderStatusChanged;
import io.moneytrail.order.Orders;
import io.moneytrail.payment.MoneyMoved;
import java.util.Map;
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
                // the fact was just recorded: its entry is new, written with the commit's statement
                journal.postNew(PostingRules.capture(moved.transactionId(), moved.orderId(), moved.provider(),
                        moved.amount(), moved.occurredAt()).withOrderCreatedAt(moved.orderCreatedAt()));
            }
            case REFUND -> {
                accounts.provider(moved.provider());
                Order order = orders.get(moved.orderId());
                if (order.status() == OrderStatus.FULFILLED) {
                    // debit positive: liabilities and income carry negative balances
                    Map<String, Long> balance = balances.orderAccountBalances(moved.orderId(),
                            moved.amount().currencyCode());
                    long held = -balance.getOrDefault(PostingRules.ADVANCES, 0L);
                    // fulfilment credited the order's VAT; what refunds took back since is debited against it
                    long vatReturned = balance.getOrDefault(PostingRules.VAT_PAYABLE, 0L) + order.vatTotalMinor();
                    long returnsNet = balance.getOrDefault(PostingRules.SALES_RETURNS, 0L);
                    PostingRules.EarlierReturns earlier = vatReturned >= 0 && returnsNet >= 0
                            ? new PostingRules.EarlierReturns(returnsNet + vatReturned, vatReturned)
                            : PostingRules.EarlierReturns.NONE; // an operator's adjustment moved them; start afresh
                    journal.post(PostingRules.refundAfterFulfilment(moved.transactionId(), moved.orderId(),
                            moved.provider(), moved.amount(), Math.max(0, held), earlier, order.amountTotal(),
                            order.vatTotalMinor(), moved.occurredAt()).withOrderCreatedAt(order.created()));
                } else {
                    journal.postNew(PostingRules.refundBeforeFulfilment(moved.transactionId(), moved.orderId(),
                            moved.provider(), moved.amount(), moved.occurredAt())
                            .withOrderCreatedAt(order.created()));
                }
            }
            case CHARGEBACK -> {
                accounts.provider(moved.provider());
                journal.post(PostingRules.chargeback(moved.providerReference(), moved.orderId(), moved.provider(),
                        moved.amount(), moved.occurredAt()).withOrderCreatedAt(moved.orderCreatedAt()));
            }
            case CHARGEBACK_REVERSAL -> {
                // the chargeback's fact is recorded before its reversal, in this transaction or an earlier one
                String chargebackEntry = journal.bySource(PostingRules.SOURCE_CHARGEBACK, moved.providerReference())
                        .map(JournalEntry::id).orElse(null);
                journal.post(PostingRules.chargebackReversal(moved.providerReference(), chargebackEntry,
                        moved.orderId(), moved.provider(), moved.amount(), moved.occurredAt())
                        .withOrderCreatedAt(moved.orderCreatedAt()));
            }
        }
    }

    @EventListener
    void on(OrderStatusChanged changed) {
        if (changed.to() == OrderStatus.FULFILLED) {
            Order order = orders.get(changed.orderId());
            journal.post(PostingRules.fulfilment(order.id(), order.amountTotal(), order.vatTotalMinor(), changed.at())
                    .withOrderCreatedAt(order.created()));
        }
    }
}
