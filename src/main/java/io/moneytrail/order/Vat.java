package io.moneytrail.order;

import io.moneytrail.money.Check;

/**
 * VAT inside a VAT-inclusive amount. The one rounding rule of the order module: VAT is
 * extracted once per line from the line's inclusive total,
 * {@code vat = total * rate / (100 + rate)}, rounded half-up to the minor unit. Exact
 * integer arithmetic; overflow throws.
 */
public final class Vat {

    private Vat() {
    }

    public static long includedIn(long inclusiveTotalMinor, Integer ratePercent) {
        if (ratePercent == null || ratePercent == 0) {
            return 0;
        }
        Check.that(inclusiveTotalMinor >= 0, "VAT is computed on non-negative totals");
        Check.that(ratePercent > 0 && ratePercent <= 100, "VAT rate in 0..100");
        long numerator = Math.multiplyExact(Math.multiplyExact(inclusiveTotalMinor, ratePercent), 2L);
        long denominator = 2L * (100 + ratePercent);
        // half-up: floor((2 * total * rate + (100 + rate)) / (2 * (100 + rate)))
        return Math.floorDiv(Math.addExact(numerator, 100L + ratePercent), denominator);
    }
}
