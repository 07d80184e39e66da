package io.moneytrail.order;

import io.moneytrail.money.TransitionTable;

/** An order's lifecycle: a real decision, moved only through {@link #TABLE}. */
public enum OrderStatus {
    OPEN, FULFILLED, CANCELLED, EXPIRED;

    /** What can happen to an order's lifecycle. */
    public enum Event { FULFILL, CANCEL, EXPIRE }

    public static final TransitionTable<OrderStatus, Event> TABLE =
            TransitionTable.of("order", OrderStatus.class, Event.class)
                    .allow(OPEN, Event.FULFILL, FULFILLED)
                    .allow(OPEN, Event.CANCEL, CANCELLED)
                    .allow(OPEN, Event.EXPIRE, EXPIRED)
                    .build();

    public String wire() {
        return name().toLowerCase();
    }

    public static OrderStatus fromWire(String value) {
        return valueOf(value.toUpperCase());
    }
}
