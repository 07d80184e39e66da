package io.moneytrail.reconciliation;

import java.util.Locale;
import java.util.Optional;

/**
 * An order status as a store's export says it, normalised. The export's own words are
 * mapped here (with a few common synonyms); anything else is a row problem unless the
 * order mapping names it.
 */
public enum StoreOrderStatus {
    PENDING, AUTHORIZED, PARTIALLY_PAID, PAID, PARTIALLY_REFUNDED, REFUNDED, CANCELLED, FULFILLED;

    /** The status a set of amounts implies, as Moneytrail derives it (fulfilled counts as paid). */
    public static StoreOrderStatus derive(long totalMinor, long paidMinor, long refundedMinor) {
        if (paidMinor <= 0) {
            return PENDING;
        }
        if (refundedMinor >= paidMinor) {
            return REFUNDED;
        }
        if (refundedMinor > 0) {
            return PARTIALLY_REFUNDED;
        }
        return paidMinor < totalMinor ? PARTIALLY_PAID : PAID;
    }

    /** Whether an order in this status says money was (at some point) taken. */
    public boolean saysPaid() {
        return this == PAID || this == PARTIALLY_PAID || this == PARTIALLY_REFUNDED || this == REFUNDED
                || this == FULFILLED;
    }

    /** Compares a status word with a derived one; a fulfilled order is a paid one as far as money goes. */
    public boolean agreesWith(StoreOrderStatus derived) {
        if (this == derived) {
            return true;
        }
        if (this == FULFILLED) {
            return derived == PAID || derived == PARTIALLY_REFUNDED; // shipped, maybe one item returned
        }
        if (this == AUTHORIZED) {
            return derived == PENDING; // authorised money is not captured yet
        }
        return false;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses ours and the usual synonyms (case-insensitive); empty for an unknown word. */
    public static Optional<StoreOrderStatus> parse(String text) {
        String word = text.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        switch (word) {
            case "pending": case "unpaid": case "new": case "created": case "awaiting_payment":
                return Optional.of(PENDING);
            case "authorized": case "authorised": case "waiting_for_capture":
                return Optional.of(AUTHORIZED);
            case "partially_paid":
                return Optional.of(PARTIALLY_PAID);
            case "paid": case "succeeded": case "captured": case "processing":
                return Optional.of(PAID);
            case "partially_refunded":
                return Optional.of(PARTIALLY_REFUNDED);
            case "refunded":
                return Optional.of(REFUNDED);
            case "cancelled": case "canceled": case "voided": case "expired":
                return Optional.of(CANCELLED);
            case "fulfilled": case "completed": case "shipped": case "delivered":
                return Optional.of(FULFILLED);
            default:
                return Optional.empty();
        }
    }
}
