package io.moneytrail.payment;

import java.time.Instant;

/** A payment attempt moved through its table. Published inside the transaction that moved it. */
public record PaymentStateChanged(String paymentId, String orderId, PaymentState from, PaymentState to, String cause,
                                  Instant at) {
}
