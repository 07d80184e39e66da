package io.moneytrail.fiscal;

import java.util.Arrays;

/** The fiscal document's operation (ATOL v5's path segment; 54-FZ tag 1054 below). */
public enum ReceiptType {
    SELL("sell", 1),
    SELL_REFUND("sell_refund", 2),
    SELL_CORRECTION("sell_correction", 1),
    SELL_REFUND_CORRECTION("sell_refund_correction", 2);

    private final String wire;
    private final int operation;

    ReceiptType(String wire, int operation) {
        this.wire = wire;
        this.operation = operation;
    }

    public String wire() {
        return wire;
    }

    /** 54-FZ tag 1054, the {@code n} of a receipt's QR code: 1 income (приход), 2 return of income. */
    public int operation() {
        return operation;
    }

    public boolean isCorrection() {
        return this == SELL_CORRECTION || this == SELL_REFUND_CORRECTION;
    }

    public static ReceiptType fromWire(String wire) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown receipt type " + wire));
    }
}
