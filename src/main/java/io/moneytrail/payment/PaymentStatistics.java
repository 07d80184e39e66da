package io.moneytrail.payment;

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
 * Counts over payment attempts for reports: how attempts ended per period and provider (the
 * success rate), why declined ones were declined, and what is outstanding — authorised but not
 * captured, refunds not settled.
 */
@Service
public class PaymentStatistics {

    private static final Set<String> UNITS = Set.of("day", "week", "month");

    private final JdbcClient jdbc;

    PaymentStatistics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * How the attempts created in one period through one provider stand now.
     *
     * @param succeeded authorised or captured (voided after an authorisation included)
     * @param declined  failed: the provider or the customer's bank refused
     * @param abandoned expired, or voided before any authorisation
     * @param inFlight  not decided yet (waiting for the customer, the provider or an operator)
     */
    public record Outcomes(LocalDate period, String provider, long attempts, long succeeded, long declined,
                           long abandoned, long inFlight) {
        /** Succeeded among the decided attempts, 0..1; null when none is decided. */
        public Double successRate() {
            long decided = succeeded + declined + abandoned;
            return decided == 0 ? null : (double) succeeded / decided;
        }
    }

    /** Declined attempts with one failure code (or none) through one provider. */
    public record DeclineReason(String provider, String code, long count, String example) {
    }

    /** What is outstanding in one provider and currency: how many and how much. */
    public record Outstanding(String provider, String currency, long count, long amountMinor) {
    }

    /** Attempts created in [from, to), by period ({@code day|week|month} in {@code zone}) and provider. */
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
