package io.moneytrail.reconciliation;

/**
 * What a provider report row is, after normalisation. Stripe's {@code reporting_category}
 * values map one to one; YooKassa registries have payments and refunds; the sandbox report
 * has all of them.
 */
public enum ProviderRowKind {
    /** Money taken from a customer (a capture). */
    CHARGE,
    /** Part of an authorised amount released at capture (Stripe {@code partial_capture_reversal}). */
    PARTIAL_CAPTURE_REVERSAL,
    /** Money returned to a customer. */
    REFUND,
    /** A refund that failed: its money came back to the balance. */
    REFUND_FAILURE,
    /** A chargeback: money taken back by the customer's bank. */
    DISPUTE,
    /** A chargeback won: the money came back. */
    DISPUTE_REVERSAL,
    /** A fee not tied to one charge (Stripe {@code fee}). */
    FEE,
    /** Money sent from the provider balance to the store's bank account. */
    PAYOUT,
    /** A payout that was returned to the balance. */
    PAYOUT_REVERSAL,
    /** Anything else the provider reports (adjustments, transfers, …): counted, not matched. */
    OTHER;

    public String wireName() {
        return name().toLowerCase();
    }
}
