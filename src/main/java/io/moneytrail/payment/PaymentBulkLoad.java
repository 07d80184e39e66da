package io.moneytrail.payment;

import io.moneytrail.money.Money;
import java.time.Instant;
import java.util.List;

/**
 * Bulk loading of settled payments for benchmarks that need a large "our side" quickly (not for
 * the service's own paths, which move money through the provider and the state machines): a
 * payment in its final state with the money transactions that got it there. The orders must
 * exist. One statement per table per call (the orders' rows of {@link OrderPaymentStatuses} too,
 * from what the view derives); no ledger entries (the caller posts those through
 * the ledger's bulk journal, with the transaction ids given here as their sources).
 */
public interface PaymentBulkLoad {

    /** The most payments one call loads. */
    int PAYMENTS_MAX = 10_000;

    /**
     * A payment to load: automatic capture, {@code amount} requested; a capture transaction of
     * {@code captured} (none if zero) at {@code capturedAt}, and a refund transaction of
     * {@code refunded} (none if zero) at {@code refundedAt}, with the ids given; the capture's
     * provider reference is the provider payment id, the refund's {@code refundReference}.
     */
    record BulkPayment(String id, String orderId, String provider, String providerPaymentId,
                       PaymentState state, Money amount, Instant createdAt,
                       String captureId, long captured, Instant capturedAt,
                       String refundId, String refundReference, long refunded, Instant refundedAt) {
    }

    /** What one call inserted. */
    record Loaded(int payments, int transactions) {
    }

    /** Inserts the payments and their transactions; how many payments and how many transactions. */
    Loaded insert(List<BulkPayment> payments);
}
