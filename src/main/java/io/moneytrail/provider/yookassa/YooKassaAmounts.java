package io.moneytrail.provider.yookassa;

import io.moneytrail.money.Money;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * YooKassa's amount object, {@code {"value": "100.00", "currency": "RUB"}}: the value a decimal
 * string with a dot and as many decimals as the currency has (RUB 2, a zero-decimal currency
 * none), no thousands separator. Converted exactly, never through {@code double}.
 */
final class YooKassaAmounts {

    private static final Pattern DECIMAL = Pattern.compile("\\d{1,15}(\\.\\d{1,3})?");

    private YooKassaAmounts() {
    }

    static Map<String, Object> amount(Money money) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("value", value(money));
        json.put("currency", money.currencyCode());
        return json;
    }

    /** {@code 10000} RUB minor units is {@code "100.00"}; JPY {@code 500} is {@code "500"}. */
    static String value(Money money) {
        return BigDecimal.valueOf(money.amountMinor(), money.exponent()).toPlainString();
    }

    /**
     * Minor units of an amount object, strictly: the value must be a plain decimal with no more
     * significant decimals than the currency has.
     *
     * @throws IllegalArgumentException when the object is missing or malformed
     */
    static Money parse(JsonNode amount) {
        if (amount == null || !amount.isObject()) {
            throw new IllegalArgumentException("amount object missing");
        }
        JsonNode value = amount.get("value");
        JsonNode currency = amount.get("currency");
        if (value == null || !value.isString() || currency == null || !currency.isString()) {
            throw new IllegalArgumentException("amount lacks a string value or currency");
        }
        return parse(value.asString(), currency.asString());
    }

    /** As {@link #parse(JsonNode)}, for a value and currency read separately. */
    static Money parse(String text, String currencyCode) {
        if (text == null || !DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException("amount value '" + text + "' is not a plain decimal");
        }
        Money zero = Money.of(0, currencyCode);
        BigDecimal minor = new BigDecimal(text).movePointRight(zero.exponent());
        try {
            return Money.of(minor.longValueExact(), currencyCode);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount value '" + text + "' has more decimals than "
                    + currencyCode + " allows");
        }
    }
}
