package io.moneytrail.reconciliation;

import java.time.Instant;

/**
 * One row of the store's order export, normalised: amounts in minor units of
 * {@code currency}, {@code createdAt} in UTC. {@code paymentReference} is the provider's
 * payment id the store recorded (a Stripe PaymentIntent, a YooKassa payment id), or null.
 * {@code amountChargedBackMinor} is what the order records as taken back in disputes
 * (chargebacks net of their reversals; 0 when the export does not say).
 */
public record StoreOrder(String orderId, Instant createdAt, StoreOrderStatus status, String currency,
                         long amountTotalMinor, long amountPaidMinor, long amountRefundedMinor,
                         long amountChargedBackMinor, String paymentReference, long line) {

    /** An order whose export says nothing of chargebacks (recorded as 0). */
    public StoreOrder(String orderId, Instant createdAt, StoreOrderStatus status, String currency,
                      long amountTotalMinor, long amountPaidMinor, long amountRefundedMinor,
                      String paymentReference, long line) {
        this(orderId, createdAt, status, currency, amountTotalMinor, amountPaidMinor, amountRefundedMinor, 0,
                paymentReference, line);
    }
}
