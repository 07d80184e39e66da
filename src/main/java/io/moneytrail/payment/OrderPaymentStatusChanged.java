package io.moneytrail.payment;

import io.moneytrail.order.PaymentStatus;
import java.time.Instant;

/**
 * An order's derived payment status changed (e.g. pending -> paid). Published just before the
 * transaction that changed the money facts commits, inside it.
 */
public record OrderPaymentStatusChanged(String orderId, PaymentStatus from, PaymentStatus to, Instant at) {
}
