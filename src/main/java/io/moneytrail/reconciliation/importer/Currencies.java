package io.moneytrail.reconciliation.importer;

import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Currency codes as reports write them ({@code usd}, {@code RUB}, {@code RUR}), checked once
 * per distinct code and cached: one lookup per row, the same interned code string for every
 * row (the engine keeps a million of them).
 */
final class Currencies {

    private final Map<String, String> codes = new HashMap<>();
    private final Map<String, Integer> exponents = new HashMap<>();

    /** The upper-case ISO 4217 code, or a row problem. */
    String code(String text) {
        String known = codes.get(text);
        if (known != null) {
            return known;
        }
        if (codes.size() > 1_000) {
            throw new RowProblem("too many distinct currencies");
        }
        String upper = text.strip().toUpperCase(Locale.ROOT);
        if (upper.equals("RUR")) {
            upper = "RUB"; // the pre-1998 code, still written by Russian banks and 1C
        }
        try {
            Money.currency(upper);
        } catch (MoneytrailException e) {
            throw new RowProblem("currency '" + text + "' is not an ISO 4217 code with a minor unit");
        }
        String interned = upper.intern();
        codes.put(text, interned);
        return interned;
    }

    int exponent(String code) {
        return exponents.computeIfAbsent(code, c -> Money.currency(c).getDefaultFractionDigits());
    }
}
