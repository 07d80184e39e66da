package io.moneytrail.provider.stripe;

import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.ProviderPayment;
import io.moneytrail.payment.RefundState;
import java.util.Map;
import java.util.Optional;

/**
 * Every documented Stripe status, and what it means for us: the one place where Stripe's words
 * become our states. A status missing from these tables is not guessed at: the caller turns it
 * into an unknown outcome for the resolver. Statuses are those of stripe-java 33.3.0
 * (API version {@code 2026-07-29.dahlia}).
 */
final class StripeStatuses {

    private StripeStatuses() {
    }

    /** A PaymentIntent's status, before cancellation details and captured amounts refine it. */
    enum IntentMeaning {
        /** the customer is (still) on Stripe's page: no payment method yet, or one was declined */
        AWAITING_CUSTOMER,
        /** 3-D Secure or another customer action is pending */
        AWAITING_ACTION,
        /** the payment method is being processed; the outcome is not known yet */
        PROCESSING,
        /** authorised; {@code amount_capturable} waits for a capture */
        AUTHORIZED,
        /** captured (all of it, or a part with the rest released) */
        SUCCEEDED,
        /** canceled: see {@link #CANCELLATION_REASONS} */
        CANCELED
    }

    /** {@code payment_intent.status}. */
    static final Map<String, IntentMeaning> PAYMENT_INTENT = Map.of(
            "requires_payment_method", IntentMeaning.AWAITING_CUSTOMER,
            "requires_confirmation", IntentMeaning.AWAITING_CUSTOMER,
            "requires_action", IntentMeaning.AWAITING_ACTION,
            "processing", IntentMeaning.PROCESSING,
            "requires_capture", IntentMeaning.AUTHORIZED,
            "succeeded", IntentMeaning.SUCCEEDED,
            "canceled", IntentMeaning.CANCELED);

    /**
     * {@code payment_intent.cancellation_reason} of a PaymentIntent canceled before anything was
     * authorised (after an authorisation, a cancel is a void, or an expiry when Stripe released
     * the hold itself: {@code automatic}). {@code null} (canceled through the API with no reason)
     * is a void. A canceled PaymentIntent whose last attempt was declined is a failure, whatever
     * the reason: the customer tried, was refused and left.
     */
    static final Map<String, PaymentState> CANCELLATION_REASONS = Map.of(
            "abandoned", PaymentState.EXPIRED,
            "expired", PaymentState.EXPIRED,
            "automatic", PaymentState.EXPIRED,
            "requested_by_customer", PaymentState.VOIDED,
            "duplicate", PaymentState.VOIDED,
            "fraudulent", PaymentState.VOIDED,
            "failed_invoice", PaymentState.VOIDED,
            "void_invoice", PaymentState.VOIDED);

    /** A Checkout Session's {@code status} while it has no PaymentIntent yet. */
    static final Map<String, PaymentState> SESSION_WITHOUT_INTENT = Map.of(
            "open", PaymentState.REQUIRES_ACTION,
            "expired", PaymentState.EXPIRED);
    // "complete" always has a PaymentIntent in mode=payment: without one it is not understood

    /** {@code checkout.session.payment_status}: informative only; money comes from the PaymentIntent. */
    static final Map<String, String> SESSION_PAYMENT_STATUS = Map.of(
            "paid", "the PaymentIntent succeeded",
            "unpaid", "nothing captured yet (also a manual-capture session that is authorised)",
            "no_payment_required", "never for the sessions we create (mode=payment, amount > 0)");

    /** {@code refund.status}. */
    static final Map<String, RefundState> REFUND = Map.of(
            "pending", RefundState.PENDING,
            "requires_action", RefundState.PENDING,
            "succeeded", RefundState.SUCCEEDED,
            "failed", RefundState.FAILED,
            "canceled", RefundState.FAILED);

    /** {@code dispute.status}. */
    static final Map<String, ProviderPayment.DisputeState> DISPUTE = Map.of(
            "warning_needs_response", ProviderPayment.DisputeState.INQUIRY,
            "warning_under_review", ProviderPayment.DisputeState.INQUIRY,
            "warning_closed", ProviderPayment.DisputeState.INQUIRY,
            "needs_response", ProviderPayment.DisputeState.OPEN,
            "under_review", ProviderPayment.DisputeState.OPEN,
            "won", ProviderPayment.DisputeState.WON,
            "lost", ProviderPayment.DisputeState.LOST);
    // "prevented" (a dispute a prevention program resolved before it was filed) is not mapped: whether
    // money moved depends on the program, so it goes to the resolver and an operator

    /** {@code charge.status}: whether the attempt behind the PaymentIntent was authorised. */
    static final Map<String, Boolean> CHARGE_AUTHORIZED = Map.of(
            "succeeded", Boolean.TRUE,
            "pending", Boolean.FALSE,
            "failed", Boolean.FALSE);

    static Optional<IntentMeaning> intent(String status) {
        return Optional.ofNullable(status == null ? null : PAYMENT_INTENT.get(status));
    }

    static Optional<RefundState> refund(String status) {
        return Optional.ofNullable(status == null ? null : REFUND.get(status));
    }

    static Optional<ProviderPayment.DisputeState> dispute(String status) {
        return Optional.ofNullable(status == null ? null : DISPUTE.get(status));
    }
}
