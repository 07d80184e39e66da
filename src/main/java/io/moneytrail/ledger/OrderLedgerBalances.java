package io.moneytrail.ledger;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Read model of the journal by order, for modules that check many orders at once
 * (reconciliation runs): the balance each order holds on a group of accounts, per currency.
 * Every lookup by id takes at most {@value #IDS_MAX} order ids; a period's orders are streamed
 * in their order of creation instead ({@link #providerBalancesCreatedBetween}).
 */
public interface OrderLedgerBalances {

    /** The most order ids one lookup takes. */
    int IDS_MAX = 5_000;

    /**
     * Per order and currency, the sum (debits positive) of the order's lines on the provider
     * accounts {@code assets:psp:*}, leaving out entries whose source type is in
     * {@code excludedSources} (e.g. {@link PostingRules#SOURCE_FEE}). An order with no such line
     * is absent.
     */
    Map<String, Map<String, Long>> providerBalances(Collection<String> orderIds,
                                                    Collection<String> excludedSources);

    /**
     * One order's provider balance ({@link #providerBalances}) with the order's creation instant.
     *
     * @param byCurrency the sum per currency, as {@link #providerBalances} gives it for the order
     */
    record CreatedOrderBalance(String orderId, Instant orderCreatedAt, Map<String, Long> byCurrency) {
    }

    /**
     * The provider balances ({@link #providerBalances}, all of each order's entries whenever they
     * were posted) of the orders created in [from, to), streamed from one statement in the orders'
     * order of creation instant (the orders of one instant in no order that the caller may rely
     * on), one per order that has a line on {@code assets:psp:*}. A range read of the entries by the
     * creation instant of their order (V36), with no lookup per order.
     */
    void providerBalancesCreatedBetween(Instant from, Instant to, Collection<String> excludedSources,
                                        Consumer<CreatedOrderBalance> each);
}
