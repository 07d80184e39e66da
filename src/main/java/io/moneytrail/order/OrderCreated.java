package io.moneytrail.order;

import java.time.Instant;

/** An order was created. Published synchronously inside the transaction that created it. */
public record OrderCreated(String orderId, Instant at) {
}
