package io.moneytrail.fiscal;

import io.moneytrail.money.Ids;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/**
 * The writes to {@code receipts}: the intent (with the fact that calls for it, once per source),
 * and the worker's claim, sends, answers; retries and corrections.
 */
@Repository
class ReceiptStore {

    static final String PREFIX = "rct_";

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final ReceiptsJdbc reads;

    ReceiptStore(JdbcClient jdbc, ObjectMapper json, ReceiptsJdbc reads) {
        this.jdbc = jdbc;
        this.json = json;
        this.reads = reads;
    }

    /**
     * Stores the intent in the current transaction, due now; a second intent for the same source
     * is ignored. Answers the receipt's id, or empty when the source already has one.
     */
    Optional<String> insert(String orderId, String paymentId, String refundId, String source, String correctsId,
                            ReceiptDraft draft, String currency, String provider, Instant now) {
        String id = Ids.next(PREFIX);
        Map<String, Object> data = new LinkedHashMap<>(draft.data());
        if (draft.paymentType() != ReceiptRules.PAYMENT_ELECTRONIC) {
            data.put("payment_type", draft.paymentType());
        }
        int inserted = jdbc.sql("""
                insert into receipts (id, order_id, payment_id, refund_id, source, corrects_id, type, payment_method,
                                      purpose, status, total, currency, items, vats, data, provider, external_id,
                                      next_attempt_at, created_at, updated_at)
                values (:id, :order, :payment, :refund, :source, :corrects, :type, :method, :purpose, 'pending', :total,
                        :currency, cast(:items as jsonb), cast(:vats as jsonb), cast(:data as jsonb), :provider, :id,
                        :now, :now, :now)
                on conflict (source) do nothing
                """)
                .param("id", id).param("order", orderId).param("payment", paymentId).param("refund", refundId)
                .param("source", source).param("corrects", correctsId).param("type", draft.type().wire())
                .param("method", draft.paymentMethod().wire()).param("purpose", draft.purpose().wire())
                .param("total", draft.total()).param("currency", currency)
                .param("items", json.writeValueAsString(draft.items().stream().map(ReceiptStore::item).toList()))
                .param("vats", json.writeValueAsString(draft.vats())).param("data", json.writeValueAsString(data))
                .param("provider", provider).param("now", Timestamp.from(now))
                .update();
        return inserted == 1 ? Optional.of(id) : Optional.empty();
    }

    /** A receipt that could not even be built: stored failed, with why, for the review queue. */
    void insertUnbuildable(String orderId, String paymentId, String refundId, String source, ReceiptType type,
                           ReceiptPaymentMethod method, ReceiptPurpose purpose, long total, String currency,
                           String provider, String why, Instant now) {
        String id = Ids.next(PREFIX);
        jdbc.sql("""
                insert into receipts (id, order_id, payment_id, refund_id, source, type, payment_method, purpose, status,
                                      total, currency, items, vats, provider, external_id, error, created_at, updated_at)
                values (:id, :order, :payment, :refund, :source, :type, :method, :purpose, 'failed', :total, :currency,
                        '[]', '{}', :provider, :id, cast(:error as jsonb), :now, :now)
                on conflict (source) do nothing
                """)
                .param("id", id).param("order", orderId).param("payment", paymentId).param("refund", refundId)
                .param("source", source).param("type", type.wire()).param("method", method.wire())
                .param("purpose", purpose.wire()).param("total", total).param("currency", currency)
                .param("provider", provider)
                .param("error", json.writeValueAsString(Map.of("text", why, "type", "moneytrail")))
                .param("now", Timestamp.from(now)).update();
    }

    /**
     * Claims up to {@code max} pending receipts that are due and not under a live lease (FOR UPDATE
     * SKIP LOCKED; the lease keeps another instance off them while this one calls the provider).
     */
    /** A claimed receipt and how many times it was asked about so far. */
    record Claimed(Receipt receipt, int polls) {
    }

