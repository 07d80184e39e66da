package io.moneytrail.ledger;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SQL behind {@link OrderLedgerBalances}. */
@Component
class OrderLedgerBalancesJdbc implements OrderLedgerBalances {

    private final JdbcClient jdbc;

    OrderLedgerBalancesJdbc(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Per order and currency, the sum (debits positive) of the order's lines on the provider
     * accounts {@code assets:psp:*}, leaving out entries whose source type is in
     * {@code excludedSources} (e.g. {@link PostingRules#SOURCE_FEE}). An order with no such line
     * is absent.
     */
    public Map<String, Map<String, Long>> providerBalances(Collection<String> orderIds,
                                                    Collection<String> excludedSources) {
        if (orderIds.size() > IDS_MAX) {
            throw new IllegalArgumentException("at most " + IDS_MAX + " order ids per lookup, not " + orderIds.size());
        }
        Map<String, Map<String, Long>> balances = new HashMap<>();
        if (orderIds.isEmpty()) {
            return balances;
        }
        // the ids through an initplan: the planner then looks each up by index, where with the array itself it
        // scanned the whole journal for the statement's first executions (see PaymentFactsJdbc.ofOrders)
        jdbc.sql("""
                        select e.order_id, l.currency, sum(l.amount_minor)
                        from journal_entries e join journal_lines l on l.entry_id = e.id
                        where e.order_id = any(array(select unnest(cast(:ids as text[])))) and l.account_code like 'assets:psp:%'
                          and not (e.source_type = any (:excluded))
                        group by e.order_id, l.currency
                        """)
                .param("ids", orderIds.toArray(String[]::new)).param("excluded", excludedSources.toArray(String[]::new))
                .query(rs -> {
                    balances.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .put(rs.getString(2).trim(), rs.getLong(3));
                });
        return balances;
    }
}
