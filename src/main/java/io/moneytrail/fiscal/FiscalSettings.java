package io.moneytrail.fiscal;

/**
 * What this process does about receipts, as decided at start ({@link FiscalConfiguration}):
 * {@code provider} {@code none} (no receipts), {@code atol} or {@code yookassa}; the mode; the seller.
 */
record FiscalSettings(String provider, FiscalMode mode, FiscalCompany company) {

    boolean enabled() {
        return !"none".equals(provider);
    }
}
