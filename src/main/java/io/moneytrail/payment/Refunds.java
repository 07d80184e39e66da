package io.moneytrail.payment;

import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Refunds, with explicit SQL. */
@Repository
class Refunds {

    private static final String SELECT = """
            select id, payment_id, order_id, provider_refund_id, amount, currency, status, reason, failure_message,
                   created_at
            from refunds
            """;

    private final JdbcClient jdbc;

    Refunds(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String id, Payment payment, long amountMinor, RefundState state, String providerRefundId,
                String reason, Instant now) {
        insert(id, payment, amountMinor, state, providerRefundId, reason, now, null);
    }

    void insert(String id, Payment payment, long amountMinor, RefundState state, String providerRefundId,
                String reason, Instant now, String creationKey) {
        insert(id, payment, amountMinor, state, providerRefundId, reason, now, creationKey, null);
    }

    /** {@code lines}: the order lines the refund returns; null when it names none. */
    void insert(String id, Payment payment, long amountMinor, RefundState state, String providerRefundId,
                String reason, Instant now, String creationKey, List<RefundLine> lines) {
        jdbc.sql("""
                insert into refunds (id, payment_id, order_id, provider_refund_id, amount, currency, status, reason,
                                     created_at, updated_at, creation_key, lines)
                values (:id, :payment, :order, :pid, :amount, :currency, :status, :reason, :now, :now, :creationKey,
                        case when cast(:named as boolean) then
                            (select coalesce(jsonb_agg(jsonb_build_object('sku', u.sku, 'quantity', u.quantity)
                                                       order by u.n), '[]')
                             from unnest(cast(:skus as text[]), cast(:quantities as bigint[]))
                                  with ordinality as u(sku, quantity, n)) end)
                """)
                .param("creationKey", creationKey).param("named", lines != null)
                .param("skus", lines == null ? new String[0] : lines.stream().map(RefundLine::sku).toArray(String[]::new))
                .param("quantities", lines == null ? new Long[0]
                        : lines.stream().map(RefundLine::quantity).toArray(Long[]::new))
                .param("id", id).param("payment", payment.id()).param("order", payment.orderId())
                .param("pid", providerRefundId).param("amount", amountMinor)
                .param("currency", payment.amount().currencyCode()).param("status", state.wire())
                .param("reason", reason).param("now", Timestamp.from(now))
                .update();
    }

    public Optional<Refund> find(String id) {
        return jdbc.sql(SELECT + " where id = :id").param("id", id).query(Refunds::map).optional();
    }

    public Refund get(String id) {
        return find(id).orElseThrow(() -> MoneytrailException.notFound("refund", id));
    }

    Optional<Refund> findByCreationKey(String creationKey) {
        return jdbc.sql(SELECT + " where creation_key = :key").param("key", creationKey).query(Refunds::map).optional();
    }

    Optional<Refund> findByProviderId(String providerRefundId) {
        return jdbc.sql(SELECT + " where provider_refund_id = :pid").param("pid", providerRefundId)
                .query(Refunds::map).optional();
    }

    public List<Refund> ofPayment(String paymentId) {
        return jdbc.sql(SELECT + " where payment_id = :payment order by id").param("payment", paymentId)
                .query(Refunds::map).list();
    }

    /** The lines a refund named, in its order; null when it named none (its amount is allocated). */
    List<RefundLine> linesOf(String refundId) {
        Boolean named = jdbc.sql("select lines is not null from refunds where id = :id").param("id", refundId)
                .query(Boolean.class).optional().orElse(false);
        if (!named) {
            return null;
        }
        return jdbc.sql("""
                select x.line->>'sku' as sku, (x.line->>'quantity')::bigint as quantity
                from refunds r, jsonb_array_elements(r.lines) with ordinality as x(line, n)
                where r.id = :id order by x.n
                """).param("id", refundId)
                .query((rs, row) -> new RefundLine(rs.getString("sku"), rs.getLong("quantity"))).list();
    }

