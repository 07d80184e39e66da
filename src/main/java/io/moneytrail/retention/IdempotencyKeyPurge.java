package io.moneytrail.retention;

import java.time.Instant;

/**
 * Implemented by the module owning {@code idempotency_keys} (the api): deletes its own old keys
 * when {@link Retention} says so. One call is one statement, so one short transaction, picking
 * rows {@code FOR UPDATE SKIP LOCKED} so that several instances share the work.
 */
public interface IdempotencyKeyPurge {

    /** Deletes at most {@code batch} keys (with their stored answers) created before the cutoff; how many. */
    int purgeCreatedBefore(Instant cutoff, int batch);
}
