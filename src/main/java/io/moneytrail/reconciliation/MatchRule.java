package io.moneytrail.reconciliation;

import java.util.Locale;

/**
 * The rules that pair two sides, in the order they are tried. Every match records the rule
 * that made it (matches.csv in audit mode), so a pairing can always be explained.
 */
public enum MatchRule {
    /** Provider: the row's payment id (or charge id) equals the order's payment reference. */
    PROVIDER_PAYMENT_REFERENCE,
    /** Provider: the row carries our order id (payment metadata) and the currency and date window agree. */
    ORDER_REFERENCE,
    /** Provider: no reference; the only order of that currency and amount within the date window. */
    AMOUNT_CURRENCY_DATE,
    /** Bank: the entry's reference or details name the payout id, and the amount agrees. */
    PAYOUT_REFERENCE,
    /** Bank: no reference; the only payout of that currency and amount within the date window. */
    PAYOUT_AMOUNT_DATE,
    /** Bank: several payouts of one currency within the window whose amounts sum to the entry. */
    BATCHED_PAYOUTS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