    /** The quantities per sku that the order's refunds (not failed ones) named, summed. */
    List<RefundLine> linesOfOrder(String orderId) {
        return jdbc.sql("""
                select x.line->>'sku' as sku, sum((x.line->>'quantity')::bigint) as quantity
                from refunds r, jsonb_array_elements(r.lines) as x(line)
                where r.order_id = :order and r.lines is not null and r.status <> 'failed'
                group by 1 order by 1
                """).param("order", orderId)
                .query((rs, row) -> new RefundLine(rs.getString("sku"), rs.getLong("quantity"))).list();
    }

    public List<Refund> inReview(int limit) {
        return jdbc.sql(SELECT + " where status = 'needs_review' order by updated_at limit :limit").param("limit", limit)
                .query(Refunds::map).list();
    }

    /** The sum of refunds that are pending, unknown or succeeded: money promised back. */
    /** What a new refund of a payment checks under the lock, read at once. */
    record Held(long amount, String refundWithKey) {
    }

    /**
     * A payment's refunds as one JSON value in a query that reads the payment (see
     * {@link Payments#lockWithRefunds}), oldest first; {@link #fromJson} reads it back.
     */
    static final String JSON_OF_PAYMENT = """
            (select coalesce(json_agg(json_build_array(r.id, r.provider_refund_id, r.amount, r.currency, r.status,
                                                       r.reason, r.failure_message, r.created_at, r.creation_key)
                                      order by r.id), '[]')
             from refunds r where r.payment_id = p.id)::text""";

    /** A payment's refunds read with it under its lock, each with the idempotency key it was created under. */
    record OfPayment(List<Refund> refunds, List<String> creationKeys) {

        /** What {@link #held} answers, from these refunds: the key is looked for among this payment's. */
        Held held(String creationKey) {
            long amount = 0;
            String withKey = null;
            for (int i = 0; i < refunds.size(); i++) {
                if (refunds.get(i).state() != RefundState.FAILED) {
                    amount = Math.addExact(amount, refunds.get(i).amount().amountMinor());
                }
                if (creationKey != null && creationKey.equals(creationKeys.get(i))) {
                    withKey = refunds.get(i).id();
                }
            }
            return new Held(amount, withKey);
        }
    }

    /** Reads {@link #JSON_OF_PAYMENT} of the payment {@code paymentId} of order {@code orderId}. */
    static OfPayment fromJson(tools.jackson.databind.ObjectMapper json, String text, String paymentId,
                              String orderId) {
        List<Refund> refunds = new java.util.ArrayList<>();
        List<String> keys = new java.util.ArrayList<>();
        for (tools.jackson.databind.JsonNode r : json.readTree(text)) {
            refunds.add(new Refund(r.get(0).asText(), paymentId, orderId, textOrNull(r.get(1)),
                    Money.of(r.get(2).asLong(), r.get(3).asText()), RefundState.fromWire(r.get(4).asText()),
                    textOrNull(r.get(5)), textOrNull(r.get(6)),
                    java.time.OffsetDateTime.parse(r.get(7).asText()).toInstant()));
            keys.add(textOrNull(r.get(8)));
        }
        return new OfPayment(List.copyOf(refunds), java.util.Collections.unmodifiableList(keys));
    }

    private static String textOrNull(tools.jackson.databind.JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    long amountHeld(String paymentId) {
        return jdbc.sql("select coalesce(sum(amount), 0) from refunds where payment_id = :payment and status <> 'failed'")
                .param("payment", paymentId).query(Long.class).single();
    }

    void update(String id, RefundState state, String providerRefundId, String failureMessage, Instant now) {
        jdbc.sql("""
                update refunds set status = :status, provider_refund_id = coalesce(provider_refund_id, :pid),
                                   failure_message = coalesce(:failure, failure_message), updated_at = :now
                where id = :id
                """)
                .param("status", state.wire()).param("pid", providerRefundId).param("failure", failureMessage)
                .param("now", Timestamp.from(now)).param("id", id).update();
    }

    private static Refund map(ResultSet rs, int row) throws SQLException {
        return new Refund(rs.getString("id"), rs.getString("payment_id"), rs.getString("order_id"),
                rs.getString("provider_refund_id"), Money.of(rs.getLong("amount"), rs.getString("currency")),
                RefundState.fromWire(rs.getString("status")), rs.getString("reason"), rs.getString("failure_message"),
                rs.getTimestamp("created_at").toInstant());
    }
}
