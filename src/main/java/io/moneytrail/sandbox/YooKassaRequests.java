package io.moneytrail.sandbox;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Currency;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The YooKassa dialect's request bodies, validated as YooKassa documents them
 * (https://yookassa.ru/developers/api): amounts as {@code {"value": "100.00", "currency": "RUB"}}
 * with no more decimals than the currency has, metadata of at most 16 string values, and so
 * on. Every refusal names the parameter, as YooKassa's errors do.
 */
final class YooKassaRequests {

    static final int DESCRIPTION_MAX = 128;
    static final int METADATA_KEYS_MAX = 16;
    static final int METADATA_KEY_MAX = 32;
    static final int METADATA_VALUE_MAX = 512;
    static final int URL_MAX = 2_048;
    private static final Pattern VALUE = Pattern.compile("\\d{1,15}(\\.\\d{1,3})?");

    private YooKassaRequests() {
    }

    /** {@code POST /v3/payments}; {@code capture} defaults to false, as at YooKassa. */
    record NewPayment(long amount, String currency, boolean capture, String returnUrl, String description,
                      JsonNode metadata) {

        static NewPayment from(JsonNode body) {
            JsonNode amountNode = body.get("amount");
            String currency = currencyOf(amountNode, "amount");
            long amount = amountMinor(amountNode, currency, "amount");
            JsonNode capture = body.get("capture");
            if (capture != null && !capture.isNull() && !capture.isBoolean()) {
                throw YooKassaError.invalid("capture", "capture must be true or false");
            }
            JsonNode confirmation = body.get("confirmation");
            if (confirmation == null || !confirmation.isObject()) {
                throw YooKassaError.invalid("confirmation", "the sandbox takes payments with a confirmation object");
            }
            if (!"redirect".equals(text(confirmation, "type", 20, "confirmation.type"))) {
                throw YooKassaError.invalid("confirmation.type", "the sandbox supports confirmation type redirect only");
            }
            String returnUrl = text(confirmation, "return_url", URL_MAX, "confirmation.return_url");
            if (returnUrl == null || !absoluteHttp(returnUrl)) {
                throw YooKassaError.invalid("confirmation.return_url",
                        "confirmation.return_url is required for redirect and must be an absolute http(s) URL");
            }
            return new NewPayment(amount, currency, capture != null && capture.asBoolean(), returnUrl,
                    text(body, "description", DESCRIPTION_MAX, "description"), checkedMetadata(body.get("metadata")));
        }

        /** What makes two requests with one key "the same". */
        Object fingerprint() {
            return Map.of("amount", amount, "currency", currency, "capture", capture, "return_url", returnUrl,
                    "description", String.valueOf(description), "metadata", String.valueOf(metadata));
        }
    }

    /** {@code POST /v3/refunds}. */
    record NewRefund(String paymentId, JsonNode amount, String description, JsonNode metadata) {

        static NewRefund from(JsonNode body) {
            String paymentId = text(body, "payment_id", 36, "payment_id");
            if (paymentId == null) {
                throw YooKassaError.invalid("payment_id", "payment_id is required");
            }
            JsonNode amount = body.get("amount");
            if (amount == null || amount.isNull()) {
                throw YooKassaError.invalid("amount", "amount is required");
            }
            return new NewRefund(paymentId, amount, text(body, "description", 250, "description"),
                    checkedMetadata(body.get("metadata")));
        }

        /** The metadata's {@code refund_id} (a merchant's own id for the refund), or null. */
        String merchantReference() {
            JsonNode value = metadata == null ? null : metadata.get("refund_id");
            return value == null ? null : value.asString();
        }
    }

    /** The minor units of an amount object in {@code expectedCurrency}. */
    static long amountMinor(JsonNode amount, String expectedCurrency, String parameter) {
        String currency = currencyOf(amount, parameter);
        if (!currency.equals(expectedCurrency)) {
            throw YooKassaError.invalid(parameter + ".currency", parameter + ".currency must be the payment's, "
                    + expectedCurrency);
        }
        String value = text(amount, "value", 20, parameter + ".value");
        if (value == null || !VALUE.matcher(value).matches()) {
            throw YooKassaError.invalid(parameter + ".value", parameter
                    + ".value must be a decimal string with a dot, such as \"100.00\"");
        }
        BigDecimal minor = new BigDecimal(value).movePointRight(Currency.getInstance(currency)
                .getDefaultFractionDigits());
        if (minor.stripTrailingZeros().scale() > 0) {
            throw YooKassaError.invalid(parameter + ".value", parameter + ".value has more decimals than "
                    + currency + " has");
        }
        long amountMinor = minor.longValue();
        if (amountMinor <= 0 || amountMinor > SandboxService.AMOUNT_MAX) {
            throw YooKassaError.invalid(parameter + ".value", parameter + ".value is out of range");
        }
        return amountMinor;
    }

    private static String currencyOf(JsonNode amount, String parameter) {
        if (amount == null || !amount.isObject()) {
            throw YooKassaError.invalid(parameter, parameter + " is required: {\"value\": \"100.00\", \"currency\": \"RUB\"}");
        }
        String currency = text(amount, "currency", 3, parameter + ".currency");
        try {
            if (currency == null || Currency.getInstance(currency).getDefaultFractionDigits() < 0) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw YooKassaError.invalid(parameter + ".currency", parameter
                    + ".currency must be an ISO 4217 code, such as RUB");
        }
        return currency;
    }

    private static JsonNode checkedMetadata(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return null;
        }
        if (!metadata.isObject() || metadata.size() > METADATA_KEYS_MAX) {
            throw YooKassaError.invalid("metadata", "metadata is an object of at most " + METADATA_KEYS_MAX + " keys");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = metadata.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().length() > METADATA_KEY_MAX || !field.getValue().isString()
                    || field.getValue().asString().length() > METADATA_VALUE_MAX) {
                throw YooKassaError.invalid("metadata", "metadata keys are at most " + METADATA_KEY_MAX
                        + " characters and values strings of at most " + METADATA_VALUE_MAX);
            }
        }
        return metadata;
    }

    /** A text field of at most {@code maxLength} characters, or null when absent; anything else is YooKassa's 400. */
    static String text(JsonNode node, String field, int maxLength, String parameter) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString() || value.asString().length() > maxLength) {
            throw YooKassaError.invalid(parameter, parameter + " must be a string of at most " + maxLength
                    + " characters");
        }
        return value.asString();
    }

    private static boolean absoluteHttp(String url) {
        try {
            URI uri = new URI(url);
            return uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
