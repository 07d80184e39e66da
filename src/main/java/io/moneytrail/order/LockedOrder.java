package io.moneytrail.order;

import io.moneytrail.money.Money;

/** An order as read under its row lock: what a payment needs to start against it. */
public record LockedOrder(String id, OrderStatus status, Money amountTotal) {
}
