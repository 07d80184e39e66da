package io.moneytrail.reconciliation;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A provider's price for a charge: a percentage of the gross plus a fixed amount, e.g.
 * {@code 2.9%+0.30} (the fixed part in major units of the charge's currency).
 * The expected fee is {@code round_half_up(gross * percent / 100) + fixed}, in minor units:
 * the one rounding rule of fee checks.
 */
public record FeeTariff(BigDecimal percent, BigDecimal fixedMajor) {

    public FeeTariff {
        if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0 || fixedMajor.signum() < 0) {
            throw new IllegalArgumentException("a tariff's percent is 0..100 and its fixed part not negative");
        }
    }

    /** Parses {@code 2.9%}, {@code 2.9%+0.30} or {@code 0.25} (fixed only). */
    public static FeeTariff parse(String text) {
        String spec = text.strip().replace(" ", "");
        try {
            int percentSign = spec.indexOf('%');
            if (percentSign < 0) {
                return new FeeTariff(BigDecimal.ZERO, new BigDecimal(spec));
            }
            BigDecimal percent = new BigDecimal(spec.substring(0, percentSign));
            String rest = spec.substring(percentSign + 1);
            BigDecimal fixed = rest.isEmpty() ? BigDecimal.ZERO : new BigDecimal(rest.startsWith("+") ? rest.substring(1) : rest);
            return new FeeTariff(percent, fixed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fee tariff '" + text + "' is not like 2.9%+0.30");
        }
    }

    /** The fee this tariff expects on a charge of {@code grossMinor}, in minor units of a currency with {@code exponent}. */
    public long expectedFeeMinor(long grossMinor, int exponent) {
        BigDecimal rate = percent.stripTrailingZeros();
        if (grossMinor >= 0 && grossMinor < 1L << 40 && rate.scale() >= 0 && rate.scale() <= 6 && rate.precision() <= 9) {
            // the same half-up rounding in long arithmetic: this runs once per charge, a million times a month
            long numerator = rate.unscaledValue().longValueExact();
            long denominator = 100 * LongMath.pow10(rate.scale());
            long variable = (2 * grossMinor * numerator + denominator) / (2 * denominator);
            return Math.addExact(variable, fixedMajor.movePointRight(exponent).setScale(0, RoundingMode.HALF_UP)
                    .longValueExact());
        }
        BigDecimal variable = BigDecimal.valueOf(grossMinor).multiply(percent).divide(BigDecimal.valueOf(100), 0,
                RoundingMode.HALF_UP);
        BigDecimal fixed = fixedMajor.movePointRight(exponent).setScale(0, RoundingMode.HALF_UP);
        return variable.add(fixed).longValueExact();
    }

    private static final class LongMath {
        static long pow10(int exponent) {
            long result = 1;
            for (int i = 0; i < exponent; i++) {
                result *= 10;
            }
            return result;
        }
    }

    @Override
    public String toString() {
        return percent.stripTrailingZeros().toPlainString() + "%+" + fixedMajor.toPlainString();
    }
}
