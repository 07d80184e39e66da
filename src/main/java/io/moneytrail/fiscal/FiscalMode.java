package io.moneytrail.fiscal;

/**
 * When receipts are issued. {@code PREPAYMENT} (the default, as the ledger books it): a
 * {@code full_prepayment} receipt when the money arrives and a {@code full_payment} receipt that
 * offsets the advance at fulfilment. {@code FULL_PAYMENT}: one {@code full_payment} receipt at
 * capture, for stores that ship at once.
 */
enum FiscalMode {
    PREPAYMENT, FULL_PAYMENT;

    static FiscalMode fromWire(String wire) {
        return switch (wire == null || wire.isBlank() ? "prepayment" : wire.strip()) {
            case "prepayment" -> PREPAYMENT;
            case "full_payment" -> FULL_PAYMENT;
            default -> throw new IllegalArgumentException("MONEYTRAIL_FISCAL_MODE (moneytrail.fiscal.mode) is "
                    + "prepayment or full_payment, not '" + wire + "'");
        };
    }
}
