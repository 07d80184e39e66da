package io.moneytrail.payment;

import io.moneytrail.money.Money;
import java.time.Instant;
import java.util.List;

/**
 * A provider's full view of one payment, already mapped to our states by the adapter.
 * Syncing applies this snapshot, so a missed, duplicated or reordered webhook cannot leave
 * us with a different story from the provider's.
 *
 * @param merchantReference our payment id, as we gave it to the provider
 * @param amountAuthorized  money the provider authorised (0 if never authorised)
 * @param amountReleased    authorised money released by a void or expiry
 */
public record ProviderPayment(String providerPaymentId, String merchantReference, PaymentState state, Money amount,
                              long amountAuthorized, long amountReleased, List<Capture> captures,
                              List<Refund> refunds, String redirectUrl, String failureCode, String failureMessage) {

    public record Capture(String id, long amount, Instant at) {
    }

    /** @param merchantReference our refund id, or null for a refund made outside Moneytrail */
    public record Refund(String id, String merchantReference, long amount, RefundState state, Instant at) {
    }
}
