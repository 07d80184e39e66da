package io.moneytrail.provider.stripe;

import io.moneytrail.money.Money;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Amounts as Stripe takes them: integers in the currency's minor unit, which is ours (ISO 4217)
 * for every currency but one, and currency codes in lower case. Stripe's own rules, from its
 * "Supported currencies" page: zero-decimal currencies (JPY, KRW, …) are sent as they are;
 * three-decimal currencies (BHD, JOD, KWD, OMR, TND) are sent in thousandths but their last digit
 * must be 0; MGA is zero-decimal at Stripe while ISO 4217 gives it two decimals.
 */
final class StripeAmounts {

    /** Three-decimal currencies: the amount must be a multiple of ten thousandths. */
    static final Set<String> THREE_DECIMAL = Set.of("BHD", "JOD", "KWD", "OMR", "TND");
    /** Currencies Stripe counts in whole units although ISO 4217 gives them decimals. */
    static final Set<String> WHOLE_UNITS_AT_STRIPE = Set.of("MGA");
    /** ISO three-decimal currencies that Stripe does not present (it lists only the five above). */
    static final Set<String> NOT_AT_STRIPE = Set.of("IQD", "LYD");

    private StripeAmounts() {
    }

    static boolean supports(String currency) {
        return !NOT_AT_STRIPE.contains(currency.toUpperCase(Locale.ROOT));
    }

    /** Stripe's integer for {@code money}, or empty when Stripe cannot represent it exactly. */
    static OptionalLong toStripe(Money money) {
        String code = money.currencyCode();
        long minor = money.amountMinor();
        if (!supports(code)) {
            return OptionalLong.empty();
        }
        if (THREE_DECIMAL.contains(code)) {
            return minor % 10 == 0 ? OptionalLong.of(minor) : OptionalLong.empty();
        }
        if (WHOLE_UNITS_AT_STRIPE.contains(code)) {
            int factor = (int) Math.pow(10, money.exponent());
            return minor % factor == 0 ? OptionalLong.of(minor / factor) : OptionalLong.empty();
        }
        return OptionalLong.of(minor);
    }

    /** Our minor units for a Stripe integer in {@code currency} (upper or lower case). */
    static long fromStripe(long amount, String currency) {
        String code = currency.toUpperCase(Locale.ROOT);
        if (WHOLE_UNITS_AT_STRIPE.contains(code)) {
            return Math.multiplyExact(amount, (long) Math.pow(10, Money.of(0, code).exponent()));
        }
        return amount;
    }

    static String currency(Money money) {
        return money.currencyCode().toLowerCase(Locale.ROOT);
    }

    static String why(Money money) {
        String code = money.currencyCode();
        if (!supports(code)) {
            return "Stripe does not take payments in " + code;
        }
        if (THREE_DECIMAL.contains(code)) {
            return "Stripe takes " + code + " amounts rounded to ten thousandths; " + money + " is not";
        }
        return "Stripe takes " + code + " in whole units; " + money + " has a fraction";
    }
}
