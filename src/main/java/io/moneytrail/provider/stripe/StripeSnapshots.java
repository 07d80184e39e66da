package io.moneytrail.provider.stripe;

import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeError;
import com.stripe.model.checkout.Session;
import io.moneytrail.money.Money;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.ProviderPayment;
import io.moneytrail.payment.RefundState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Stripe's objects as one {@link ProviderPayment}: the money state comes from the PaymentIntent
 * and its charge, never from the Checkout Session's word. A status the tables in
 * {@link StripeStatuses} do not know makes the whole view unknown ({@link NotUnderstood}).
 */
final class StripeSnapshots {

    /** Our ids in Stripe's {@code metadata}. */
    static final String PAYMENT_ID = "payment_id";
    static final String ORDER_ID = "order_id";
    static final String REFUND_ID = "refund_id";

    private StripeSnapshots() {
    }

    /** A status or combination the tables do not cover: the caller reports an unknown outcome. */
    static final class NotUnderstood extends Exception {
        NotUnderstood(String message) {
            super(message, null, false, false);
        }
    }

    /** A Checkout Session whose PaymentIntent does not exist yet. */
    static ProviderPayment ofSession(Session session) throws NotUnderstood {
        PaymentState state = StripeStatuses.SESSION_WITHOUT_INTENT.get(String.valueOf(session.getStatus()));
        if (state == null) {
            throw new NotUnderstood("Checkout Session " + session.getId() + " is " + session.getStatus()
                    + " with no PaymentIntent");
        }
        String currency = upper(session.getCurrency());
        Money amount = Money.of(StripeAmounts.fromStripe(session.getAmountTotal(), currency), currency);
        return new ProviderPayment(session.getId(), metadata(session.getMetadata(), PAYMENT_ID), state, amount, 0, 0,
                List.of(), List.of(), "open".equals(session.getStatus()) ? session.getUrl() : null, null, null,
                List.of());
    }

    /**
     * A PaymentIntent with its latest charge (or null), refunds and disputes; {@code session} (or
     * null) gives the hosted page's address while it is open.
     */
    static ProviderPayment ofIntent(PaymentIntent intent, Charge charge, List<Refund> refunds, List<Dispute> disputes,
                                    Session session) throws NotUnderstood {
        String currency = upper(intent.getCurrency());
        Money amount = Money.of(StripeAmounts.fromStripe(intent.getAmount(), currency), currency);
        boolean authorized = charge != null && authorized(charge);
        long authorizedMinor = authorized ? StripeAmounts.fromStripe(charge.getAmount(), currency) : 0;
        long capturedMinor = authorized && Boolean.TRUE.equals(charge.getCaptured())
                ? StripeAmounts.fromStripe(value(charge.getAmountCaptured()), currency) : 0;
        PaymentState state = state(intent, authorized, capturedMinor);
        List<ProviderPayment.Capture> captures = capturedMinor > 0
                ? List.of(new ProviderPayment.Capture(charge.getId(), capturedMinor, null)) : List.of();
        // Stripe captures once: whatever a capture or a cancel left uncaptured is released
        boolean settled = state == PaymentState.CAPTURED || state == PaymentState.VOIDED
                || state == PaymentState.EXPIRED;
        long releasedMinor = authorized && settled ? authorizedMinor - capturedMinor : 0;
        StripeError error = intent.getLastPaymentError();
        String failureCode = null;
        String failureMessage = null;
        if (error != null) {
            failureCode = error.getDeclineCode() != null ? error.getDeclineCode() : error.getCode();
            failureMessage = error.getMessage();
        }
        String redirectUrl = session != null && "open".equals(session.getStatus()) ? session.getUrl() : null;
        String reference = metadata(intent.getMetadata(), PAYMENT_ID);
        if (reference == null && session != null) {
            reference = metadata(session.getMetadata(), PAYMENT_ID);
        }
        List<ProviderPayment.Refund> ourRefunds = new ArrayList<>();
        for (Refund refund : refunds) {
            ourRefunds.add(refund(refund));
        }
        List<ProviderPayment.Dispute> ourDisputes = new ArrayList<>();
        for (Dispute dispute : disputes) {
            ourDisputes.add(dispute(dispute));
        }
        return new ProviderPayment(intent.getId(), reference, state, amount, authorizedMinor, releasedMinor, captures,
                ourRefunds, redirectUrl, failureCode, failureMessage, ourDisputes);
    }

