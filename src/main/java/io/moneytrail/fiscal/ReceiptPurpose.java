package io.moneytrail.fiscal;

import java.util.Arrays;

/**
 * Why a receipt exists: the advance when the money arrives ({@code prepayment}), the offset of that
 * advance at fulfilment ({@code offset}), the one receipt of a store that ships at once
 * ({@code full_payment}), a {@code refund}, or an operator's {@code correction}.
 */
public enum ReceiptPurpose {
    PREPAYMENT, OFFSET, FULL_PAYMENT, REFUND, CORRECTION;

    public String wire() {
        return name().toLowerCase();
    }

    public static ReceiptPurpose fromWire(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown receipt purpose " + wire));
    }
}
