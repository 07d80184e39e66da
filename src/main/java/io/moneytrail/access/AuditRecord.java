package io.moneytrail.access;

import java.time.Instant;

/** One row of the audit log, as read back. {@code details} is JSON text. */
public record AuditRecord(String id, Instant occurredAt, String actorKind, String actorId, String actorName,
                          String actorRole, String action, String objectType, String objectId, String requestId,
                          String httpMethod, String httpPath, Integer httpStatus, String outcome, String reason,
                          String details) {
}
