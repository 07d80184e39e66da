package io.moneytrail.payment;

import io.moneytrail.order.PaymentStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The SQL behind {@link PaymentFacts}. */
@Component
class PaymentFactsJdbc implements PaymentFacts {

    /** Rows a stream holds at once in this process ({@link #createdBetween}). */
    static final int FETCH_SIZE = 5_000;

    /**
     * The money facts of a period's orders in one statement, a row per payment (an order with none
     * has one row of nulls): the orders from the read model's range (order_payment_status_created_idx,
     * V35) joined set-wise to their payments and their capture and refund sums per payment, so that
     * for a long period the planner can hash-join whole tables instead of descending three indexes
     * per order; what is settling (few rows) is hashed once. Sorted by creation instant only (no
     * text comparisons): the rows of one instant are grouped by order here. The chargebacks net of
     * their reversals ride the same sums (column 10).
     */
    private static final String CREATED_BETWEEN = """
            with s as materialized (
                select order_id, order_created_at, payment_status from order_payment_status
                where order_created_at >= ? and order_created_at < ?
            ), settling as (
                select order_id from refunds where status in ('pending','unknown','needs_review')
                union
                select order_id from compensations where status in ('scheduled','held')
            )
            select s.order_id, s.order_created_at, s.payment_status, p.id, p.created_at, p.provider_payment_id,
                   x.captured, x.refunded, g.order_id is not null, x.charged_back
            from s
            left join payments p on p.order_id = s.order_id
            left join (
                select t.payment_id, sum(t.amount_minor) filter (where t.kind = 'capture') as captured,
                       sum(t.amount_minor) filter (where t.kind = 'refund') as refunded,
                       sum(case t.kind when 'chargeback' then t.amount_minor
                                       when 'chargeback_reversal' then -t.amount_minor end) as charged_back
                from s join payment_transactions t on t.order_id = s.order_id
                where t.kind in ('capture', 'refund', 'chargeback', 'chargeback_reversal')
                group by t.payment_id
            ) x on x.payment_id = p.id
            left join settling g on g.order_id = s.order_id
            order by s.order_created_at
            """;
    /** Memory for the hash joins of {@link #CREATED_BETWEEN} (a month of 1,000,000 orders), for that statement only. */
    private static final String STREAM_WORK_MEM = "set local work_mem = '128MB'";

    private final JdbcClient jdbc;
    private final JdbcTemplate streaming;
    private final TransactionTemplate snapshot;

    PaymentFactsJdbc(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(FETCH_SIZE);
        // the driver streams with a fetch size only inside a transaction
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setReadOnly(true);
    }

    @Override
    public void createdBetween(Instant from, Instant to, Consumer<CreatedOrderMoney> each) {
        snapshot.executeWithoutResult(status -> {
            streaming.execute(STREAM_WORK_MEM);
            InstantGroup group = new InstantGroup(each);
            streaming.query(CREATED_BETWEEN, rs -> {
                Timestamp paymentCreated = rs.getTimestamp(5);
                long captured = rs.getLong(7);
                boolean hasCapture = !rs.wasNull() && captured > 0;
                group.add(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                        paymentCreated == null ? null : paymentCreated.toInstant(), rs.getString(6), captured,
                        hasCapture, rs.getLong(8), rs.getBoolean(9), rs.getLong(10));
            }, Timestamp.from(from), Timestamp.from(to));
            group.flush();
        });
    }

    /**
     * The rows of one creation instant (a row per payment), summed per order and handed on when the
     * instant changes: the captured and refunded sums, and the provider reference by the rule of
     * {@link #ofOrders} (the first payment, by creation, with a provider id and a capture; else the
     * latest with a provider id).
     */
    private static final class InstantGroup {

        private final Consumer<CreatedOrderMoney> each;
        private final Map<String, OrderRows> orders = new java.util.LinkedHashMap<>();
        private Instant at;

        InstantGroup(Consumer<CreatedOrderMoney> each) {
            this.each = each;
        }

        void add(String orderId, Instant orderCreatedAt, String status, String paymentId, Instant paymentCreatedAt,
                 String providerPaymentId, long captured, boolean hasCapture, long refunded, boolean settling,
                 long chargedBack) {
            if (!orderCreatedAt.equals(at)) {
                flush();
                at = orderCreatedAt;
            }
            OrderRows rows = orders.get(orderId);
            if (rows == null) {
                rows = new OrderRows(orderId, status, settling);
                orders.put(orderId, rows);
            }
            if (paymentId != null) {
                rows.add(paymentId, paymentCreatedAt, providerPaymentId, captured, hasCapture, refunded, chargedBack);
            }
        }

        void flush() {
            for (OrderRows rows : orders.values()) {
                each.accept(new CreatedOrderMoney(rows.orderId, at, rows.captured, rows.refunded, rows.chargedBack,
                        PaymentStatus.fromWire(rows.status), rows.reference(), rows.settling));
            }
            orders.clear();
        }
    }

    /** One order's payments as they stream past (almost always one). */
    private static final class OrderRows {

        final String orderId;
        final String status;
        final boolean settling;
        long captured;
        long refunded;
        long chargedBack;
        // the first payment with a provider id and a capture, and the latest with a provider id
        private String firstCapturedId;
        private Instant firstCapturedAt;
        private String firstCapturedReference;
        private String latestId;
        private Instant latestAt;
        private String latestReference;

        OrderRows(String orderId, String status, boolean settling) {
            this.orderId = orderId;
            this.status = status;
            this.settling = settling;
        }

