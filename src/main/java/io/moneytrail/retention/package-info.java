/**
 * Retention: a scheduled job that purges, in bounded batches, what need not be kept forever:
 * idempotency keys, rejected (unverified) webhook deliveries and delivered outbox events. It
 * never touches a money fact, a journal entry or the audit log. It keeps the schedule, the
 * periods and the bounds and owns no table: the owners delete their own rows through its SPI
 * ({@link io.moneytrail.retention.IdempotencyKeyPurge}, implemented by api;
 * {@link io.moneytrail.retention.WebhookPurge}, implemented by webhook), so it depends on
 * nothing but the kernel.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Retention", allowedDependencies = "money")
package io.moneytrail.retention;
