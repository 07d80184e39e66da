package io.moneytrail.payment;

import io.moneytrail.database.TransactionBuffer;
import io.moneytrail.money.Check;
import io.moneytrail.order.OrderSummaries;
import io.moneytrail.order.PaymentStatus;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The SQL behind {@link OrderPaymentStatuses}, and its writes: {@link #record} by
 * {@link OrderPaymentWatch} in the transaction that moved the status, {@link #refresh} by the bulk
 * loader from the view itself.
 */
@Component
class OrderPaymentStatusesJdbc implements OrderPaymentStatuses {

    /** Later than any order's creation: {@link OrderSummaries#createdBefore} with it answers every order. */
    private static final Instant NEVER = Instant.parse("9999-01-01T00:00:00Z");

    private final JdbcClient jdbc;
    private final OrderSummaries orders;
    /** The rows {@link #record} wrote in this transaction, upserted with the transaction's other buffered rows. */
    private final TransactionBuffer<Recorded> recorded;

    OrderPaymentStatusesJdbc(JdbcClient jdbc, OrderSummaries orders) {
        this.jdbc = jdbc;
        this.orders = orders;
        this.recorded = new TransactionBuffer<>(jdbc, OrderPaymentStatusesJdbc::upsert);
    }

    /** An order's payment status as it is at the end of the transaction that moved it. */
    private record Recorded(String orderId, Instant orderCreatedAt, PaymentStatus status, Instant now) {
    }

    @Override
    public List<String> orderIds(PaymentStatus status, Instant from, Instant to, String after, int limit) {
        Check.that(status != PaymentStatus.UNPAID, "unpaid orders without an attempt have no row: filter by of()");
        Check.that(limit >= 1 && limit <= IDS_MAX, "limit within bounds");
        List<String> where = new ArrayList<>(List.of("payment_status = :status"));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("status", status.wire());
        if (from != null) {
            where.add("order_created_at >= :from");
            params.put("from", Timestamp.from(from));
        }
        if (to != null) {
            where.add("order_created_at < :to");
            params.put("to", Timestamp.from(to));
        }
        if (after != null) {
            // the keyset of the order list, on order_payment_status_list_idx (payment_status, order_created_at, order_id)
            where.add("(order_created_at, order_id) < ((select c.order_created_at from order_payment_status c"
                    + " where c.order_id = :after), :after)");
            params.put("after", after);
        }
        params.put("limit", limit);
        return jdbc.sql("select order_id from order_payment_status where " + String.join(" and ", where)
                        + " order by order_created_at desc, order_id desc limit :limit")
                .params(params).query(String.class).list();
    }

    @Override
    public Map<String, PaymentStatus> of(Collection<String> orderIds) {
        Check.that(orderIds.size() <= IDS_MAX, "ids within bounds");
        Map<String, PaymentStatus> statuses = new HashMap<>();
        orderIds.forEach(id -> statuses.put(id, PaymentStatus.UNPAID));
        if (orderIds.isEmpty()) {
            return statuses;
        }
        jdbc.sql("select order_id, payment_status from order_payment_status where order_id = any(cast(:ids as text[]))")
                .param("ids", orderIds.toArray(String[]::new))
                .query((rs, n) -> statuses.put(rs.getString("order_id"),
                        PaymentStatus.fromWire(rs.getString("payment_status"))))
                .list();
        return statuses;
    }

    /**
     * The order's payment status moved to {@code status} in the current transaction, which holds
     * the order's lock: the row follows (created with the order's creation time,
     * {@code orderCreatedAt}, on the first attempt). One upsert, written with the transaction's
     * other buffered rows just before it commits ({@link TransactionBuffer}); with
     * {@code orderCreatedAt} unknown (null), an update, and on the first attempt a read of the
     * order's creation time and an upsert, at once.
     */
    void record(String orderId, PaymentStatus status, Instant now, Instant orderCreatedAt) {
        if (orderCreatedAt != null) {
            recorded.add(new Recorded(orderId, orderCreatedAt, status, now));
            return;
        }
        int updated = jdbc.sql("""
                        update order_payment_status set payment_status = :status, updated_at = :now
                        where order_id = :id""")
                .param("status", status.wire()).param("now", Timestamp.from(now)).param("id", orderId).update();
        if (updated == 0) {
            Instant created = orders.createdBefore(List.of(orderId), NEVER).stream().findFirst()
                    .orElseThrow(() -> new IllegalStateException("no order " + orderId)).createdAt();
            recorded.add(new Recorded(orderId, created, status, now));
            recorded.flush();
        }
    }

    /** The upsert of the recorded rows (the last of each order), as part of one statement. */
    private static TransactionBuffer.Piece upsert(List<Recorded> rows, String prefix) {
        Map<String, Recorded> last = new LinkedHashMap<>();
        rows.forEach(row -> last.put(row.orderId(), row)); // an insert ... on conflict may touch a row once
        Map<String, Object> params = new LinkedHashMap<>();
        params.put(prefix + "ids", last.values().stream().map(Recorded::orderId).toArray(String[]::new));
        params.put(prefix + "created", last.values().stream().map(r -> r.orderCreatedAt().toString())
                .toArray(String[]::new));
        params.put(prefix + "statuses", last.values().stream().map(r -> r.status().wire()).toArray(String[]::new));
        params.put(prefix + "updated", last.values().stream().map(r -> r.now().toString()).toArray(String[]::new));
        return new TransactionBuffer.Piece(List.of(prefix + """
                order_payment_status as (
                    insert into order_payment_status (order_id, order_created_at, payment_status, updated_at)
                    select x.id, x.created, x.status, x.updated
                    from unnest(cast(:%1$sids as text[]), cast(:%1$screated as timestamptz[]),
                                cast(:%1$sstatuses as text[]), cast(:%1$supdated as timestamptz[]))
                         as x(id, created, status, updated)
                    on conflict (order_id) do update
                    set payment_status = excluded.payment_status, updated_at = excluded.updated_at
                )""".formatted(prefix)), params);
    }

    /**
     * Sets the rows of these orders (each with a payment attempt) to what the view derives now: for
     * payments written in bulk, not through the state machines.
     */
    void refresh(Collection<String> orderIds, Instant now) {
        List<String> all = List.copyOf(orderIds);
        for (int from = 0; from < all.size(); from += OrderSummaries.PAGE_MAX) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + OrderSummaries.PAGE_MAX));
            List<OrderSummaries.OrderSummary> found = orders.createdBefore(chunk, NEVER);
            jdbc.sql("""
                            insert into order_payment_status (order_id, order_created_at, payment_status, updated_at)
                            select m.order_id, c.created_at, m.payment_status, :now
                            from unnest(cast(:ids as text[]), cast(:created as timestamptz[])) as c(order_id, created_at)
                            join order_money m on m.order_id = c.order_id
                            on conflict (order_id) do update
                            set payment_status = excluded.payment_status, updated_at = excluded.updated_at""")
                    .param("ids", found.stream().map(OrderSummaries.OrderSummary::id).toArray(String[]::new))
                    .param("created", found.stream().map(o -> o.createdAt().toString()).toArray(String[]::new))
                    .param("now", Timestamp.from(now)).update();
        }
    }
}
