package io.moneytrail.payment;

import java.time.Instant;

/**
 * A capture or void as an intent, committed before the provider is called (see migration V14).
 *
 * @param amountMinor    what a capture takes; 0 for a void
 * @param idempotencyKey what the provider sees, the same on every re-issue of this operation
 */
record PaymentOperation(String id, String paymentId, Kind kind, long amountMinor, String idempotencyKey,
                        Status status, Instant created) {

    enum Kind {
        CAPTURE, VOID;

        String wire() {
            return name().toLowerCase();
        }
    }

    enum Status {
        /** Committed; the provider call may be in flight. */
        OPEN,
        /** The call ended without an answer: the resolver re-issues it. */
        UNKNOWN,
        /** The answer is saved. */
        DONE;

        String wire() {
            return name().toLowerCase();
        }
    }

    String describe() {
        return kind == Kind.CAPTURE ? "capture " + amountMinor : "cancel";
    }
}
