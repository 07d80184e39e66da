package io.moneytrail.fiscal;

import java.util.Arrays;

/**
 * 54-FZ tag 1214 as ATOL v5 spells it: {@code full_prepayment} (paid in full before handover) or
 * {@code full_payment} (settled at handover).
 */
public enum ReceiptPaymentMethod {
    FULL_PREPAYMENT, FULL_PAYMENT;

    public String wire() {
        return name().toLowerCase();
    }

    public static ReceiptPaymentMethod fromWire(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown payment method " + wire));
    }
}
