package io.moneytrail.ledger;

import java.util.Collection;
import java.util.Map;

/**
 * Read model of the journal by order, for modules that check many orders at once
 * (reconciliation runs): the balance each order holds on a group of accounts, per currency.
 * Every lookup takes at most {@value #IDS_MAX} order ids.
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
}
