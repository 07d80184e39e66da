package io.moneytrail.payment;

import io.moneytrail.money.TransitionTable;

/**
 * A payment attempt's state, moved only through {@link #TABLE}. {@code UNKNOWN} means the
 * outcome of a provider call is not known (a timeout, a 5xx, garbage): never a guess.
 * {@code PARTIALLY_CAPTURED} is an authorisation with some money captured and the rest
 * still capturable; releasing the rest (void or expiry) leaves it {@code CAPTURED}.
 */
public enum PaymentState {
    REQUIRES_ACTION, PROCESSING, AUTHORIZED, PARTIALLY_CAPTURED, CAPTURED, VOIDED, FAILED, EXPIRED, UNKNOWN,
    /** the resolver gave up asking the provider; an operator decides, with the evidence gathered */
    NEEDS_REVIEW;

    /** What can happen to a payment attempt. */
    public enum Event {
        /** the provider asks the customer to act (redirect, 3-D Secure) */
        REQUIRE_ACTION,
        /** the customer finished; the provider is processing */
        SUBMIT,
        AUTHORIZE,
        /** a capture that leaves part of the authorisation capturable */
        CAPTURE_PART,
        /** a capture of everything that is left */
        CAPTURE,
        /** void: release what was authorised and not captured */
        VOID,
        FAIL,
        EXPIRE,
        /** a provider call whose outcome we do not know */
        LOSE_TRACK,
        /** the resolver's schedule ran out without an answer */
        ESCALATE
    }

    public static final TransitionTable<PaymentState, Event> TABLE =
            TransitionTable.of("payment", PaymentState.class, Event.class)
                    .allow(REQUIRES_ACTION, Event.SUBMIT, PROCESSING)
                    .allow(REQUIRES_ACTION, Event.AUTHORIZE, AUTHORIZED)
                    .allow(REQUIRES_ACTION, Event.CAPTURE, CAPTURED)
                    .allow(REQUIRES_ACTION, Event.VOID, VOIDED)
                    .allow(REQUIRES_ACTION, Event.FAIL, FAILED)
                    .allow(REQUIRES_ACTION, Event.EXPIRE, EXPIRED)
                    .allow(REQUIRES_ACTION, Event.LOSE_TRACK, UNKNOWN)

                    .allow(PROCESSING, Event.REQUIRE_ACTION, REQUIRES_ACTION)
                    .allow(PROCESSING, Event.AUTHORIZE, AUTHORIZED)
                    .allow(PROCESSING, Event.CAPTURE, CAPTURED)
                    .allow(PROCESSING, Event.VOID, VOIDED)
                    .allow(PROCESSING, Event.FAIL, FAILED)
                    .allow(PROCESSING, Event.EXPIRE, EXPIRED)
                    .allow(PROCESSING, Event.LOSE_TRACK, UNKNOWN)

                    .allow(UNKNOWN, Event.REQUIRE_ACTION, REQUIRES_ACTION)
                    .allow(UNKNOWN, Event.SUBMIT, PROCESSING)
                    .allow(UNKNOWN, Event.AUTHORIZE, AUTHORIZED)
                    .allow(UNKNOWN, Event.CAPTURE, CAPTURED)
                    .allow(UNKNOWN, Event.VOID, VOIDED)
                    .allow(UNKNOWN, Event.FAIL, FAILED)
                    .allow(UNKNOWN, Event.EXPIRE, EXPIRED)
                    .allow(UNKNOWN, Event.ESCALATE, NEEDS_REVIEW)
                    .allow(PROCESSING, Event.ESCALATE, NEEDS_REVIEW)

                    .allow(NEEDS_REVIEW, Event.REQUIRE_ACTION, REQUIRES_ACTION)
                    .allow(NEEDS_REVIEW, Event.SUBMIT, PROCESSING)
                    .allow(NEEDS_REVIEW, Event.AUTHORIZE, AUTHORIZED)
                    .allow(NEEDS_REVIEW, Event.CAPTURE, CAPTURED)
                    .allow(NEEDS_REVIEW, Event.VOID, VOIDED)
                    .allow(NEEDS_REVIEW, Event.FAIL, FAILED)
                    .allow(NEEDS_REVIEW, Event.EXPIRE, EXPIRED)

                    .allow(AUTHORIZED, Event.CAPTURE_PART, PARTIALLY_CAPTURED)
                    .allow(AUTHORIZED, Event.CAPTURE, CAPTURED)
                    .allow(AUTHORIZED, Event.VOID, VOIDED)
                    .allow(AUTHORIZED, Event.EXPIRE, EXPIRED)

                    .allow(PARTIALLY_CAPTURED, Event.CAPTURE_PART, PARTIALLY_CAPTURED)
                    .allow(PARTIALLY_CAPTURED, Event.CAPTURE, CAPTURED)
                    .allow(PARTIALLY_CAPTURED, Event.VOID, CAPTURED)
                    .allow(PARTIALLY_CAPTURED, Event.EXPIRE, CAPTURED)
                    .build();

    /** Awaiting the customer, the provider or an operator: the order's payment status is "pending". */
    public boolean isInFlight() {
        return this == REQUIRES_ACTION || this == PROCESSING || this == UNKNOWN || this == NEEDS_REVIEW;
    }

    /**
     * Waiting for news from the provider (including a customer who has not finished the
     * hosted page: their payment's webhook may be lost): the resolver asks again on its schedule.
     */
    public boolean isAwaitingAnswer() {
        return this == REQUIRES_ACTION || isUnsettled();
    }

    /** Its outcome is not known: the resolver keeps asking, and escalates to review when it gives up. */
    public boolean isUnsettled() {
        return this == PROCESSING || this == UNKNOWN;
    }

    public String wire() {
        return name().toLowerCase();
    }

    public static PaymentState fromWire(String value) {
        return valueOf(value.toUpperCase());
    }
}