    /** The PaymentIntent's status, refined by its charge and cancellation reason (see {@link StripeStatuses}). */
    static PaymentState state(PaymentIntent intent, boolean authorized, long capturedMinor) throws NotUnderstood {
        StripeStatuses.IntentMeaning meaning = StripeStatuses.intent(intent.getStatus())
                .orElseThrow(() -> new NotUnderstood("PaymentIntent " + intent.getId() + " has status "
                        + intent.getStatus()));
        switch (meaning) {
            case AWAITING_CUSTOMER:
            case AWAITING_ACTION:
                return PaymentState.REQUIRES_ACTION;
            case PROCESSING:
                return PaymentState.PROCESSING;
            case AUTHORIZED:
                if (!authorized) {
                    throw new NotUnderstood("PaymentIntent " + intent.getId() + " is requires_capture without"
                            + " a succeeded charge");
                }
                return capturedMinor > 0 ? PaymentState.PARTIALLY_CAPTURED : PaymentState.AUTHORIZED;
            case SUCCEEDED:
                return PaymentState.CAPTURED;
            case CANCELED:
                return canceled(intent, authorized, capturedMinor);
            default:
                throw new IllegalStateException("unhandled meaning " + meaning);
        }
    }

    private static PaymentState canceled(PaymentIntent intent, boolean authorized, long capturedMinor)
            throws NotUnderstood {
        String reason = intent.getCancellationReason();
        if (reason != null && !StripeStatuses.CANCELLATION_REASONS.containsKey(reason)) {
            throw new NotUnderstood("PaymentIntent " + intent.getId() + " was canceled for " + reason);
        }
        if (authorized) {
            if (capturedMinor > 0) {
                return PaymentState.CAPTURED;
            }
            return "automatic".equals(reason) ? PaymentState.EXPIRED : PaymentState.VOIDED;
        }
        if (intent.getLastPaymentError() != null) {
            return PaymentState.FAILED;
        }
        return reason == null ? PaymentState.VOIDED : StripeStatuses.CANCELLATION_REASONS.get(reason);
    }

    static ProviderPayment.Refund refund(Refund refund) throws NotUnderstood {
        RefundState state = StripeStatuses.refund(refund.getStatus())
                .orElseThrow(() -> new NotUnderstood("refund " + refund.getId() + " has status " + refund.getStatus()));
        return new ProviderPayment.Refund(refund.getId(), metadata(refund.getMetadata(), REFUND_ID),
                StripeAmounts.fromStripe(refund.getAmount(), refund.getCurrency()), state, instant(refund.getCreated()));
    }

    static ProviderPayment.Dispute dispute(Dispute dispute) throws NotUnderstood {
        ProviderPayment.DisputeState state = StripeStatuses.dispute(dispute.getStatus())
                .orElseThrow(() -> new NotUnderstood("dispute " + dispute.getId() + " has status "
                        + dispute.getStatus()));
        return new ProviderPayment.Dispute(dispute.getId(),
                StripeAmounts.fromStripe(dispute.getAmount(), dispute.getCurrency()), state,
                instant(dispute.getCreated()));
    }

    private static boolean authorized(Charge charge) throws NotUnderstood {
        Boolean authorized = StripeStatuses.CHARGE_AUTHORIZED.get(String.valueOf(charge.getStatus()));
        if (authorized == null) {
            throw new NotUnderstood("charge " + charge.getId() + " has status " + charge.getStatus());
        }
        return authorized;
    }

    static String metadata(Map<String, String> metadata, String key) {
        return metadata == null ? null : metadata.get(key);
    }

    private static String upper(String currency) {
        return currency == null ? null : currency.toUpperCase(Locale.ROOT);
    }

    private static long value(Long amount) {
        return amount == null ? 0 : amount;
    }

    private static Instant instant(Long epochSeconds) {
        return epochSeconds == null ? null : Instant.ofEpochSecond(epochSeconds);
    }

    static Optional<String> intentId(Session session) {
        return Optional.ofNullable(session.getPaymentIntent());
    }
}
