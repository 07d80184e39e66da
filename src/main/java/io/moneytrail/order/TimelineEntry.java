package io.moneytrail.order;

import java.time.Instant;
import java.util.Map;

/** One recorded fact about an order. */
public record TimelineEntry(long sequence, Instant occurredAt, TimelineKind kind, String summary, Map<String, Object> data) {
}