        void add(String paymentId, Instant createdAt, String providerPaymentId, long capturedMinor, boolean hasCapture,
                 long refundedMinor, long chargedBackMinor) {
            captured = Math.addExact(captured, capturedMinor);
            refunded = Math.addExact(refunded, refundedMinor);
            chargedBack = Math.addExact(chargedBack, chargedBackMinor);
            if (providerPaymentId == null) {
                return;
            }
            if (hasCapture && (firstCapturedId == null || before(createdAt, paymentId, firstCapturedAt, firstCapturedId))) {
                firstCapturedId = paymentId;
                firstCapturedAt = createdAt;
                firstCapturedReference = providerPaymentId;
            }
            if (latestId == null || before(latestAt, latestId, createdAt, paymentId)) {
                latestId = paymentId;
                latestAt = createdAt;
                latestReference = providerPaymentId;
            }
        }

        String reference() {
            return firstCapturedReference != null ? firstCapturedReference : latestReference;
        }

        private static boolean before(Instant a, String aId, Instant b, String bId) {
            int byTime = a.compareTo(b);
            return byTime < 0 || byTime == 0 && aId.compareTo(bId) < 0;
        }
    }

    /** The money facts of the given orders, by order id (an unknown id is absent). */
    @Override
    public Map<String, OrderMoneyFacts> ofOrders(Collection<String> orderIds) {
        check(orderIds);
        Map<String, OrderMoneyFacts> facts = new HashMap<>();
        if (orderIds.isEmpty()) {
            return facts;
        }
        // the ids through an initplan (array(select unnest(...))): the planner then does not see how many there
        // are and always looks each up by index; given the array itself, it chose to scan every order (and
        // every payment transaction) while it planned for the statement's first executions
        jdbc.sql("""
                        select m.order_id, m.amount_captured, m.amount_refunded, m.payment_status,
                               coalesce((select p.provider_payment_id from payments p
                                         where p.order_id = m.order_id and p.provider_payment_id is not null
                                           and exists (select 1 from payment_transactions t
                                                       where t.payment_id = p.id and t.kind = 'capture')
                                         order by p.created_at, p.id limit 1),
                                        (select p.provider_payment_id from payments p
                                         where p.order_id = m.order_id and p.provider_payment_id is not null
                                         order by p.created_at desc, p.id desc limit 1)) as reference,
                               (select coalesce(sum(case t.kind when 'chargeback' then t.amount_minor
                                                                else -t.amount_minor end), 0)
                                from payment_transactions t
                                where t.order_id = m.order_id
                                  and t.kind in ('chargeback', 'chargeback_reversal')) as charged_back
                        from order_money m where m.order_id = any(array(select unnest(cast(:ids as text[]))))
                        """)
                .param("ids", orderIds.toArray(String[]::new))
                .query(rs -> {
                    facts.put(rs.getString(1), new OrderMoneyFacts(rs.getString(1), rs.getLong(2), rs.getLong(3),
                            rs.getLong(6), PaymentStatus.fromWire(rs.getString(4)), rs.getString(5)));
                });
        return facts;
    }

    /**
     * Those of the given orders whose money is still settling: a refund pending, unknown or under
     * review, or a compensation scheduled or held.
     */
    @Override
    public Set<String> settling(Collection<String> orderIds) {
        check(orderIds);
        if (orderIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("""
                        select order_id from refunds
                        where order_id = any(cast(:ids as text[])) and status in ('pending','unknown','needs_review')
                        union
                        select order_id from compensations
                        where order_id = any(cast(:ids as text[])) and status in ('scheduled','held')
                        """)
                .param("ids", orderIds.toArray(String[]::new)).query(String.class).list());
    }

    /** The orders of the payments with these provider payment ids. */
    @Override
    public List<String> ordersOfProviderPayments(Collection<String> providerPaymentIds) {
        check(providerPaymentIds);
        if (providerPaymentIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select distinct order_id from payments where provider_payment_id = any(cast(:ids as text[]))")
                .param("ids", providerPaymentIds.toArray(String[]::new)).query(String.class).list();
    }

    private static void check(Collection<String> ids) {
        if (ids.size() > IDS_MAX) {
            throw new IllegalArgumentException("at most " + IDS_MAX + " ids per lookup, not " + ids.size());
        }
    }

    private static final String MOVEMENT_COLUMNS =
            "id, order_id, payment_id, refund_id, kind, amount_minor, currency, occurred_at";

    @Override
    public List<MoneyMovement> movementsBetween(Instant from, Instant to, String currency, MoneyMovement after,
                                                int limit) {
        if (limit < 0 || limit > IDS_MAX) {
            throw new IllegalArgumentException("at most " + IDS_MAX + " movements per call, not " + limit);
        }
        return jdbc.sql("select " + MOVEMENT_COLUMNS + """
                         from payment_transactions
                        where kind in ('capture', 'refund') and currency = :currency
                          and occurred_at >= :from and occurred_at < :to
                          and (cast(:afterId as text) is null or (occurred_at, id) > (:afterAt, :afterId))
                        order by occurred_at, id limit :limit
                        """)
                .param("currency", currency).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .param("afterAt", Timestamp.from(after == null ? from : after.occurredAt()))
                .param("afterId", after == null ? null : after.transactionId()).param("limit", limit)
                .query(PaymentFactsJdbc::movement).list();
    }

    @Override
    public List<MoneyMovement> movementsOfOrders(Collection<String> orderIds) {
        check(orderIds);
        if (orderIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + MOVEMENT_COLUMNS + """
                         from payment_transactions
                        where kind in ('capture', 'refund') and order_id in (:ids)
                        order by occurred_at, id
                        """)
                .param("ids", orderIds).query(PaymentFactsJdbc::movement).list();
    }

    private static MoneyMovement movement(ResultSet rs, int n) throws SQLException {
        return new MoneyMovement(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), rs.getString(7).trim(), rs.getTimestamp(8).toInstant());
    }
}
