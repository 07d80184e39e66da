package io.moneytrail.payment;

import java.time.Instant;

/**
 * A payment attempt moved through its table. Published inside the transaction that moved it,
 * with the payment as it is right after the move ({@code payment}, as a read would answer it).
 */
public record PaymentStateChanged(String paymentId, String orderId, PaymentState from, PaymentState to, String cause,
                                  Instant at, Payment payment) {
}
