package io.moneytrail.order;

import io.moneytrail.money.Money;
import java.time.Instant;

/**
 * An order as read under its row lock: what a payment needs to start against it, and its
 * creation time (the key of the payment module's read model of its payment status).
 */
public record LockedOrder(String id, OrderStatus status, Money amountTotal, Instant createdAt) {
}
