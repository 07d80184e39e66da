package io.moneytrail.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SQL behind {@link OrderSummaries}. */
@Component
class OrderSummariesJdbc implements OrderSummaries {

    private final JdbcClient jdbc;

    OrderSummariesJdbc(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Orders created in [from, to) after {@code after} (null: from the start) in (created_at, id)
     * order, at most {@code limit} ({@value #PAGE_MAX} at most).
     */
    @Override
    public List<OrderSummary> createdBetween(Instant from, Instant to, OrderSummary after, int limit) {
        checkLimit(limit);
        if (after == null) {
            return jdbc.sql("""
                            select id, created_at, status, currency, amount_total from orders
                            where created_at >= :from and created_at < :to
                            order by created_at, id limit :limit
                            """)
                    .param("from", Timestamp.from(from)).param("to", Timestamp.from(to)).param("limit", limit)
                    .query(OrderSummariesJdbc::summary).list();
        }
        return jdbc.sql("""
                        select id, created_at, status, currency, amount_total from orders
                        where created_at >= :from and created_at < :to
                          and (created_at, id) > (:afterAt, :afterId)
                        order by created_at, id limit :limit
                        """)
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .param("afterAt", Timestamp.from(after.createdAt())).param("afterId", after.id())
                .param("limit", limit)
                .query(OrderSummariesJdbc::summary).list();
    }

    @Override
    public long countCreatedBetween(Instant from, Instant to) {
        return jdbc.sql("select count(*) from orders where created_at >= :from and created_at < :to")
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to)).query(Long.class).single();
    }

    /** Those of the given orders ({@value #PAGE_MAX} at most) created before {@code before}, in (created_at, id) order. */
    @Override
    public List<OrderSummary> createdBefore(Collection<String> ids, Instant before) {
        checkLimit(ids.size());
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        select id, created_at, status, currency, amount_total from orders
                        where id = any(cast(:ids as text[])) and created_at < :before
                        order by created_at, id
                        """)
                .param("ids", ids.toArray(String[]::new)).param("before", Timestamp.from(before))
                .query(OrderSummariesJdbc::summary).list();
    }

    @Override
    public Map<String, Instant> createdAt(Collection<String> ids) {
        checkLimit(ids.size());
        Map<String, Instant> created = new HashMap<>();
        if (ids.isEmpty()) {
            return created;
        }
        jdbc.sql("select id, created_at from orders where id = any(cast(:ids as text[]))")
                .param("ids", ids.toArray(String[]::new))
                .query(rs -> {
                    created.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                });
        return created;
    }

    @Override
    public List<Fulfilment> fulfilledBetween(Instant from, Instant to, String currency, Fulfilment after, int limit) {
        checkLimit(limit);
        return jdbc.sql("""
                        select t.order_id, o.currency, t.occurred_at from timeline t
                        join orders o on o.id = t.order_id
                        where t.kind = 'order.status_changed' and t.data ->> 'to' = 'fulfilled'
                          and t.occurred_at >= :from and t.occurred_at < :to and o.currency = :currency
                          and (cast(:afterId as text) is null or (t.occurred_at, t.order_id) > (:afterAt, :afterId))
                        order by t.occurred_at, t.order_id limit :limit
                        """)
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to)).param("currency", currency)
                .param("afterAt", Timestamp.from(after == null ? from : after.fulfilledAt()))
                .param("afterId", after == null ? null : after.orderId())
                .param("limit", limit)
                .query((rs, n) -> new Fulfilment(rs.getString(1), rs.getString(2).trim(), rs.getTimestamp(3).toInstant()))
                .list();
    }

    @Override
    public List<LineRate> lineRates(Collection<String> orderIds) {
        checkLimit(orderIds.size());
        if (orderIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select order_id, sku, vat_rate from order_lines where order_id in (:ids) order by order_id, line_no")
                .param("ids", orderIds)
                .query((rs, n) -> new LineRate(rs.getString(1), rs.getString(2), (Integer) rs.getObject(3)))
                .list();
    }

    private static void checkLimit(int limit) {
        if (limit < 0 || limit > PAGE_MAX) {
            throw new IllegalArgumentException("at most " + PAGE_MAX + " orders per call, not " + limit);
        }
    }

    private static OrderSummary summary(ResultSet rs, int row) throws SQLException {
        // one String per currency code, not one per order: a reader of a million orders may keep them all; the
        // instant as an OffsetDateTime, which the driver parses without the Calendar of getTimestamp
        return new OrderSummary(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                OrderStatus.fromWire(rs.getString(3)),
                rs.getString(4).trim().intern(), rs.getLong(5));
    }
}
