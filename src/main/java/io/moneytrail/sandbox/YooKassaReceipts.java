package io.moneytrail.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The YooKassa dialect's 54-FZ receipts ({@code sbx_yookassa_receipts}). A receipt sent inside a
 * payment or refund, or on its own, is {@code pending} until what it is for is done (its payment
 * {@code succeeded}, its refund exists) and the "cash register" had {@link #PROCESSING}; then it
 * succeeds with fiscal attributes, or is {@code canceled} when it travelled inside a payment, capture or
 * refund request and its customer's e-mail starts with {@value #CANCEL_TRIGGER} (the sandbox's test
 * trigger, like its test cards; the same receipt sent again on its own registers). A receipt whose payment
 * was canceled is canceled. Receipts settle when read, so no background work is needed.
 */
@Component
@ConditionalOnSandbox
class YooKassaReceipts {

    /** The test trigger: a customer e-mail starting with this makes the receipt's registration fail. */
    static final String CANCEL_TRIGGER = "receipt-canceled";
    /** How long the "cash register" takes to register a receipt once it may. */
    static final Duration PROCESSING = Duration.ofMillis(300);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SandboxStore store;
    private final SandboxService service;

    YooKassaReceipts(SandboxStore store, SandboxService service) {
        this.store = store;
        this.service = service;
    }

    /** A receipt as stored. */
    record Row(String id, String type, String paymentId, String refundId, String status, String receipt,
               String outcome, String fiscalDocumentNumber, String fiscalStorageNumber, String fiscalAttribute,
               String fiscalProviderId, Instant registeredAt, Instant createdAt) {
    }

    /** Stores a checked receipt that travelled inside a payment, capture or refund request, pending; answers its id. */
    String insert(String type, String paymentId, String refundId, YooKassaReceiptRequests.Checked checked,
                  Instant now) {
        return insert(type, paymentId, refundId, checked, now, true);
    }

    /**
     * Stores a checked receipt, pending; answers its id. The test trigger cancels only a receipt that
     * travelled inside a request, so a receipt sent again on its own (a retry) registers.
     */
    String insert(String type, String paymentId, String refundId, YooKassaReceiptRequests.Checked checked,
                  Instant now, boolean inRequest) {
        String id = YooKassaIds.receipt(now);
        String outcome = inRequest && checked.email() != null && checked.email().startsWith(CANCEL_TRIGGER)
                ? "canceled" : "succeeded";
        store.jdbc().sql("""
                        insert into sbx_yookassa_receipts (id, type, payment_id, refund_id, status, receipt, outcome,
                                                           created_at)
                        values (:id, :type, :payment, :refund, 'pending', :receipt, :outcome, :now)""")
                .param("id", id).param("type", type).param("payment", paymentId).param("refund", refundId)
                .param("receipt", SandboxJson.string(checked.stored())).param("outcome", outcome)
                .param("now", Timestamp.from(now)).update();
        return id;
    }

    /**
     * A partial capture's receipt: the payment's receipt not yet registered (a two-stage payment's registers
     * at capture) gives way to it.
     */
    void replacePaymentReceipt(String paymentId, YooKassaReceiptRequests.Checked checked, Instant now) {
        store.jdbc().sql("""
                        delete from sbx_yookassa_receipts
                        where payment_id = :payment and type = 'payment' and refund_id is null and status = 'pending'
                          and receipt not like '%"prepayment"%'""")
                .param("payment", paymentId).update();
        insert("payment", paymentId, null, checked, now);
    }

    Optional<Row> find(String id) {
        return store.jdbc().sql("select * from sbx_yookassa_receipts where id = :id").param("id", id)
                .query(YooKassaReceipts::row).optional().map(this::settle);
    }

    /** A payment's receipts (or, with {@code refundId}, a refund's), oldest first, settled as of now. */
    List<Row> of(String paymentId, String refundId) {
        String where = refundId != null ? "refund_id = :key" : "payment_id = :key";
        return store.jdbc().sql("select * from sbx_yookassa_receipts where " + where + " order by created_at, id")
                .param("key", refundId != null ? refundId : paymentId).query(YooKassaReceipts::row).list().stream()
                .map(this::settle).toList();
    }

