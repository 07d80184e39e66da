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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SQL behind {@link PaymentFacts}. */
@Component
class PaymentFactsJdbc implements PaymentFacts {

    private final JdbcClient jdbc;

    PaymentFactsJdbc(JdbcClient jdbc) {
        this.jdbc = jdbc;
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
                                         order by p.created_at desc, p.id desc limit 1)) as reference
                        from order_money m where m.order_id = any(array(select unnest(cast(:ids as text[]))))
                        """)
                .param("ids", orderIds.toArray(String[]::new))
                .query(rs -> {
                    facts.put(rs.getString(1), new OrderMoneyFacts(rs.getString(1), rs.getLong(2), rs.getLong(3),
                            PaymentStatus.fromWire(rs.getString(4)), rs.getString(5)));
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
