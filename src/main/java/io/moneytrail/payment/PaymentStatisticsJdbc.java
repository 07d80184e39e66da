package io.moneytrail.payment;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The SQL behind {@link PaymentStatistics}. */
@Service
class PaymentStatisticsJdbc implements PaymentStatistics {

    private final JdbcClient jdbc;

    PaymentStatisticsJdbc(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Attempts created in [from, to), by period ({@code day|week|month} in {@code zone}) and provider. */
    @Override
    public List<Outcomes> outcomes(Instant from, Instant to, String unit, ZoneId zone) {
        return jdbc.sql("""
                        select cast(date_trunc(:unit, p.created_at at time zone :zone) as date) as period, p.provider,
                               count(*),
                               count(*) filter (where p.status in ('authorized', 'partially_captured', 'captured')
                                   or (p.status = 'voided' and exists (select 1 from payment_transactions t
                                       where t.payment_id = p.id and t.kind = 'authorization'))),
                               count(*) filter (where p.status = 'failed'),
                               count(*) filter (where p.status = 'expired'
                                   or (p.status = 'voided' and not exists (select 1 from payment_transactions t
                                       where t.payment_id = p.id and t.kind = 'authorization'))),
                               count(*) filter (where p.status in ('requires_action', 'processing', 'unknown',
                                                                   'needs_review'))
                        from payments p where p.created_at >= :from and p.created_at < :to
                        group by 1, 2 order by 1, 2
                        """)
                .param("unit", unit(unit)).param("zone", zone.getId())
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> new Outcomes(rs.getDate(1).toLocalDate(), rs.getString(2), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)))
                .list();
    }

    /** The most frequent failure codes of the attempts created in [from, to) that failed, most first. */
    @Override
    public List<DeclineReason> declineReasons(Instant from, Instant to, int limit) {
        return jdbc.sql("""
                        select p.provider, coalesce(p.failure_code, ''), count(*), max(p.failure_message)
                        from payments p
                        where p.created_at >= :from and p.created_at < :to and p.status = 'failed'
                        group by 1, 2 order by 3 desc, 1, 2 limit :limit
                        """)
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to)).param("limit", limit)
                .query((rs, n) -> new DeclineReason(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
                .list();
    }

    /** Authorised and not (fully) captured now: what is still capturable, per provider and currency. */
    @Override
    public List<Outstanding> authorizedNotCaptured() {
        return jdbc.sql("""
                        select p.provider, p.currency, count(*),
                               sum(p.amount - coalesce((select sum(t.amount_minor) from payment_transactions t
                                                        where t.payment_id = p.id and t.kind = 'capture'), 0))
                        from payments p where p.status in ('authorized', 'partially_captured')
                        group by 1, 2 order by 1, 2
                        """)
                .query((rs, n) -> new Outstanding(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)))
                .list();
    }

    /** Refunds asked for and not settled yet (pending, unknown, in review), per provider and currency. */
    @Override
    public List<Outstanding> refundsPending() {
        return jdbc.sql("""
                        select p.provider, r.currency, count(*), sum(r.amount)
                        from refunds r join payments p on p.id = r.payment_id
                        where r.status not in ('succeeded', 'failed')
                        group by 1, 2 order by 1, 2
                        """)
                .query((rs, n) -> new Outstanding(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)))
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
