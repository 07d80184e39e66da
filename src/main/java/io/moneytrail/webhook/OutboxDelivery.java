package io.moneytrail.webhook;

import java.time.Instant;

/**
 * One event's delivery to one endpoint: {@code pending} (due at {@code nextAttemptAt}),
 * {@code delivered} (an endpoint answered 2xx), or {@code failed} (parked after the last
 * attempt, or its endpoint was disabled; {@code POST /v1/events/{id}/redeliver} makes it
 * pending again).
 */
public record OutboxDelivery(String eventId, String endpointId, String url, String status, int attempts,
                             Instant nextAttemptAt, Instant lastAttemptAt, Integer lastStatus, String lastError,
                             Instant deliveredAt) {
}