    /** The receipt that went inside the payment request, settled as of now; empty when none did. */
    Optional<Row> ofPaymentRequest(String paymentId) {
        return of(paymentId, null).stream().filter(r -> "payment".equals(r.type())
                && !r.receipt().contains("\"prepayment\"")).findFirst();
    }

    private Row settle(Row row) {
        if (!"pending".equals(row.status())) {
            return row;
        }
        Instant now = Instant.now();
        SandboxPayment payment = service.find(row.paymentId()).orElse(null);
        String to = null;
        if (payment == null || SandboxPayment.CANCELED.equals(payment.status()) && row.refundId() == null) {
            to = "canceled";
        } else if (row.createdAt().plus(PROCESSING).isBefore(now)
                && (row.refundId() != null || SandboxPayment.SUCCEEDED.equals(payment.status()))) {
            to = row.outcome();
        }
        if (to == null) {
            return row;
        }
        if ("succeeded".equals(to)) {
            store.jdbc().sql("""
                            update sbx_yookassa_receipts set status = 'succeeded', fiscal_document_number = :number,
                                   fiscal_storage_number = :storage, fiscal_attribute = :sign, fiscal_provider_id = :provider,
                                   registered_at = :now
                            where id = :id and status = 'pending'""")
                    .param("number", String.valueOf(1 + RANDOM.nextInt(99_999)))
                    .param("storage", "99990789" + String.format("%08d", RANDOM.nextInt(100_000_000)))
                    .param("sign", String.valueOf(1_000_000_000L + (RANDOM.nextLong() & Long.MAX_VALUE) % 3_000_000_000L))
                    .param("provider", UUID.randomUUID().toString()).param("now", Timestamp.from(now))
                    .param("id", row.id()).update();
        } else {
            store.jdbc().sql("update sbx_yookassa_receipts set status = 'canceled' where id = :id and status = 'pending'")
                    .param("id", row.id()).update();
        }
        return store.jdbc().sql("select * from sbx_yookassa_receipts where id = :id").param("id", row.id())
                .query(YooKassaReceipts::row).single();
    }

    /** The receipt as YooKassa's API object. */
    static Map<String, Object> object(Row row) {
        JsonNode receipt = SandboxJson.body(row.receipt().getBytes(StandardCharsets.UTF_8)).node();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", row.id());
        json.put("type", row.type());
        json.put("payment_id", row.paymentId());
        if (row.refundId() != null) {
            json.put("refund_id", row.refundId());
        }
        json.put("status", row.status());
        if ("succeeded".equals(row.status())) {
            json.put("fiscal_document_number", row.fiscalDocumentNumber());
            json.put("fiscal_storage_number", row.fiscalStorageNumber());
            json.put("fiscal_attribute", row.fiscalAttribute());
            json.put("registered_at", YooKassaObjects.time(row.registeredAt()));
            json.put("fiscal_provider_id", row.fiscalProviderId());
        }
        json.put("items", receipt.get("items"));
        if (receipt.has("settlements")) {
            json.put("settlements", receipt.get("settlements"));
        }
        if (receipt.has("tax_system_code")) {
            json.put("tax_system_code", receipt.get("tax_system_code"));
        }
        return json;
    }

    private static Row row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Timestamp registered = rs.getTimestamp("registered_at");
        return new Row(rs.getString("id"), rs.getString("type"), rs.getString("payment_id"), rs.getString("refund_id"),
                rs.getString("status"), rs.getString("receipt"), rs.getString("outcome"),
                rs.getString("fiscal_document_number"), rs.getString("fiscal_storage_number"),
                rs.getString("fiscal_attribute"), rs.getString("fiscal_provider_id"),
                registered == null ? null : registered.toInstant(), rs.getTimestamp("created_at").toInstant());
    }
}
