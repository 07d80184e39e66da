package io.moneytrail.checkout;

import java.time.Instant;

/**
 * A viewed checkout session saw no new step for {@code moneytrail.checkout.abandon-after}.
 * Published inside the transaction that records the {@code abandoned} step, so the outbound
 * event {@code checkout.abandoned} (the webhook module's) commits with it.
 *
 * @param lastStep the last step the session reached before it went quiet
 */
public record CheckoutAbandoned(CheckoutSession session, FunnelStep lastStep, Instant at) {
}
