package io.moneytrail.payment;

import java.time.Instant;

/**
 * A new payment attempt was committed as an intent (before its provider is called). Published
 * inside that transaction, so what a listener writes commits with the intent or not at all.
 */
public record PaymentStarted(String paymentId, String orderId, String provider, Instant at) {
}
