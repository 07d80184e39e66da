package io.moneytrail.order;

import java.time.Instant;

/** An open order as the expiry sweep pages through them (by creation time, then id). */
public record OpenOrder(String id, Instant created) {
}
