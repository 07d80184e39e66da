/**
 * Retention: a scheduled job that purges, in bounded batches, what need not be kept forever:
 * idempotency keys, rejected (unverified) webhook deliveries and delivered outbox events. It
 * never touches a money fact, a journal entry or the audit log. Plain SQL on the tables of
 * other modules, so it depends on nothing but the kernel.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Retention", allowedDependencies = "money")
package io.moneytrail.retention;
