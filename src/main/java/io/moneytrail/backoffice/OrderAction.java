package io.moneytrail.backoffice;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What the order page can do, with the form fields each needs. */
enum OrderAction {
    /** Capture all or part of what a payment has authorised. */
    CAPTURE(true, true, false),
    /** Release what a payment still holds (void the authorisation). */
    VOID(true, false, true),
    /** Refund all or part of what a payment captured. */
    REFUND(true, true, true),
    /** Cancel the order. */
    CANCEL(false, false, true),
    /** Mark the order fulfilled (its advances become revenue). */
    FULFIL(false, false, false),
    /** Ask the provider about a payment now. */
    RECHECK(true, false, false);

    final boolean needsPayment;
    final boolean takesAmount;
    final boolean needsReason;

    OrderAction(boolean needsPayment, boolean takesAmount, boolean needsReason) {
        this.needsPayment = needsPayment;
        this.takesAmount = takesAmount;
        this.needsReason = needsReason;
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<OrderAction> fromWire(String value) {
        return Arrays.stream(values()).filter(a -> a.wire().equals(value)).findFirst();
    }
}