    List<Claimed> claimDue(java.util.Set<String> providers, int max, long leaseMs, Instant now) {
        if (providers.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                update receipts set lease_until = :until
                where id in (select id from receipts
                             where status = 'pending' and next_attempt_at <= :now
                               and provider in (:providers)
                               and (lease_until is null or lease_until < :now)
                             order by next_attempt_at limit :max for update skip locked)
                returning id, polls
                """)
                .param("until", Timestamp.from(now.plusMillis(leaseMs))).param("now", Timestamp.from(now))
                .param("providers", List.copyOf(providers)).param("max", max).query((rs, row) -> new Claimed(reads.get(rs.getString("id")), rs.getInt("polls")))
                .list();
    }

    /** The provider took the document ({@code uuid}); it is asked about at {@code askAt}. */
    void accepted(String id, String uuid, Instant askAt, Instant now) {
        jdbc.sql("""
                update receipts set external_uuid = :uuid, sent_at = coalesce(sent_at, :now), attempts = attempts + 1,
                                    next_attempt_at = :ask, lease_until = null, error = null, updated_at = :now
                where id = :id and status = 'pending'
                """)
                .param("uuid", uuid).param("ask", Timestamp.from(askAt)).param("now", Timestamp.from(now))
                .param("id", id).update();
    }

    /** A send or a question ended without an answer: again at {@code nextAt}, with what went wrong. */
    void unanswered(String id, boolean sending, String why, Instant nextAt, Instant now) {
        jdbc.sql("update receipts set attempts = attempts + :sent, polls = polls + :asked, next_attempt_at = :next,"
                        + " lease_until = null, error = cast(:error as jsonb), updated_at = :now"
                        + " where id = :id and status = 'pending'")
                .param("sent", sending ? 1 : 0).param("asked", sending ? 0 : 1).param("next", Timestamp.from(nextAt))
                .param("error", json.writeValueAsString(Map.of("text", why, "type", "moneytrail")))
                .param("now", Timestamp.from(now)).param("id", id).update();
    }

    /** The provider is still registering it ({@code wait}): asked again at {@code nextAt}. */
    void waiting(String id, Instant nextAt, Instant now) {
        jdbc.sql("update receipts set polls = polls + 1, next_attempt_at = :next, lease_until = null, updated_at = :now"
                        + " where id = :id and status = 'pending'")
                .param("next", Timestamp.from(nextAt)).param("now", Timestamp.from(now)).param("id", id).update();
    }

    void done(String id, String uuid, Map<String, Object> fiscal, Instant now) {
        jdbc.sql("""
                update receipts set status = 'done', external_uuid = coalesce(:uuid, external_uuid),
                                    fiscal = cast(:fiscal as jsonb), error = null, done_at = :now,
                                    next_attempt_at = null, lease_until = null, updated_at = :now
                where id = :id and status = 'pending'
                """)
                .param("uuid", uuid).param("fiscal", json.writeValueAsString(fiscal)).param("now", Timestamp.from(now))
                .param("id", id).update();
    }

    void failed(String id, String uuid, ReceiptError error, Instant now) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", error.code());
        e.put("text", error.text());
        e.put("type", error.type());
        jdbc.sql("""
                update receipts set status = 'failed', external_uuid = coalesce(:uuid, external_uuid),
                                    error = cast(:error as jsonb), next_attempt_at = null, lease_until = null,
                                    updated_at = :now
                where id = :id and status = 'pending'
                """)
                .param("uuid", uuid).param("error", json.writeValueAsString(e)).param("now", Timestamp.from(now))
                .param("id", id).update();
    }

    /**
     * A failed receipt goes out again, due now: as a new document (a new {@code external_id}, the old
     * one kept in its data) when the provider refused it, or asked about again when it was taken but
     * never answered. True when it was failed.
     */
    boolean retry(Receipt receipt, boolean askAgain, Instant now) {
        Map<String, Object> data = new LinkedHashMap<>(receipt.data());
        String externalId = receipt.externalId();
        if (!askAgain) {
            @SuppressWarnings("unchecked")
            List<Object> earlier = data.get("earlier_external_ids") instanceof List<?> list
                    ? new java.util.ArrayList<>((List<Object>) list) : new java.util.ArrayList<>();
            earlier.add(Map.of("external_id", receipt.externalId(), "uuid", String.valueOf(receipt.externalUuid()),
                    "error", receipt.error() == null ? "" : String.valueOf(receipt.error().text())));
            data.put("earlier_external_ids", earlier);
            externalId = receipt.id() + "-" + (earlier.size() + 1);
        }
        return jdbc.sql("""
                update receipts set status = 'pending', external_id = :external,
                                    external_uuid = case when :ask then external_uuid end,
                                    error = null, attempts = 0, polls = 0, next_attempt_at = :now, lease_until = null,
                                    data = cast(:data as jsonb), updated_at = :now
                where id = :id and status = 'failed'
                """)
                .param("external", externalId).param("ask", askAgain).param("data", json.writeValueAsString(data))
                .param("now", Timestamp.from(now)).param("id", receipt.id()).update() == 1;
    }

    /** Notes on a failed receipt the correction that settles it. */
    void settledBy(String id, String correctionId, Instant now) {
        jdbc.sql("update receipts set data = data || jsonb_build_object('settled_by', cast(:by as text)),"
                        + " updated_at = :now where id = :id")
                .param("by", correctionId).param("now", Timestamp.from(now)).param("id", id).update();
    }

    /** The order's first advance receipt: where it went and for which payment. */
    record Advance(String provider, String paymentId) {
    }

    Advance advance(String orderId) {
        return jdbc.sql("""
                select provider, payment_id from receipts where order_id = :order and purpose = 'prepayment'
                order by created_at, id limit 1
                """).param("order", orderId)
                .query((rs, row) -> new Advance(rs.getString("provider"), rs.getString("payment_id"))).optional()
                .orElse(null);
    }

    /** Whether the order has a receipt of this purpose (in any status). */
    boolean has(String orderId, ReceiptPurpose purpose) {
        return jdbc.sql("select exists (select 1 from receipts where order_id = :order and purpose = :purpose)")
                .param("order", orderId).param("purpose", purpose.wire()).query(Boolean.class).single();
    }

    private static Map<String, Object> item(ReceiptItem i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", i.name());
        m.put("sku", i.sku());
        m.put("price", i.price());
        m.put("quantity", i.quantity());
        m.put("sum", i.sum());
        m.put("vat", i.vat());
        m.put("vat_sum", i.vatSum());
        m.put("payment_object", i.paymentObject());
        m.put("measure", i.measure());
        return m;
    }
}
