package io.moneytrail.reconrun;

import io.moneytrail.reconciliation.Discrepancy;
import io.moneytrail.reconciliation.DiscrepancyClass;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Our side of a run, read from the database with explicit SQL: the orders as the default order
 * export (so the provider and bank legs run through the very engine of the file-only audit),
 * and the internal leg (order vs payments vs ledger), which needs the ledger and is checked here.
 */
@Component
class OurSide {

    static final String EXPORT_HEADER =
            "order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded,payment_reference";
    /** Journal sources that move an order's provider balance for reasons other than its captures and refunds. */
    private static final String OTHER_PSP_SOURCES = "'provider_fee','payout','chargeback','chargeback_reversal'";
    private static final int IDS_PER_QUERY = 1_000;

    private static final String ORDER_COLUMNS = """
            select o.id, o.created_at, o.status, o.currency, o.amount_total, m.amount_captured, m.amount_refunded,
                   m.payment_status,
                   coalesce((select p.provider_payment_id from payments p
                             where p.order_id = o.id and p.provider_payment_id is not null
                               and exists (select 1 from payment_transactions t where t.payment_id = p.id and t.kind = 'capture')
                             order by p.created_at, p.id limit 1),
                            (select p.provider_payment_id from payments p
                             where p.order_id = o.id and p.provider_payment_id is not null
                             order by p.created_at desc, p.id desc limit 1)) as reference
            from orders o join order_money m on m.order_id = o.id
            """;

    private final JdbcClient jdbc;

    OurSide(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Writes the orders created in [from, to) (plus those whose provider payment id is in
     * {@code alsoPayments}: charged in the report, created before the period) as the default
     * order export. Returns how many were written.
     */
    long writeOrders(Instant from, Instant to, Collection<String> alsoPayments, Path file) {
        Set<String> written = new HashSet<>();
        long[] count = {0};
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            out.write(EXPORT_HEADER);
            out.write('\n');
            jdbc.sql(ORDER_COLUMNS + " where o.created_at >= :from and o.created_at < :to order by o.created_at, o.id")
                    .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                    .query(rs -> {
                        write(out, rs);
                        written.add(rs.getString(1));
                        count[0]++;
                    });
            List<String> ids = new ArrayList<>(alsoPayments);
            for (int start = 0; start < ids.size(); start += IDS_PER_QUERY) {
                List<String> chunk = ids.subList(start, Math.min(ids.size(), start + IDS_PER_QUERY));
                jdbc.sql(ORDER_COLUMNS + """
                                 where o.id in (select p.order_id from payments p where p.provider_payment_id in (:ids))
                                   and o.created_at < :from order by o.created_at, o.id
                                """)
                        .param("ids", chunk).param("from", Timestamp.from(from))
                        .query(rs -> {
                            if (written.add(rs.getString(1))) {
                                write(out, rs);
                                count[0]++;
                            }
                        });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the order export " + file, e);
        }
        return count[0];
    }

    private static void write(Writer out, java.sql.ResultSet rs) throws java.sql.SQLException {
        String currency = rs.getString(4).trim();
        int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        long captured = rs.getLong(6);
        long refunded = Math.min(rs.getLong(7), captured);
        String reference = rs.getString(9);
        try {
            out.write(rs.getString(1) + "," + rs.getTimestamp(2).toInstant() + ","
                    + status(rs.getString(3), rs.getString(8)) + "," + currency + ","
                    + BigDecimal.valueOf(rs.getLong(5), digits).toPlainString() + ","
                    + BigDecimal.valueOf(captured, digits).toPlainString() + ","
                    + BigDecimal.valueOf(refunded, digits).toPlainString() + ","
                    + (reference == null ? "" : reference) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Our order status and derived payment status, as one of the audit's store statuses. */
    static String status(String orderStatus, String paymentStatus) {
        switch (orderStatus) {
            case "cancelled":
            case "expired":
                return "cancelled";
            case "fulfilled":
                return "fulfilled";
            default:
                break;
        }
        switch (paymentStatus) {
            case "authorized":
                return "authorized";
            case "partially_paid":
                return "partially_paid";
            case "paid":
            case "overpaid":
                return "paid";
            case "partially_refunded":
                return "partially_refunded";
            case "refunded":
                return "refunded";
            default:
                return "pending"; // unpaid, pending
        }
    }

    /** Result of the internal leg: its discrepancies and how many orders it checked. */
    record Internal(List<Discrepancy> discrepancies, long ordersChecked, Set<String> ordersSettling) {
    }

    /**
     * The internal leg over orders created in [from, to): an order's provider balance in the
     * ledger must equal captured - refunded, and a cancelled or expired order must not hold
     * captured money unless a refund or a compensation is in flight.
     */
    Internal internalLeg(Instant from, Instant to) {
        List<Discrepancy> found = new ArrayList<>();
        Set<String> settling = new HashSet<>();
        long[] checked = {0};
        jdbc.sql("""
                        select o.id, o.status, o.currency, m.amount_captured, m.amount_refunded,
                               coalesce((select sum(l.amount_minor) from journal_lines l
                                         join journal_entries e on e.id = l.entry_id
                                         where e.order_id = o.id and l.account_code like 'assets:psp:%'
                                           and l.currency = o.currency
                                           and e.source_type not in (""" + OTHER_PSP_SOURCES + """
                        )), 0) as psp,
                               exists (select 1 from refunds r where r.order_id = o.id
                                       and r.status in ('pending','unknown','needs_review')) as refund_in_flight,
                               exists (select 1 from compensations c where c.order_id = o.id
                                       and c.status in ('scheduled','held')) as compensating
                        from orders o join order_money m on m.order_id = o.id
                        where o.created_at >= :from and o.created_at < :to
                        order by o.created_at, o.id
                        """)
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query(rs -> {
                    checked[0]++;
                    String order = rs.getString(1);
                    String status = rs.getString(2);
                    String currency = rs.getString(3).trim();
                    long held = rs.getLong(4) - rs.getLong(5);
                    long psp = rs.getLong(6);
                    boolean inFlight = rs.getBoolean(7) || rs.getBoolean(8);
                    if (inFlight) {
                        settling.add(order);
                    }
                    if (held > 0 && ("cancelled".equals(status) || "expired".equals(status)) && !inFlight) {
                        found.add(new Discrepancy(DiscrepancyClass.CAPTURED_ON_CANCELLED_ORDER, order, null, null, null,
                                null, null, currency, held, 0L, null, "ledger_by_order",
                                "order is " + status + " but holds " + held + " minor units of captured money with no"
                                        + " refund or compensation in flight", "database"));
                    }
                    if (psp != held) {
                        found.add(new Discrepancy(DiscrepancyClass.LEDGER_DISAGREES_WITH_DERIVED_STATUS, order, null,
                                null, null, null, null, currency, held, psp, null, "ledger_by_order",
                                "captured - refunded is " + held + " minor units but the order's provider balance in"
                                        + " the ledger is " + psp, "database"));
                    }
                });
        return new Internal(found, checked[0], settling);
    }
}
