package io.moneytrail.payment;

import io.moneytrail.money.Money;
import java.time.Instant;

/**
 * A money movement was recorded. Published synchronously inside the transaction that
 * recorded it, so listeners (the ledger) commit with it or not at all.
 *
 * @param providerReference the provider's id of the movement (capture, refund or dispute id)
 * @param orderCreatedAt    the order's creation instant as its lock read it in this transaction (null if
 *                          not known): the ledger's entry carries it
 */
public record MoneyMoved(String transactionId, String paymentId, String orderId, String refundId, String provider,
                         MoneyTransaction.Kind kind, Money amount, Instant occurredAt, String providerReference,
                         Instant orderCreatedAt) {
}
