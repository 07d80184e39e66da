/**
 * Retention: a scheduled job that purges, in bounded batches, what need not be kept forever:
 * idempotency keys, rejected (unverified) webhook deliveries and delivered outbox events. It
 * never touches a money fact, a journal entry or the audit log. It keeps the schedule, the
 * periods and the bounds and owns no table: the owners delete their own rows
 * ({@code api.IdempotencyRetention}, {@code webhook.WebhookRetention}).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Retention",
        allowedDependencies = {"money", "api", "webhook"})
package io.moneytrail.retention;
