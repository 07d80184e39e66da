package io.moneytrail.ledger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Balances per account and currency, now or as of an instant; the trial balance; an order's trail. */
@Service
public class Balances {

    private final JdbcClient jdbc;
    private final Journal journal;

    Balances(JdbcClient jdbc, Journal journal) {
        this.jdbc = jdbc;
        this.journal = journal;
    }

    /** An account's balance in one currency: debit-positive, with its debit and credit totals. */
    public record Balance(String account, String currency, long debitsMinor, long creditsMinor) {
        public long balanceMinor() {
            return debitsMinor - creditsMinor;
        }
    }

    /** Sums per currency of all balances: zero in every currency, or the ledger is broken. */
    public record TrialBalance(Instant asOf, List<Balance> accounts, Map<String, Long> totalsByCurrency) {
        public boolean balanced() {
            return totalsByCurrency.values().stream().allMatch(total -> total == 0);
        }
    }

    /** Balances of one account as of an instant (entries effective at or before it). */
    public List<Balance> account(String code, Instant asOf) {
        journal.flushNew(); // this transaction's entries not yet written count too
        return jdbc.sql("""
                        select account_code, currency,
                               coalesce(sum(amount_minor) filter (where amount_minor > 0), 0),
                               coalesce(-sum(amount_minor) filter (where amount_minor < 0), 0)
                        from journal_lines where account_code = :code and effective_at <= :asOf
                        group by account_code, currency order by currency
                        """)
                .param("code", code).param("asOf", Timestamp.from(asOf))
                .query((rs, n) -> new Balance(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)))
                .list();
    }

    public TrialBalance trialBalance(Instant asOf) {
        journal.flushNew(); // this transaction's entries not yet written count too
        List<Balance> balances = jdbc.sql("""
                        select account_code, currency,
                               coalesce(sum(amount_minor) filter (where amount_minor > 0), 0),
                               coalesce(-sum(amount_minor) filter (where amount_minor < 0), 0)
                        from journal_lines where effective_at <= :asOf
                        group by account_code, currency order by account_code, currency
                        """)
                .param("asOf", Timestamp.from(asOf))
                .query((rs, n) -> new Balance(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)))
                .list();
        Map<String, Long> totals = new LinkedHashMap<>();
        for (Balance balance : balances) {
            totals.merge(balance.currency(), balance.balanceMinor(), Math::addExact);
        }
        return new TrialBalance(asOf, balances, totals);
    }

    /** The signed balance of one account within one order's entries. */
    public long orderAccountBalance(String orderId, String account, String currency) {
        return orderAccountBalances(orderId, currency).getOrDefault(account, 0L);
    }

    /** Every account an order's entries touched, with the order's balance on it (debit positive). */
    public Map<String, Long> orderAccountBalances(String orderId, String currency) {
        journal.flushNew(); // this transaction's entries not yet written count too
        Map<String, Long> balances = new LinkedHashMap<>();
        jdbc.sql("""
                        select l.account_code, sum(l.amount_minor) from journal_lines l
                        join journal_entries e on e.id = l.entry_id
                        where e.order_id = :order and l.currency = :currency
                        group by l.account_code order by l.account_code
                        """)
                .param("order", orderId).param("currency", currency)
                .query(rs -> {
                    balances.put(rs.getString(1), rs.getLong(2));
                });
        return balances;
    }

    /** One step of an order's money trail: an entry and the order's running balances after it. */
    public record TrailStep(JournalEntry entry, Map<String, Long> runningBalances) {
    }

    /**
     * Every entry touching an order, in effective order, with the running balance of each
     * account the order has touched (customer advances, revenue, returns, VAT, provider …).
     */
    public List<TrailStep> moneyTrail(String orderId) {
        List<TrailStep> steps = new ArrayList<>();
        Map<String, Long> running = new LinkedHashMap<>();
        for (JournalEntry entry : journal.ofOrder(orderId)) {
            for (JournalEntry.Line line : entry.lines()) {
                running.merge(line.account(), line.amountMinor(), Math::addExact);
            }
            steps.add(new TrailStep(entry, new LinkedHashMap<>(running)));
        }
        return steps;
    }

    /** A page of entries, oldest first by id, filtered. */
    public List<JournalEntry> entries(String orderId, String account, Instant from, Instant to, String startingAfter,
                                      int limit) {
        StringBuilder where = new StringBuilder("where e.id in (select e2.id from journal_entries e2 where true");
        Map<String, Object> params = new LinkedHashMap<>();
        if (orderId != null) {
            where.append(" and e2.order_id = :order");
            params.put("order", orderId);
        }
        if (account != null) {
            where.append(" and exists (select 1 from journal_lines l2 where l2.entry_id = e2.id and l2.account_code = :account)");
            params.put("account", account);
        }
        if (from != null) {
            where.append(" and e2.effective_at >= :from");
            params.put("from", Timestamp.from(from));
        }
        if (to != null) {
            where.append(" and e2.effective_at < :to");
            params.put("to", Timestamp.from(to));
        }
        if (startingAfter != null) {
            where.append(" and e2.id > :after");
            params.put("after", startingAfter);
        }
        where.append(" order by e2.id limit :limit)");
        params.put("limit", limit);
        List<JournalEntry> entries = new ArrayList<>(journal.load(where.toString(), params));
        entries.sort(java.util.Comparator.comparing(JournalEntry::id));
        return entries;
    }
}
