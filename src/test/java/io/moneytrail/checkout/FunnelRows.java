package io.moneytrail.checkout;

import java.time.Instant;

/**
 * Writes funnel steps for tests through the checkout module's own writer (the one
 * {@link FunnelRecorder} uses), at chosen times: a test builds journeys on days no other test
 * touches and reads them back through the report.
 */
public final class FunnelRows {

    private FunnelRows() {
    }

    public static void insert(FunnelEvents events, String sessionId, String orderId, String provider,
                              DeviceClass device, FunnelStep step, String reasonCode, Instant at) {
        ((CheckoutEvents) events).insert(sessionId, orderId, provider, device, step, reasonCode, at);
    }
}
