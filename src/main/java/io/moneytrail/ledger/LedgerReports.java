package io.moneytrail.ledger;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Reports read from the journal, grouped in one query: the movements of the providers' clearing
 * accounts ({@code assets:psp:<provider>}) by period and the kind of entry that moved them, and
 * the revenue accounts' movements attributed to the provider through which the order was paid.
 */
@Service
public class LedgerReports {

    /** Periods a report groups by: a day, an ISO week (from Monday) or a calendar month, in a time zone. */
    public static final Set<String> UNITS = Set.of("day", "week", "month");

    private final JdbcClient jdbc;

    LedgerReports(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A provider account's movement in one period, currency and kind of entry.
     *
     * @param provider the account's last part ({@code stripe} of {@code assets:psp:stripe})
     * @param period the first day of the period, in the report's time zone
     * @param sourceType the entry's source ({@code payment_transaction}, {@code provider_fee}, …)
     */
    public record ProviderMovement(String provider, LocalDate period, String currency, String sourceType,
                                   long debitsMinor, long creditsMinor) {
    }

    /**
     * A revenue account's movement ({@code income:sales}, {@code income:sales_returns},
     * {@code liabilities:vat_payable}; debit positive) in one period and currency, attributed to
     * the provider whose clearing account the order's first entry touching one debited or
     * credited; {@code provider} is empty when the entry has no order or the order none.
     */
    public record RevenueMovement(String provider, LocalDate period, String currency, String account,
                                  long movedMinor) {
    }

    /** Provider accounts' movements over [from, to), grouped by period ({@link #UNITS}) in {@code zone}. */
    public List<ProviderMovement> providerMovements(Instant from, Instant to, String unit, ZoneId zone) {
        return jdbc.sql("""
                        select substr(l.account_code, 12) as provider,
                               cast(date_trunc(:unit, l.effective_at at time zone :zone) as date) as period,
                               l.currency, e.source_type,
                               coalesce(sum(l.amount_minor) filter (where l.amount_minor > 0), 0),
                               coalesce(-sum(l.amount_minor) filter (where l.amount_minor < 0), 0)
                        from journal_lines l join journal_entries e on e.id = l.entry_id
                        where l.account_code like 'assets:psp:%'
                          and l.effective_at >= :from and l.effective_at < :to
                        group by 1, 2, 3, 4 order by 2, 1, 3, 4
                        """)
                .param("unit", unit(unit)).param("zone", zone.getId())
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> new ProviderMovement(rs.getString(1), rs.getDate(2).toLocalDate(), rs.getString(3),
                        rs.getString(4), rs.getLong(5), rs.getLong(6)))
                .list();
    }

    /** Revenue accounts' movements over [from, to) by period and the order's provider. */
    public List<RevenueMovement> revenueByProvider(Instant from, Instant to, String unit, ZoneId zone) {
        return jdbc.sql("""
                        with moved as (
                            select l.account_code, l.currency, l.amount_minor, e.order_id,
                                   cast(date_trunc(:unit, l.effective_at at time zone :zone) as date) as period
                            from journal_lines l join journal_entries e on e.id = l.entry_id
                            where l.account_code in ('income:sales', 'income:sales_returns', 'liabilities:vat_payable')
                              and l.effective_at >= :from and l.effective_at < :to
                        ), orders as (
                            select distinct order_id from moved where order_id is not null
                        ), paid_through as (
                            select o.order_id,
                                   (select substr(l2.account_code, 12)
                                    from journal_entries e2 join journal_lines l2 on l2.entry_id = e2.id
                                    where e2.order_id = o.order_id and l2.account_code like 'assets:psp:%'
                                    order by e2.effective_at, e2.id limit 1) as provider
                            from orders o
                        )
                        select coalesce(p.provider, '') as provider, m.period, m.currency, m.account_code,
                               sum(m.amount_minor)
                        from moved m left join paid_through p on p.order_id = m.order_id
                        group by 1, 2, 3, 4 order by 2, 1, 3, 4
                        """)
                .param("unit", unit(unit)).param("zone", zone.getId())
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> new RevenueMovement(rs.getString(1), rs.getDate(2).toLocalDate(), rs.getString(3),
                        rs.getString(4), rs.getLong(5)))
                .list();
    }

    private static String unit(String unit) {
        String wanted = unit == null ? "" : unit.toLowerCase(Locale.ROOT);
        if (!UNITS.contains(wanted)) {
            throw new IllegalArgumentException("a report's period is day, week or month: " + unit);
        }
        return wanted;
    }
}
