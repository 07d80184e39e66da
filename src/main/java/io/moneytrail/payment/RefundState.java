package io.moneytrail.payment;

import io.moneytrail.money.TransitionTable;

/** A refund's state, moved only through {@link #TABLE}. */
public enum RefundState {
    PENDING, SUCCEEDED, FAILED, UNKNOWN,
    /** the resolver gave up asking the provider; an operator decides */
    NEEDS_REVIEW;

    /** What can happen to a refund. */
    public enum Event { SUCCEED, FAIL, LOSE_TRACK, CONFIRM_PENDING, ESCALATE }

    public static final TransitionTable<RefundState, Event> TABLE =
            TransitionTable.of("refund", RefundState.class, Event.class)
                    .allow(PENDING, Event.SUCCEED, SUCCEEDED)
                    .allow(PENDING, Event.FAIL, FAILED)
                    .allow(PENDING, Event.LOSE_TRACK, UNKNOWN)
                    .allow(UNKNOWN, Event.SUCCEED, SUCCEEDED)
                    .allow(UNKNOWN, Event.FAIL, FAILED)
                    .allow(UNKNOWN, Event.CONFIRM_PENDING, PENDING)
                    .allow(PENDING, Event.ESCALATE, NEEDS_REVIEW)
                    .allow(UNKNOWN, Event.ESCALATE, NEEDS_REVIEW)
                    .allow(NEEDS_REVIEW, Event.SUCCEED, SUCCEEDED)
                    .allow(NEEDS_REVIEW, Event.FAIL, FAILED)
                    .build();

    /** Every refund but a failed one counts against what may still be refunded. */
    public boolean holdsFunds() {
        return this != FAILED;
    }

    /** Not settled: the resolver keeps asking the provider. */
    public boolean isUnsettled() {
        return this == PENDING || this == UNKNOWN;
    }

    public String wire() {
        return name().toLowerCase();
    }

    public static RefundState fromWire(String value) {
        return valueOf(value.toUpperCase());
    }
}
