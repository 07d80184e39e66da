package io.moneytrail.money;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * An amount of money: a {@code long} of minor units and an ISO 4217 currency. Immutable;
 * arithmetic is exact (overflow throws), and mixing currencies is an error. The exponent
 * (number of minor-unit digits) comes from the currency: RUB 2, JPY 0, KWD 3.
 */
public record Money(long amountMinor, Currency currency) implements Comparable<Money> {

    /** Largest amount any single order, payment or refund may carry (10^14 - 1 minor units). */
    public static final long AMOUNT_MINOR_MAX = 99_999_999_999_999L;

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException("currency " + currency + " has no minor unit");
        }
    }

    public static Money of(long amountMinor, String currencyCode) {
        return new Money(amountMinor, currency(currencyCode));
    }

    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    /**
     * Parses an ISO 4217 code, accepting only real currencies with a minor unit: upper case,
     * three letters, known to the JDK, not a fund or testing code without an exponent.
     */
    public static Currency currency(String code) {
        Currency known = code == null ? null : ACCEPTED.get(code);
        if (known != null) {
            return known;
        }
        Currency accepted = check(code);
        if (ACCEPTED.size() < ACCEPTED_MAX) {
            ACCEPTED.put(code, accepted);
        }
        return accepted;
    }

    /** Codes already accepted (real ones only, so the map stays small): every row read parses one. */
    private static final Map<String, Currency> ACCEPTED = new ConcurrentHashMap<>();
    private static final int ACCEPTED_MAX = 400;
    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

    private static Currency check(String code) {
        if (code == null || !CODE.matcher(code).matches()) {
            throw MoneytrailException.invalid("currency_invalid", "currency",
                    "currency must be an upper-case ISO 4217 code, e.g. EUR");
        }
        Currency currency;
        try {
            currency = Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw MoneytrailException.invalid("currency_invalid", "currency", "unknown currency " + code);
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw MoneytrailException.invalid("currency_invalid", "currency",
                    "currency " + code + " has no minor unit and cannot be used for payments");
        }
        return currency;
    }

    public int exponent() {
        return currency.getDefaultFractionDigits();
    }

    public String currencyCode() {
        return currency.getCurrencyCode();
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(amountMinor, other.amountMinor), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.subtractExact(amountMinor, other.amountMinor), currency);
    }

    public Money times(long factor) {
        return new Money(Math.multiplyExact(amountMinor, factor), currency);
    }

    public Money negate() {
        return new Money(Math.negateExact(amountMinor), currency);
    }

    public boolean isPositive() {
        return amountMinor > 0;
    }

    public boolean isZero() {
        return amountMinor == 0;
    }

    public boolean isNegative() {
        return amountMinor < 0;
    }

    public boolean greaterThan(Money other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return Long.compare(amountMinor, other.amountMinor);
    }

    /** The amount in major units as an exact decimal, e.g. 1050 RUB -> 10.50. */
    public BigDecimal toMajor() {
        return BigDecimal.valueOf(amountMinor, exponent());
    }

    public void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new CurrencyMismatchException(currency, other.currency);
        }
    }

    @Override
    public String toString() {
        return toMajor().toPlainString() + " " + currency.getCurrencyCode();
    }

    /** Two amounts in different currencies were combined. */
    public static final class CurrencyMismatchException extends MoneytrailException {
        public CurrencyMismatchException(Currency left, Currency right) {
            super(ErrorType.INVALID_REQUEST, 400, "currency_mismatch", "currency",
                    "cannot combine " + left.getCurrencyCode() + " with " + right.getCurrencyCode());
        }
    }
}
