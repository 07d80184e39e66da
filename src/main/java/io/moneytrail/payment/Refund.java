package io.moneytrail.payment;

import io.moneytrail.money.Money;
import java.time.Instant;

/** A refund of (part of) a captured payment. */
public record Refund(String id, String paymentId, String orderId, String providerRefundId, Money amount,
                     RefundState state, String reason, String failureMessage, Instant created) {
}
