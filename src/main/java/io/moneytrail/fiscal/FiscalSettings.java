package io.moneytrail.fiscal;

/**
 * What this process does about receipts, as decided at start ({@link FiscalConfiguration}):
 * {@code provider} {@code none} (no receipts), {@code atol} or {@code yookassa}; the mode; the seller.
 * {@code yookassaReceipts}: payments through YooKassa get YooKassa's own receipts (always so with
 * provider {@code yookassa}; with {@code atol}, {@code MONEYTRAIL_FISCAL_YOOKASSA_RECEIPTS=true} keeps ATOL
 * for the other providers' payments).
 */
record FiscalSettings(String provider, FiscalMode mode, FiscalCompany company, boolean yookassaReceipts) {

    static final String YOOKASSA = "yookassa";

    FiscalSettings(String provider, FiscalMode mode, FiscalCompany company) {
        this(provider, mode, company, YOOKASSA.equals(provider));
    }

    boolean enabled() {
        return !"none".equals(provider);
    }

    /** The fiscal provider that registers the receipts of a payment through {@code paymentProvider}. */
    String providerFor(String paymentProvider) {
        return enabled() && yookassaReceipts && YOOKASSA.equals(paymentProvider) ? YOOKASSA : provider;
    }

    /** The fiscal providers this process sends receipts through. */
    java.util.Set<String> providers() {
        if (!enabled()) {
            return java.util.Set.of();
        }
        return yookassaReceipts && !YOOKASSA.equals(provider) ? java.util.Set.of(provider, YOOKASSA)
                : java.util.Set.of(provider);
    }
}
