package io.moneytrail.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Read model of the {@code orders} table for other modules that go over many orders at once
 * (reconciliation runs, checks): an order's id, creation instant, lifecycle status, currency and
 * total, with no lines and no money facts (those are the payment module's, see
 * {@code payment.PaymentFacts}). Pages are keyset pages in (created_at, id) order.
 */
@Component
public class OrderSummaries {

    /** The most orders one call returns or looks up. */
    public static final int PAGE_MAX = 5_000;

    /** One order, as far as a reader of many orders needs it. */
    public record OrderSummary(String id, Instant createdAt, OrderStatus status, String currency,
                               long amountTotal) {
    }

    private final JdbcClient jdbc;

    OrderSummaries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Orders created in [from, to) after {@code after} (null: from the start) in (created_at, id)
     * order, at most {@code limit} ({@value #PAGE_MAX} at most).
     */
    public List<OrderSummary> createdBetween(Instant from, Instant to, OrderSummary after, int limit) {
        checkLimit(limit);
        if (after == null) {
            return jdbc.sql("""
                            select id, created_at, status, currency, amount_total from orders
                            where created_at >= :from and created_at < :to
                            order by created_at, id limit :limit
                            """)
                    .param("from", Timestamp.from(from)).param("to", Timestamp.from(to)).param("limit", limit)
                    .query(OrderSummaries::summary).list();
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
                .query(OrderSummaries::summary).list();
    }

    /** Those of the given orders ({@value #PAGE_MAX} at most) created before {@code before}, in (created_at, id) order. */
    public List<OrderSummary> createdBefore(Collection<String> ids, Instant before) {
        checkLimit(ids.size());
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        select id, created_at, status, currency, amount_total from orders
                        where id in (:ids) and created_at < :before
                        order by created_at, id
                        """)
                .param("ids", ids).param("before", Timestamp.from(before))
                .query(OrderSummaries::summary).list();
    }

    private static void checkLimit(int limit) {
        if (limit < 0 || limit > PAGE_MAX) {
            throw new IllegalArgumentException("at most " + PAGE_MAX + " orders per call, not " + limit);
        }
    }

    private static OrderSummary summary(ResultSet rs, int row) throws SQLException {
        return new OrderSummary(rs.getString(1), rs.getTimestamp(2).toInstant(), OrderStatus.fromWire(rs.getString(3)),
                rs.getString(4).trim(), rs.getLong(5));
    }
}
