package io.moneytrail.fiscal;

import java.util.Arrays;

/** Where a receipt is: waiting to be sent or for the fiscal provider's answer, registered, or refused. */
public enum ReceiptStatus {
    PENDING, DONE, FAILED;

    public String wire() {
        return name().toLowerCase();
    }

    public static ReceiptStatus fromWire(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown receipt status " + wire));
    }
}
