package io.moneytrail.reconciliation.importer;

import java.math.BigDecimal;

/**
 * Exact parsing of decimal amounts in major units into minor units with the currency's
 * exponent. Strict: a thousands separator, a decimal separator the format does not use, or
 * more decimals than the currency has (other than trailing zeros) is a row problem naming the
 * value and the reason. No {@code double} anywhere.
 */
final class Amounts {

    /** 15 integer digits is far past any payment and keeps every product inside a long. */
    static final int INTEGER_DIGITS_MAX = 15;

    private Amounts() {
    }

    static long parseMinor(String field, String text, int exponent) {
        return parseMinor(field, text, exponent, '.');
    }

    /**
     * @param decimalSeparator the separator the format documents ('.' for CSV reports, ',' for MT940)
     */
    static long parseMinor(String field, String text, int exponent, char decimalSeparator) {
        if (text == null || text.isBlank()) {
            throw new RowProblem(field + " is empty");
        }
        String value = text.strip();
        int length = value.length();
        int start = 0;
        boolean negative = false;
        if (value.charAt(0) == '-' || value.charAt(0) == '+') {
            negative = value.charAt(0) == '-';
            start = 1;
        }
        char other = decimalSeparator == '.' ? ',' : '.';
        long integer = 0;
        int integerDigits = 0;
        long fraction = 0;
        int fractionDigits = 0;
        boolean inFraction = false;
        for (int i = start; i < length; i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                if (inFraction) {
                    if (fractionDigits < exponent) {
                        fraction = fraction * 10 + (c - '0');
                    } else if (c != '0') {
                        throw new RowProblem(field + " '" + value + "' has more than " + exponent
                                + " decimal" + (exponent == 1 ? "" : "s") + " for its currency");
                    }
                    fractionDigits++;
                } else {
                    if (++integerDigits > INTEGER_DIGITS_MAX) {
                        throw new RowProblem(field + " '" + value + "' is too large");
                    }
                    integer = integer * 10 + (c - '0');
                }
            } else if (c == decimalSeparator && !inFraction) {
                inFraction = true;
            } else if (c == other) {
                throw new RowProblem(field + " '" + value + "' uses '" + other + "' (a thousands separator or a "
                        + (other == ',' ? "comma" : "dot") + " decimal): this format writes amounts like 1234"
                        + decimalSeparator + "50");
            } else if (c == ' ' || c == '\u00a0' || c == '\u202f' || c == '\'' || c == '_') {
                throw new RowProblem(field + " '" + value + "' contains a thousands separator: write 1234"
                        + decimalSeparator + "50");
            } else {
                throw new RowProblem(field + " '" + value + "' is not a decimal amount");
            }
        }
        if (integerDigits == 0 && fractionDigits == 0) {
            throw new RowProblem(field + " '" + value + "' is not a decimal amount");
        }
        if (inFraction && fractionDigits == 0) {
            throw new RowProblem(field + " '" + value + "' ends with its decimal separator");
        }
        for (int d = Math.min(fractionDigits, exponent); d < exponent; d++) {
            fraction *= 10;
        }
        long minor = Math.addExact(Math.multiplyExact(integer, pow10(exponent)), fraction);
        return negative ? -minor : minor;
    }

    /** Minor units back to an exact major-unit decimal, e.g. for reports. */
    static BigDecimal toMajor(long minor, int exponent) {
        return BigDecimal.valueOf(minor, exponent);
    }

    private static long pow10(int exponent) {
        long result = 1;
        for (int i = 0; i < exponent; i++) {
            result *= 10;
        }
        return result;
    }
}
