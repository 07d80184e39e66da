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
 * @param disputes          the customer's disputes (chargebacks) of this payment, oldest first
 */
public record ProviderPayment(String providerPaymentId, String merchantReference, PaymentState state, Money amount,
                              long amountAuthorized, long amountReleased, List<Capture> captures,
                              List<Refund> refunds, String redirectUrl, String failureCode, String failureMessage,
                              List<Dispute> disputes) {

    public ProviderPayment {
        captures = captures == null ? List.of() : List.copyOf(captures);
        refunds = refunds == null ? List.of() : List.copyOf(refunds);
        disputes = disputes == null ? List.of() : List.copyOf(disputes);
    }

    public record Capture(String id, long amount, Instant at) {
    }

    /** @param merchantReference our refund id, or null for a refund made outside Moneytrail */
    public record Refund(String id, String merchantReference, long amount, RefundState state, Instant at) {
    }

    /**
     * A dispute the customer opened with their bank.
     *
     * @param amount what the provider took back (or would take, for an inquiry), in minor units
     * @param at     when the provider opened it
     */
    public record Dispute(String id, long amount, DisputeState state, Instant at) {
    }

    /** Where a dispute stands, as far as money goes. */
    public enum DisputeState {
        /** An inquiry or warning: no money has moved yet. */
        INQUIRY,
        /** The provider took the amount back while the dispute runs. */
        OPEN,
        /** Decided for the store: the amount came back. */
        WON,
        /** Decided for the customer: the amount stays with them. */
        LOST
    }
}
