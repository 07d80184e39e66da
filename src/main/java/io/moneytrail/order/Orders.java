package io.moneytrail.order;

import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Orders and their lines, with explicit SQL. Reads join the derived money view. */
@Repository
public class Orders {

    private static final String SELECT = """
            select o.id, o.reference, o.currency, o.amount_total, o.vat_total, o.status,
                   o.customer_email, o.customer_phone, o.metadata::text as metadata, o.created_at,
                   m.amount_authorized, m.amount_authorized_open, m.amount_captured, m.amount_voided,
                   m.amount_refunded, m.payment_status
            from orders o join order_money m on m.order_id = o.id
            """;

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    Orders(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(String id, NewOrder order, Money total, long vatTotal, List<OrderLine> lines, Instant now,
                String creationKey) {
        jdbc.sql("""
                insert into orders (id, reference, currency, amount_total, vat_total, status,
                                    customer_email, customer_phone, metadata, created_at, updated_at, creation_key)
                values (:id, :reference, :currency, :total, :vat, 'open', :email, :phone,
                        cast(:metadata as jsonb), :now, :now, :creationKey)
                """)
                .param("creationKey", creationKey)
                .param("id", id).param("reference", order.reference())
                .param("currency", total.currencyCode()).param("total", total.amountMinor())
                .param("vat", vatTotal).param("email", order.customerEmail()).param("phone", order.customerPhone())
                .param("metadata", json.writeValueAsString(order.metadata() == null ? Map.of() : order.metadata()))
                .param("now", Timestamp.from(now))
                .update();
        int lineNo = 0;
        for (OrderLine line : lines) {
            jdbc.sql("""
                    insert into order_lines (order_id, line_no, sku, name, quantity, unit_amount, vat_rate,
                                             amount_total, amount_vat)
                    values (:order, :no, :sku, :name, :qty, :unit, :rate, :total, :vat)
                    """)
                    .param("order", id).param("no", lineNo++).param("sku", line.sku()).param("name", line.name())
                    .param("qty", line.quantity()).param("unit", line.unitAmount()).param("rate", line.vatRate())
                    .param("total", line.amountTotal()).param("vat", line.amountVat())
                    .update();
        }
    }

    public Optional<Order> find(String id) {
        return jdbc.sql(SELECT + " where o.id = :id").param("id", id).query(this::mapWithoutLines).optional()
                .map(this::withLines);
    }

    Optional<Order> findByCreationKey(String creationKey) {
        return jdbc.sql(SELECT + " where o.creation_key = :key").param("key", creationKey).query(this::mapWithoutLines)
                .optional().map(this::withLines);
    }

    public Order get(String id) {
        return find(id).orElseThrow(() -> MoneytrailException.notFound("order", id));
    }

    /**
     * Locks the order row for the rest of the transaction. Every change to an order or to any
     * of its payments takes this lock first, so they are serialised per order.
     */
    public OrderStatus lock(String id) {
        return jdbc.sql("select status from orders where id = :id for update").param("id", id)
                .query(String.class).optional()
                .map(OrderStatus::fromWire)
                .orElseThrow(() -> MoneytrailException.notFound("order", id));
    }

    /** Locks the order unless another transaction holds it (then empty): for background workers. */
    public Optional<OrderStatus> tryLock(String id) {
        return jdbc.sql("select status from orders where id = :id for update skip locked").param("id", id)
                .query(String.class).optional().map(OrderStatus::fromWire);
    }

    /** Open orders created before {@code cutoff} with nothing captured: candidates for expiry. */
    public List<String> expiryCandidates(Instant cutoff, int limit) {
        return jdbc.sql("""
                        select o.id from orders o
                        where o.status = 'open' and o.created_at < :cutoff
                          and not exists (select 1 from payment_transactions t
                                          where t.order_id = o.id and t.kind = 'capture')
                        order by o.created_at limit :limit
                        """)
                .param("cutoff", java.sql.Timestamp.from(cutoff)).param("limit", limit).query(String.class).list();
    }

    void updateStatus(String id, OrderStatus status, Instant now) {
        jdbc.sql("update orders set status = :status, updated_at = :now where id = :id")
                .param("status", status.wire()).param("now", Timestamp.from(now)).param("id", id).update();
    }

    /** A page in creation order, newest first, after the cursor {@code startingAfter}. */
    List<Order> list(OrderStatus status, PaymentStatus paymentStatus, String startingAfter, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" where true");
        if (status != null) {
            sql.append(" and o.status = :status");
        }
        if (paymentStatus != null) {
            sql.append(" and m.payment_status = :paymentStatus");
        }
        if (startingAfter != null) {
            sql.append(" and o.id < :after");
        }
        sql.append(" order by o.id desc limit :limit");
        var spec = jdbc.sql(sql.toString()).param("limit", limit);
        if (status != null) {
            spec = spec.param("status", status.wire());
        }
        if (paymentStatus != null) {
            spec = spec.param("paymentStatus", paymentStatus.wire());
        }
        if (startingAfter != null) {
            spec = spec.param("after", startingAfter);
        }
        return spec.query(this::mapWithoutLines).list().stream().map(this::withLines).toList();
    }

    private Order withLines(Order order) {
        List<OrderLine> lines = jdbc.sql("""
                        select sku, name, quantity, unit_amount, vat_rate, amount_total, amount_vat
                        from order_lines where order_id = :id order by line_no
                        """)
                .param("id", order.id())
                .query((rs, n) -> new OrderLine(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        (Integer) rs.getObject(5), rs.getLong(6), rs.getLong(7)))
                .list();
        return new Order(order.id(), order.reference(), order.amountTotal(), order.vatTotalMinor(), order.status(),
                order.customerEmail(), order.customerPhone(), order.metadata(), lines, order.money(), order.created());
    }

    private Order mapWithoutLines(ResultSet rs, int row) throws SQLException {
        Money total = Money.of(rs.getLong("amount_total"), rs.getString("currency"));
        OrderMoney money = new OrderMoney(rs.getLong("amount_authorized"), rs.getLong("amount_authorized_open"),
                rs.getLong("amount_captured"), rs.getLong("amount_voided"), rs.getLong("amount_refunded"),
                PaymentStatus.fromWire(rs.getString("payment_status")));
        Map<String, String> metadata = json.readValue(rs.getString("metadata"), new TypeReference<>() {
        });
        return new Order(rs.getString("id"), rs.getString("reference"), total, rs.getLong("vat_total"),
                OrderStatus.fromWire(rs.getString("status")), rs.getString("customer_email"),
                rs.getString("customer_phone"), metadata, List.of(), money,
                rs.getTimestamp("created_at").toInstant());
    }
}
