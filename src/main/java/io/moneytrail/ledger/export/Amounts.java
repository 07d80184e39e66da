package io.moneytrail.ledger.export;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.HashMap;
import java.util.Map;

/**
 * Minor units to decimal major units in the currency's ISO 4217 exponent (EUR 2, JPY 0,
 * KWD 3): 1250 EUR is {@code 12.50}, 1250 JPY is {@code 1250}, 1250 KWD is {@code 1.250}.
 */
final class Amounts {

    private final Map<String, Integer> exponents = new HashMap<>();

    String major(long amountMinor, String currency) {
        return BigDecimal.valueOf(amountMinor, exponent(currency)).toPlainString();
    }

    int exponent(String currency) {
        return exponents.computeIfAbsent(currency,
                code -> Math.max(0, Currency.getInstance(code.trim()).getDefaultFractionDigits()));
    }

    /** A sample amount showing the exponent, e.g. {@code 1000.00} for EUR, {@code 1000} for JPY. */
    String sample(String currency) {
        return major(1000L * (long) Math.pow(10, exponent(currency)), currency);
    }
}
