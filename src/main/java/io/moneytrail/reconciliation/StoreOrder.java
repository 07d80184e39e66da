package io.moneytrail.reconciliation;

import java.time.Instant;

/**
 * One row of the store's order export, normalised: amounts in minor units of
 * {@code currency}, {@code createdAt} in UTC. {@code paymentReference} is the provider's
 * payment id the store recorded (a Stripe PaymentIntent, a YooKassa payment id), or null.
 */
public record StoreOrder(String orderId, Instant createdAt, StoreOrderStatus status, String currency,
                         long amountTotalMinor, long amountPaidMinor, long amountRefundedMinor,
                         String paymentReference, long line) {
}
