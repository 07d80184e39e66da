package io.moneytrail.payment;

import io.moneytrail.money.TransitionTable;

/** A refund's state, moved only through {@link #TABLE}. */
public enum RefundState {
    PENDING, SUCCEEDED, FAILED, UNKNOWN;

    /** What can happen to a refund. */
    public enum Event { SUCCEED, FAIL, LOSE_TRACK, CONFIRM_PENDING }

    public static final TransitionTable<RefundState, Event> TABLE =
            TransitionTable.of("refund", RefundState.class, Event.class)
                    .allow(PENDING, Event.SUCCEED, SUCCEEDED)
                    .allow(PENDING, Event.FAIL, FAILED)
                    .allow(PENDING, Event.LOSE_TRACK, UNKNOWN)
                    .allow(UNKNOWN, Event.SUCCEED, SUCCEEDED)
                    .allow(UNKNOWN, Event.FAIL, FAILED)
                    .allow(UNKNOWN, Event.CONFIRM_PENDING, PENDING)
                    .build();

    /** Pending, unknown and succeeded refunds all count against what may still be refunded. */
    public boolean holdsFunds() {
        return this != FAILED;
    }

    public String wire() {
        return name().toLowerCase();
    }

    public static RefundState fromWire(String value) {
        return valueOf(value.toUpperCase());
    }
}
