package io.moneytrail.fiscal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A fiscal receipt as Moneytrail keeps it: what it is for ({@code purpose}, the order, the payment
 * or refund), what it says ({@code type}, {@code paymentMethod}, {@code total} in minor units, its
 * items and the VAT per ATOL rate code in {@code vats}), and where it is: {@code status}, the fiscal
 * provider's document id ({@code externalUuid}), the fiscal attributes once {@code done}, the
 * provider's {@code error} once {@code failed}. {@code data} says how it was built (for instance
 * {@code allocation: proportional} when a refund named no lines). {@code correctsId}: the receipt a
 * correction corrects.
 */
public record Receipt(String id, String orderId, String paymentId, String refundId, ReceiptType type,
                      ReceiptPaymentMethod paymentMethod, ReceiptPurpose purpose, ReceiptStatus status, long total,
                      String currency, List<ReceiptItem> items, Map<String, Long> vats, String provider,
                      String externalId, String externalUuid, FiscalAttributes fiscal, ReceiptError error,
                      Map<String, Object> data, String correctsId, int attempts, Instant createdAt,
                      Instant updatedAt) {

    /** The QR string of a registered receipt; null before. */
    public String qr() {
        return fiscal == null ? null : fiscal.qr(total, type);
    }
}
