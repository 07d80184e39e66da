package io.moneytrail.ledger;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The SQL behind {@link LedgerReports}. */
@Service
class LedgerReportsJdbc implements LedgerReports {

    private final JdbcClient jdbc;

    LedgerReportsJdbc(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Provider accounts' movements over [from, to), grouped by period ({@link #UNITS}) in {@code zone}. */
    @Override
    public List<ProviderMovement> providerMovements(Instant from, Instant to, String unit, ZoneId zone) {
        return jdbc.sql("""
                        select substr(l.account_code, 12) as provider,
                               cast(date_trunc(:unit, l.effective_at at time zone :zone) as date) as period,
                               l.currency, coalesce(r.source_type, e.source_type), e.reverses is not null,
                               coalesce(sum(l.amount_minor) filter (where l.amount_minor > 0), 0),
                               coalesce(-sum(l.amount_minor) filter (where l.amount_minor < 0), 0)
                        from journal_lines l join journal_entries e on e.id = l.entry_id
                             left join journal_entries r on r.id = e.reverses
                        where l.account_code like 'assets:psp:%'
                          and l.effective_at >= :from and l.effective_at < :to
                        group by 1, 2, 3, 4, 5 order by 2, 1, 3, 4, 5
                        """)
                .param("unit", unit(unit)).param("zone", zone.getId())
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> new ProviderMovement(rs.getString(1), rs.getDate(2).toLocalDate(), rs.getString(3),
                        rs.getString(4), rs.getBoolean(5), rs.getLong(6), rs.getLong(7)))
                .list();
    }

    /** Revenue accounts' movements over [from, to) by period and the order's provider. */
    @Override
    public List<RevenueMovement> revenueByProvider(Instant from, Instant to, String unit, ZoneId zone) {
        return jdbc.sql("""
                        with moved as (
                            select l.account_code, l.currency, l.amount_minor, e.order_id,
                                   cast(date_trunc(:unit, l.effective_at at time zone :zone) as date) as period
                            from journal_lines l join journal_entries e on e.id = l.entry_id
                            where l.account_code in ('income:sales', 'income:sales_returns', 'liabilities:vat_payable')
                              and l.effective_at >= :from and l.effective_at < :to
                        ), touched as (
                            select distinct order_id from moved where order_id is not null
                        ), paid_through as (
                            select o.order_id,
                                   (select substr(l2.account_code, 12)
                                    from journal_entries e2 join journal_lines l2 on l2.entry_id = e2.id
                                    where e2.order_id = o.order_id and l2.account_code like 'assets:psp:%'
                                    order by e2.effective_at, e2.id limit 1) as provider
                            from touched o
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
