package io.moneytrail.payment;

import io.moneytrail.money.MoneytrailException;

/** Automatic: the provider captures on authorisation. Manual: the store captures later. */
public enum CaptureMethod {
    AUTOMATIC, MANUAL;

    public String wire() {
        return name().toLowerCase();
    }

    public static CaptureMethod parse(String value) {
        if (value == null) {
            return AUTOMATIC;
        }
        return switch (value) {
            case "automatic" -> AUTOMATIC;
            case "manual" -> MANUAL;
            default -> throw MoneytrailException.invalid("parameter_invalid", "capture_method",
                    "capture_method must be automatic or manual");
        };
    }
}
