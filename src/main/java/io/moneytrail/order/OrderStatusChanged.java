package io.moneytrail.order;

import java.time.Instant;

/** An order's lifecycle moved. Published synchronously inside the transaction that moved it. */
public record OrderStatusChanged(String orderId, OrderStatus from, OrderStatus to, Instant at) {
}
