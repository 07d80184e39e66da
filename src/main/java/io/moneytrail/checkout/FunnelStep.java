package io.moneytrail.checkout;

import java.util.Locale;
import java.util.Optional;

/**
 * A step of the checkout funnel, as stored in {@code checkout_events.step} (the lower-case wire
 * name). The page records {@code viewed} to {@code returned}, the sweeper {@code abandoned} and
 * {@code expired}; the money facts record {@code authorized}, {@code paid}, {@code declined} and,
 * for an order paid through the API without a session, {@code payment_started}. The definitions
 * (what counts once per session, what once per attempt) are in {@code docs/checkout.md}.
 */
public enum FunnelStep {
    VIEWED, PROVIDER_CHOSEN, REDIRECTED, RETURNED, AUTHORIZED, PAID, DECLINED, ABANDONED, EXPIRED,
    /** an order without a checkout session started its first payment (through the API) */
    PAYMENT_STARTED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FunnelStep> fromWire(String wire) {
        for (FunnelStep step : values()) {
            if (step.wire().equals(wire)) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }
}
