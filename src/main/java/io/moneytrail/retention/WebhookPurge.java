package io.moneytrail.retention;

import java.time.Instant;

/**
 * Implemented by the module owning the inbox and the outbox (webhook): deletes its own
 * purgeable rows when {@link Retention} says so. Each call is one statement, so one short
 * transaction, picking rows {@code FOR UPDATE SKIP LOCKED} so that several instances share the
 * work and never wait on a request.
 */
public interface WebhookPurge {

    /** Deletes at most {@code batch} rejected inbound webhooks received before the cutoff; how many. */
    int purgeRejectedReceivedBefore(Instant cutoff, int batch);

    /** Cuts at most {@code batch} stored rejected bodies longer than {@code bytes} to that length; how many. */
    int truncateRejectedBodies(int bytes, int batch);

    /**
     * Deletes at most {@code batch} outbox events created before the cutoff none of whose
     * deliveries is pending or failed (parked for an operator), with their deliveries; how many
     * events. An event with no delivery at all goes the same way.
     */
    int purgeDeliveredEventsCreatedBefore(Instant cutoff, int batch);
}
