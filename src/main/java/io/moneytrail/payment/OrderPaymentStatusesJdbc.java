package io.moneytrail.payment;

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

    OrderPaymentStatusesJdbc(JdbcClient jdbc, OrderSummaries orders) {
        this.jdbc = jdbc;
        this.orders = orders;
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
     * the order's lock: the row follows (created with the order's creation time on the first attempt).
     */
    void record(String orderId, PaymentStatus status, Instant now) {
        int updated = jdbc.sql("""
                        update order_payment_status set payment_status = :status, updated_at = :now
                        where order_id = :id""")
                .param("status", status.wire()).param("now", Timestamp.from(now)).param("id", orderId).update();
        if (updated == 0) {
            Instant created = orders.createdBefore(List.of(orderId), NEVER).stream().findFirst()
                    .orElseThrow(() -> new IllegalStateException("no order " + orderId)).createdAt();
            jdbc.sql("""
                            insert into order_payment_status (order_id, order_created_at, payment_status, updated_at)
                            values (:id, :created, :status, :now)
                            on conflict (order_id) do update
                            set payment_status = excluded.payment_status, updated_at = excluded.updated_at""")
                    .param("id", orderId).param("created", Timestamp.from(created)).param("status", status.wire())
                    .param("now", Timestamp.from(now)).update();
        }
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
