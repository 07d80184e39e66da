package io.moneytrail.ledger;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The SQL behind {@link OrderLedgerBalances}. */
@Component
class OrderLedgerBalancesJdbc implements OrderLedgerBalances {

    /** Rows a stream holds at once in this process ({@link #providerBalancesCreatedBetween}). */
    static final int FETCH_SIZE = 5_000;

    /**
     * A period's entries that move a provider account, by the creation instant of their order (V36:
     * each entry carries it and its own movement on {@code assets:psp:*}, so neither journal_lines nor
     * orders is read), from the index journal_entries_order_created_idx in its order: an order's
     * entries come together.
     */
    private static final String CREATED_BETWEEN = """
            select order_created_at, order_id, psp_currency, psp_minor from journal_entries
            where order_created_at >= ? and order_created_at < ? and psp_minor is not null
              and not (source_type = any (?))
            order by order_created_at, order_id
            """;

    private final JdbcClient jdbc;
    private final JdbcTemplate streaming;
    private final TransactionTemplate snapshot;

    OrderLedgerBalancesJdbc(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(FETCH_SIZE);
        // the driver streams with a fetch size only inside a transaction
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setReadOnly(true);
    }

    @Override
    public void providerBalancesCreatedBetween(Instant from, Instant to, Collection<String> excludedSources,
                                               Consumer<CreatedOrderBalance> each) {
        String[] excluded = excludedSources.toArray(String[]::new);
        snapshot.executeWithoutResult(status -> {
            OrderSum sum = new OrderSum(each);
            streaming.query(con -> {
                var statement = con.prepareStatement(CREATED_BETWEEN);
                statement.setFetchSize(FETCH_SIZE);
                statement.setTimestamp(1, Timestamp.from(from));
                statement.setTimestamp(2, Timestamp.from(to));
                statement.setArray(3, con.createArrayOf("text", excluded));
                return statement;
            }, rs -> {
                // an OffsetDateTime: the driver parses it without the Calendar of getTimestamp
                sum.add(rs.getString(2), rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(3).trim(),
                        rs.getLong(4));
            });
            sum.flush();
        });
    }

    /** The rows of one order (they come together), summed per currency and handed on when the order changes. */
    private static final class OrderSum {

        private final Consumer<CreatedOrderBalance> each;
        private String order;
        private Instant at;
        private String currency;
        private long amount;
        private Map<String, Long> more;

        OrderSum(Consumer<CreatedOrderBalance> each) {
            this.each = each;
        }

        void add(String orderId, Instant createdAt, String rowCurrency, long rowAmount) {
            if (!orderId.equals(order) || !createdAt.equals(at)) {
                flush();
                order = orderId;
                at = createdAt;
                currency = rowCurrency;
                amount = rowAmount;
                return;
            }
            if (more == null && rowCurrency.equals(currency)) {
                amount += rowAmount;
                return;
            }
            if (more == null) {
                more = new HashMap<>();
                more.put(currency, amount);
            }
            more.merge(rowCurrency, rowAmount, Long::sum);
        }

        void flush() {
            if (order != null) {
                each.accept(new CreatedOrderBalance(order, at, more == null ? Map.of(currency, amount) : Map.copyOf(more)));
            }
            order = null;
            more = null;
        }
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
