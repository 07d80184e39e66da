package io.moneytrail.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the Stripe dialect keeps with a sandbox payment ({@code dialect_data}) beyond the
 * sandbox's own columns: the Checkout Session, and the parts of the PaymentIntent the sandbox
 * does not model (when it came to exist, its last error, why it was canceled). The sandbox
 * payment's id is the PaymentIntent's ({@code pi_…}); the session ({@code cs_test_…}) and the
 * charge ({@code ch_…}) share its suffix, so each finds the others without a lookup table.
 *
 * @param sessionStatus      {@code open}, {@code complete} or {@code expired}
 * @param intentCreated      when the customer first confirmed (the PaymentIntent exists from then), or null
 * @param lastPaymentError   the last declined attempt ({@code type, code, decline_code, message}), or null
 * @param cancellationReason why the PaymentIntent was canceled ({@code abandoned} when its session expired,
 *                           null when canceled through the API without a reason)
 */
record StripeData(String sessionStatus, String successUrl, String cancelUrl, String clientReferenceId,
                  String productName, Map<String, String> sessionMetadata, Map<String, String> intentMetadata,
                  long created, long expiresAt, Long intentCreated, Map<String, String> lastPaymentError,
                  String cancellationReason, Long canceledAt, Long sessionCompletedAt) {

    static final String OPEN = "open";
    static final String COMPLETE = "complete";
    static final String EXPIRED = "expired";

    static final String PAYMENT_INTENT_PREFIX = "pi_";
    static final String SESSION_PREFIX = "cs_test_";
    static final String CHARGE_PREFIX = "ch_";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    StripeData {
        sessionMetadata = sessionMetadata == null ? Map.of() : new LinkedHashMap<>(sessionMetadata);
        intentMetadata = intentMetadata == null ? Map.of() : new LinkedHashMap<>(intentMetadata);
    }

    static StripeData parse(String json) {
        return MAPPER.readValue(json, StripeData.class);
    }

    String json() {
        return MAPPER.writeValueAsString(this);
    }

    boolean intentExists() {
        return intentCreated != null;
    }

    StripeData confirmed(long now) {
        return new StripeData(sessionStatus, successUrl, cancelUrl, clientReferenceId, productName, sessionMetadata,
                intentMetadata, created, expiresAt, intentCreated == null ? now : intentCreated, lastPaymentError,
                cancellationReason, canceledAt, sessionCompletedAt);
    }

    StripeData declined(long now, Map<String, String> error) {
        StripeData confirmed = confirmed(now);
        return new StripeData(sessionStatus, successUrl, cancelUrl, clientReferenceId, productName, sessionMetadata,
                intentMetadata, created, expiresAt, confirmed.intentCreated, error, cancellationReason, canceledAt,
                sessionCompletedAt);
    }

    StripeData completed(long now) {
        StripeData confirmed = confirmed(now);
        return new StripeData(COMPLETE, successUrl, cancelUrl, clientReferenceId, productName, sessionMetadata,
                intentMetadata, created, expiresAt, confirmed.intentCreated, lastPaymentError, cancellationReason,
                canceledAt, now);
    }

    StripeData expired(long now) {
        // a PaymentIntent that a declined attempt created is canceled with its session
        boolean intent = intentCreated != null;
        return new StripeData(EXPIRED, successUrl, cancelUrl, clientReferenceId, productName, sessionMetadata,
                intentMetadata, created, expiresAt, intentCreated, lastPaymentError,
                intent ? "abandoned" : cancellationReason, intent ? Long.valueOf(now) : canceledAt,
                sessionCompletedAt);
    }

    StripeData canceled(long now, String reason) {
        return new StripeData(sessionStatus, successUrl, cancelUrl, clientReferenceId, productName, sessionMetadata,
                intentMetadata, created, expiresAt, intentCreated, lastPaymentError, reason, now, sessionCompletedAt);
    }

    static String suffix(String paymentIntentId) {
        return paymentIntentId.substring(PAYMENT_INTENT_PREFIX.length());
    }

    static String sessionId(String paymentIntentId) {
        return SESSION_PREFIX + suffix(paymentIntentId);
    }

    static String chargeId(String paymentIntentId) {
        return CHARGE_PREFIX + suffix(paymentIntentId);
    }

    /** The PaymentIntent id behind a session or charge id, or null if {@code id} is neither. */
    static String intentOf(String id) {
        if (id.startsWith(SESSION_PREFIX)) {
            return PAYMENT_INTENT_PREFIX + id.substring(SESSION_PREFIX.length());
        }
        if (id.startsWith(CHARGE_PREFIX)) {
            return PAYMENT_INTENT_PREFIX + id.substring(CHARGE_PREFIX.length());
        }
        return null;
    }
}
