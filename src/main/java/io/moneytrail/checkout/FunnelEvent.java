package io.moneytrail.checkout;

import java.time.Instant;

/**
 * One row of {@code checkout_events}: a step of the funnel.
 *
 * @param sessionId  the checkout session ({@code chk_…}); null for an order without one (API payments)
 * @param provider   the provider chosen or paying; null before one is chosen
 * @param reasonCode for {@code declined}: the provider's code as the payment recorded it
 *                   ({@code failure_code}); see {@link DeclineReason#of} for its plain-words class
 */
public record FunnelEvent(long id, String sessionId, String orderId, String provider, DeviceClass device,
                          FunnelStep step, String reasonCode, Instant occurredAt) {
}
