package io.moneytrail.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Stripe request's parameters, form-encoded as Stripe takes them: nested hashes as
 * {@code metadata[order_id]=…}, arrays as {@code line_items[0][quantity]=1}. Keys are kept flat;
 * readers ask for the path they need and get Stripe's own error for a missing or bad value.
 */
final class StripeForm {

    /** Stripe's bounds: 50 metadata keys of 40 characters, values of 500. */
    static final int METADATA_KEYS_MAX = 50;
    static final int METADATA_KEY_MAX = 40;
    static final int METADATA_VALUE_MAX = 500;
    static final int STRING_MAX = 5_000;

    private final Map<String, String> values;

    StripeForm(Map<String, String[]> parameters) {
        Map<String, String> flat = new TreeMap<>();
        parameters.forEach((key, value) -> {
            if (value.length > 0) {
                flat.put(key, value[0]);
            }
        });
        this.values = flat;
    }

    String string(String path) {
        String value = values.get(path);
        if (value != null && value.length() > STRING_MAX) {
            throw StripeError.invalid("parameter_invalid_string_too_long", "Invalid string: " + path
                    + " must be at most " + STRING_MAX + " characters", path);
        }
        return value == null || value.isEmpty() ? null : value;
    }

    String required(String path) {
        String value = string(path);
        if (value == null) {
            throw StripeError.missingParam(path);
        }
        return value;
    }

    Long integer(String path) {
        String value = string(path);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw StripeError.invalid("parameter_invalid_integer", "Invalid integer: " + value, path);
        }
    }

    long positive(String path) {
        Long value = integer(path);
        if (value == null) {
            throw StripeError.missingParam(path);
        }
        if (value < 1 || value > SandboxService.AMOUNT_MAX) {
            throw StripeError.invalid("parameter_invalid_integer", "This value must be greater than or equal to 1.",
                    path);
        }
        return value;
    }

    /** {@code prefix[key]=value} pairs, as a map in key order. */
    Map<String, String> hash(String prefix) {
        Map<String, String> hash = new LinkedHashMap<>();
        String start = prefix + "[";
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(start) && key.endsWith("]") && key.indexOf('[', start.length()) < 0) {
                hash.put(key.substring(start.length(), key.length() - 1), entry.getValue());
            }
        }
        return hash;
    }

    /** Metadata within Stripe's bounds. */
    Map<String, String> metadata(String prefix) {
        Map<String, String> metadata = hash(prefix);
        if (metadata.size() > METADATA_KEYS_MAX) {
            throw StripeError.invalid("parameter_invalid_metadata", "You can specify up to " + METADATA_KEYS_MAX
                    + " metadata keys.", prefix);
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (entry.getKey().length() > METADATA_KEY_MAX || entry.getValue().length() > METADATA_VALUE_MAX) {
                throw StripeError.invalid("parameter_invalid_metadata", "Metadata keys can be at most "
                        + METADATA_KEY_MAX + " characters and values at most " + METADATA_VALUE_MAX + ".",
                        prefix + "[" + entry.getKey() + "]");
            }
        }
        return metadata;
    }

    /** Everything sent, for the idempotency fingerprint: the same parameters are the same request. */
    Map<String, String> all() {
        return values;
    }

    /** {@code expand[]} / {@code expand[0]} values. */
    boolean expands(String field) {
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (entry.getKey().startsWith("expand[") && field.equals(entry.getValue())) {
                return true;
            }
        }
        return false;
    }
}
