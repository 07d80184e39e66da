package io.moneytrail.sandbox;

import java.time.Instant;

/**
 * One sandbox payment as stored. Immutable: every transition below returns the next state,
 * which the caller saves while holding the payment's row lock. Which transitions are allowed
 * from which status is the service's decision; these methods only do the arithmetic.
 *
 * @param amountAuthorized what the customer authorised (0 until the hosted page succeeds)
 * @param amountReleased   authorised money given back by a cancel, never to be captured
 * @param faults           this payment's own fault profile as JSON, or null for the global one
 * @param dialect          the provider protocol the payment was created through ({@link #SANDBOX} for the
 *                         sandbox's own API, else a {@link SandboxDialect}'s name)
 * @param dialectData      what that dialect keeps beyond the common fields, as JSON text, or null
 */
record SandboxPayment(String id, String merchantReference, long amount, String currency, String captureMethod,
                      String status, String cancellationReason, long amountAuthorized, long amountCaptured,
                      long amountReleased, long amountRefunded, String threeDSecure, String returnUrl, String faults,
                      Instant created, String dialect, String dialectData) {

    static final String SANDBOX = "sandbox";

    static final String PENDING = "pending";
    static final String WAITING_FOR_CAPTURE = "waiting_for_capture";
    static final String SUCCEEDED = "succeeded";
    static final String CANCELED = "canceled";

    static final String AUTOMATIC = "automatic";
    static final String MANUAL = "manual";

    static final String REASON_DECLINED = "declined";
    static final String REASON_3DS_FAILED = "3ds_failed";
    static final String REASON_VOIDED = "voided";

    static final String THREE_DS_PASSED = "passed";
    static final String THREE_DS_FAILED = "failed";

    static SandboxPayment create(String id, String merchantReference, long amount, String currency,
                                 String captureMethod, String returnUrl, Instant created, String dialect,
                                 String dialectData) {
        return new SandboxPayment(id, merchantReference, amount, currency, captureMethod, PENDING, null, 0, 0, 0, 0,
                null, returnUrl, null, created, dialect == null ? SANDBOX : dialect, dialectData);
    }

    /** The same payment with the dialect's own data replaced (saved by {@code savePayment}). */
    SandboxPayment withDialectData(String data) {
        return new SandboxPayment(id, merchantReference, amount, currency, captureMethod, status,
                cancellationReason, amountAuthorized, amountCaptured, amountReleased, amountRefunded, threeDSecure,
                returnUrl, faults, created, dialect, data);
    }

    long amountCapturable() {
        return amountAuthorized - amountCaptured - amountReleased;
    }

    long amountRefundable() {
        return amountCaptured - amountRefunded;
    }

    /**
     * The customer authorised the full amount. An automatic-capture payment is captured at
     * once (the caller records the capture); a manual one waits for the merchant.
     */
    SandboxPayment authorized(String threeDSecure) {
        if (AUTOMATIC.equals(captureMethod)) {
            return next(SUCCEEDED, null, amount, amount, 0, threeDSecure);
        }
        return next(WAITING_FOR_CAPTURE, null, amount, 0, 0, threeDSecure);
    }

    /** The customer's bank (or 3-D Secure) refused: nothing was authorised. */
    SandboxPayment refused(String reason, String threeDSecure) {
        return next(CANCELED, reason, 0, 0, 0, threeDSecure);
    }

    /** The merchant captured {@code captured} more; capturing everything completes the payment. */
    SandboxPayment captured(long captured) {
        long total = amountCaptured + captured;
        return next(total == amountAuthorized ? SUCCEEDED : WAITING_FOR_CAPTURE, null, amountAuthorized, total, 0,
                threeDSecure);
    }

    /**
     * The merchant cancelled. Before authorisation and before any capture this voids the
     * payment; after partial captures it completes it, releasing what was not captured.
     */
    SandboxPayment canceled() {
        if (PENDING.equals(status)) {
            return next(CANCELED, REASON_VOIDED, 0, 0, 0, threeDSecure);
        }
        long released = amountAuthorized - amountCaptured;
        if (amountCaptured == 0) {
            return next(CANCELED, REASON_VOIDED, amountAuthorized, 0, released, threeDSecure);
        }
        return next(SUCCEEDED, null, amountAuthorized, amountCaptured, released, threeDSecure);
    }

    SandboxPayment refunded(long refunded) {
        return new SandboxPayment(id, merchantReference, amount, currency, captureMethod, status,
                cancellationReason, amountAuthorized, amountCaptured, amountReleased, amountRefunded + refunded,
                threeDSecure, returnUrl, faults, created, dialect, dialectData);
    }

    private SandboxPayment next(String status, String cancellationReason, long amountAuthorized,
                                long amountCaptured, long amountReleased, String threeDSecure) {
        return new SandboxPayment(id, merchantReference, amount, currency, captureMethod, status,
                cancellationReason, amountAuthorized, amountCaptured, amountReleased, amountRefunded, threeDSecure,
                returnUrl, faults, created, dialect, dialectData);
    }

    /** A capture of part or all of the authorised amount. */
    record Capture(String id, String paymentId, long amount, Instant created) {
    }

    /** A refund; the sandbox's refunds succeed at once. */
    record Refund(String id, String paymentId, String merchantReference, long amount, String status,
                  Instant created) {

        static final String SUCCEEDED = "succeeded";
    }

    /** A webhook event and how its delivery went. */
    record Event(String id, String type, String paymentId, String payload, Instant created, Instant deliveredAt,
                 int attempts, Integer lastStatus, boolean dropped, String dialect) {
    }
}
