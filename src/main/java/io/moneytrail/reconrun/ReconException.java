package io.moneytrail.reconrun;

import java.time.Instant;

/**
 * One distinct discrepancy in the exceptions queue, keyed by its fingerprint (class and the
 * ids on both sides). {@code evidenceJson} is the latest evidence seen by a run.
 */
public record ReconException(String id, String fingerprint, String discrepancyClass, String severity,
                             ExceptionStatus status, String orderId, String evidenceJson, String evidenceHash,
                             String firstRunId, String lastRunId, String resolution, String ledgerEntryId,
                             Instant createdAt, Instant updatedAt) {

    /** One action on an exception: who (API key and optional actor name), when, why. */
    public record Event(long id, String action, String fromStatus, String toStatus, String apiKeyId, String actor,
                        String reason, String runId, String ledgerEntryId, Instant occurredAt, String proposalId) {
    }
}
