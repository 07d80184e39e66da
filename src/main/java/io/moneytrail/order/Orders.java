package io.moneytrail.order;

import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Orders and their lines, with explicit SQL over the order module's own tables; a read brings
 * the lines with the order. An order's money (sums of its payment transactions, the derived
 * payment status) is the payment module's: orders read here carry none ({@link Order#money()}
 * is null), and {@link OrderService} attaches it through {@link OrderMoneyPort}.
 */
@Repository
public class Orders {

    /** Binds the orders locked in the current transaction (see {@link #find}). */
    private static final Object LOCKED_HERE = new Object();

    /** The order and its lines (a JSON array of arrays, in line order): one round trip. */
    private static final String SELECT = """
            select o.id, o.reference, o.currency, o.amount_total, o.vat_total, o.status,
                   o.customer_email, o.customer_phone, o.metadata::text as metadata, o.created_at,
                   (select coalesce(json_agg(json_build_array(l.sku, l.name, l.quantity, l.unit_amount, l.vat_rate,
                                                              l.amount_total, l.amount_vat, l.payment_object,
                                                              l.measure) order by l.line_no), '[]')
                    from order_lines l where l.order_id = o.id)::text as lines
            from orders o
            """;

    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    Orders(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Inserts the order and its lines in one statement and answers the order as a read would
     * (nothing paid yet: every sum zero, payment status unpaid; metadata as stored).
     */
    Order insert(String id, NewOrder order, Money total, long vatTotal, List<OrderLine> lines, Instant now,
                 String creationKey) {
        Instant created = now.truncatedTo(ChronoUnit.MICROS);
        List<Object[]> rows = lines.stream().map(l -> new Object[] {l.sku(), l.name(), l.quantity(), l.unitAmount(),
                l.vatRate(), l.amountTotal(), l.amountVat(), l.paymentObject(), l.measure()}).toList();
        String metadata = jdbc.sql("""
                with o as (
                    insert into orders (id, reference, currency, amount_total, vat_total, status,
                                        customer_email, customer_phone, metadata, created_at, updated_at, creation_key)
                    values (:id, :reference, :currency, :total, :vat, 'open', :email, :phone,
                            cast(:metadata as jsonb), :now, :now, :creationKey)
                    returning metadata::text as metadata
                ), l as (
                    insert into order_lines (order_id, line_no, sku, name, quantity, unit_amount, vat_rate,
                                             amount_total, amount_vat, payment_object, measure)
                    select :id, x.n - 1, x.line->>0, x.line->>1, (x.line->>2)::bigint, (x.line->>3)::bigint,
                           (x.line->>4)::int, (x.line->>5)::bigint, (x.line->>6)::bigint, x.line->>7,
                           (x.line->>8)::int
                    from json_array_elements(cast(:lines as json)) with ordinality as x(line, n)
                )
                select metadata from o
                """)
                .param("creationKey", creationKey)
                .param("id", id).param("reference", order.reference())
                .param("currency", total.currencyCode()).param("total", total.amountMinor())
                .param("vat", vatTotal).param("email", order.customerEmail()).param("phone", order.customerPhone())
                .param("metadata", json.writeValueAsString(order.metadata() == null ? Map.of() : order.metadata()))
                .param("now", Timestamp.from(created))
                .param("lines", json.writeValueAsString(rows))
                .query(String.class).single();
        return new Order(id, order.reference(), total, vatTotal, OrderStatus.OPEN, order.customerEmail(),
                order.customerPhone(), json.readValue(metadata, METADATA), List.copyOf(lines),
                new OrderMoney(0, 0, 0, 0, 0, PaymentStatus.UNPAID), created);
    }

    /**
     * The order. One locked in the current transaction is read at most once there (then from
     * memory): nothing else can change it while the lock is held, and {@link #updateStatus}
     * forgets it.
     */
    public Optional<Order> find(String id) {
        Map<String, Optional<Order>> locked = lockedHere(false);
        if (locked != null && locked.containsKey(id)) {
            Optional<Order> known = locked.get(id);
            if (known == null) {
                known = jdbc.sql(SELECT + " where o.id = :id").param("id", id).query(this::map).optional();
                locked.put(id, known);
            }
            return known;
        }
        return jdbc.sql(SELECT + " where o.id = :id").param("id", id).query(this::map).optional();
    }

    /** Orders locked in the current transaction, with their row once read (null before); null outside one. */
    @SuppressWarnings("unchecked")
    private Map<String, Optional<Order>> lockedHere(boolean create) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        Map<String, Optional<Order>> locked =
                (Map<String, Optional<Order>>) TransactionSynchronizationManager.getResource(LOCKED_HERE);
        if (locked == null && create) {
            Map<String, Optional<Order>> fresh = new java.util.HashMap<>();
            TransactionSynchronizationManager.bindResource(LOCKED_HERE, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(LOCKED_HERE);
                }
            });
            locked = fresh;
        }
        return locked;
    }

    private void lockedHere(String id) {
        Map<String, Optional<Order>> locked = lockedHere(true);
        if (locked != null && !locked.containsKey(id)) {
            locked.put(id, null);
        }
    }

    /**
     * The order with its money, in one statement: the order's row and lines, and its row of the
     * payment module's published read model {@code order_money} (a view; every order has a row).
     * For reads outside a transaction, such as a client polling an order until it is paid; a
     * transaction that locked the order reads it with {@link #find} (from memory) and its money
     * through {@link OrderMoneyPort}.
     */
    Optional<Order> findWithMoney(String id) {
        return jdbc.sql("""
                        select x.*, m.amount_authorized, m.amount_authorized_open, m.amount_captured,
                               m.amount_voided, m.amount_refunded, m.payment_status
                        from (%s where o.id = :id) x
                        left join order_money m on m.order_id = x.id""".formatted(SELECT))
                .param("id", id)
                .query((rs, n) -> {
                    Order order = map(rs, n);
                    String status = rs.getString("payment_status");
                    return order.withMoney(status == null ? new OrderMoney(0, 0, 0, 0, 0, PaymentStatus.UNPAID)
                            : new OrderMoney(rs.getLong("amount_authorized"), rs.getLong("amount_authorized_open"),
                                    rs.getLong("amount_captured"), rs.getLong("amount_voided"),
                                    rs.getLong("amount_refunded"), PaymentStatus.fromWire(status)));
                })
                .optional();
    }

    Optional<Order> findByCreationKey(String creationKey) {
        return jdbc.sql(SELECT + " where o.creation_key = :key").param("key", creationKey).query(this::map)
                .optional();
    }

    public Order get(String id) {
        return find(id).orElseThrow(() -> MoneytrailException.notFound("order", id));
    }

    /**
     * Locks the order row for the rest of the transaction. Every change to an order or to any
     * of its payments takes this lock first, so they are serialised per order.
     */
    public OrderStatus lock(String id) {
        return lockRead(id).status();
    }

    /** As {@link #lock}, answering what the lock read of the order (its lifecycle, total and creation time). */
    LockedOrder lockRead(String id) {
        // the whole order comes with the lock: a later read of it in this transaction needs no statement
        Order order = jdbc.sql(SELECT + " where o.id = :id for update of o").param("id", id)
                .query(this::map).optional()
                .orElseThrow(() -> MoneytrailException.notFound("order", id));
        Map<String, Optional<Order>> locked = lockedHere(true);
        if (locked != null) {
            locked.put(id, Optional.of(order));
        }
        return new LockedOrder(id, order.status(), order.amountTotal(), order.created());
    }

    /** Locks the order row and reads what starting a payment needs: its lifecycle and total (and creation time). */
    LockedOrder lockForPayment(String id) {
        LockedOrder order = jdbc.sql("""
                        select status, amount_total, currency, created_at from orders where id = :id for update""")
                .param("id", id)
                .query((rs, n) -> new LockedOrder(id, OrderStatus.fromWire(rs.getString(1)),
                        Money.of(rs.getLong(2), rs.getString(3)), rs.getTimestamp(4).toInstant()))
                .optional()
                .orElseThrow(() -> MoneytrailException.notFound("order", id));
        lockedHere(id);
        return order;
    }

    /** Locks the order unless another transaction holds it (then empty): for background workers. */
    public Optional<OrderStatus> tryLock(String id) {
        Optional<OrderStatus> status = jdbc.sql("select status from orders where id = :id for update skip locked")
                .param("id", id).query(String.class).optional().map(OrderStatus::fromWire);
        status.ifPresent(locked -> lockedHere(id));
        return status;
    }

    /**
     * Open orders created before {@code cutoff}, oldest first, after the cursor
     * ({@code afterCreated}, {@code afterId}; both null for the first page): candidates for
     * expiry, whose money the payment module checks.
     */
    List<OpenOrder> openCreatedBefore(Instant cutoff, Instant afterCreated, String afterId, int limit) {
        return jdbc.sql("""
                        select o.id, o.created_at from orders o
                        where o.status = 'open' and o.created_at < :cutoff
                          and (cast(:afterCreated as timestamptz) is null
                               or (o.created_at, o.id) > (cast(:afterCreated as timestamptz), :afterId))
                        order by o.created_at, o.id limit :limit
                        """)
                .param("cutoff", Timestamp.from(cutoff))
                .param("afterCreated", afterCreated == null ? null : Timestamp.from(afterCreated))
                .param("afterId", afterId == null ? "" : afterId).param("limit", limit)
                .query((rs, n) -> new OpenOrder(rs.getString(1), rs.getTimestamp(2).toInstant())).list();
    }

    void updateStatus(String id, OrderStatus status, Instant now) {
        jdbc.sql("update orders set status = :status, updated_at = :now where id = :id")
                .param("status", status.wire()).param("now", Timestamp.from(now)).param("id", id).update();
        Map<String, Optional<Order>> locked = lockedHere(false);
        if (locked != null && locked.containsKey(id)) {
            locked.put(id, null); // read again when asked
        }
    }

    /** A page in creation order, newest first, after the cursor {@code startingAfter}. */
    List<Order> list(OrderStatus status, String startingAfter, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" where true");
        if (status != null) {
            sql.append(" and o.status = :status");
        }
        if (startingAfter != null) {
            sql.append(" and o.id < :after");
        }
        sql.append(" order by o.id desc limit :limit");
        var spec = jdbc.sql(sql.toString()).param("limit", limit);
        if (status != null) {
            spec = spec.param("status", status.wire());
        }
        if (startingAfter != null) {
            spec = spec.param("after", startingAfter);
        }
        return spec.query(this::map).list();
    }

    /** The orders among {@code ids} (in any order), optionally only those in {@code status}. */
    List<Order> byIds(List<String> ids, OrderStatus status) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String sql = SELECT + " where o.id in (:ids)" + (status == null ? "" : " and o.status = :status");
        var spec = jdbc.sql(sql).param("ids", ids);
        if (status != null) {
            spec = spec.param("status", status.wire());
        }
        return spec.query(this::map).list();
    }

    private Order map(ResultSet rs, int row) throws SQLException {
        Money total = Money.of(rs.getLong("amount_total"), rs.getString("currency"));
        Map<String, String> metadata = json.readValue(rs.getString("metadata"), METADATA);
        List<OrderLine> lines = new ArrayList<>();
        for (JsonNode line : json.readTree(rs.getString("lines"))) {
            lines.add(new OrderLine(line.get(0).asText(), line.get(1).asText(), line.get(2).asLong(),
                    line.get(3).asLong(), line.get(4).isNull() ? null : line.get(4).asInt(), line.get(5).asLong(),
                    line.get(6).asLong(), line.get(7).asText(), line.get(8).asInt()));
        }
        return new Order(rs.getString("id"), rs.getString("reference"), total, rs.getLong("vat_total"),
                OrderStatus.fromWire(rs.getString("status")), rs.getString("customer_email"),
                rs.getString("customer_phone"), metadata, List.copyOf(lines), null,
                rs.getTimestamp("created_at").toInstant());
    }
}
