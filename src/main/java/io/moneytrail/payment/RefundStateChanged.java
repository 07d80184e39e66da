package io.moneytrail.payment;

import io.moneytrail.money.Money;
import java.time.Instant;

/**
 * A refund moved through its table. Published inside the transaction that moved it, with the
 * refund as it is after the move ({@code refund}, as a read in that transaction would answer it).
 */
public record RefundStateChanged(String refundId, String paymentId, String orderId, Money amount, RefundState from,
                                 RefundState to, Instant at, Refund refund) {
}
