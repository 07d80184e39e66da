package io.moneytrail.payment;

import java.time.Instant;

/** A compensation as operators see it (see {@link Compensations}). */
public record Compensation(String id, String orderId, String paymentId, String status, Instant dueAt,
                           Instant createdAt, Instant doneAt, String note) {
}
