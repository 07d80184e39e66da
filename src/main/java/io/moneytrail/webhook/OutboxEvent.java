package io.moneytrail.webhook;

import java.time.Instant;

/**
 * An event for the store as recorded in the outbox. {@code payload} is the exact JSON that is
 * sent (the event envelope) and signed.
 */
public record OutboxEvent(String id, long sequence, OutboundEventType type, String orderId, String objectId,
                          String payload, Instant created) {
}
