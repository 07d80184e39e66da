package io.moneytrail.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON in and out of the sandbox. It uses its own mapper rather than the application's, so
 * that its wire format (snake_case maps, nulls always written) cannot change when someone
 * tunes the application's Jackson settings.
 */
final class SandboxJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private SandboxJson() {
    }

    static byte[] bytes(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    static String string(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** {@code {"error":{"code":…,"message":…}}} */
    static byte[] error(String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        return bytes(Map.of("error", error));
    }

    /** Hex SHA-256 of the JSON form of {@code value}: how idempotency recognises "the same request". */
    static String fingerprint(Object value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(value)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e); // mandatory in every Java runtime
        }
    }

    /** A request body: a JSON object, or nothing (an absent or empty body reads as {@code {}}). */
    static Body body(byte[] raw) {
        if (raw == null || new String(raw, StandardCharsets.UTF_8).isBlank()) {
            return new Body(MAPPER.createObjectNode());
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(raw);
        } catch (JacksonException e) {
            throw SandboxException.badRequest("invalid_json", "request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw SandboxException.badRequest("invalid_json", "request body must be a JSON object");
        }
        return new Body(node);
    }

    /** Typed, validating access to the fields of a request body; every failure is a 400. */
    record Body(JsonNode node) {

        /** A string field, or null if absent or null. */
        String string(String field, int maxLength) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isString()) {
                throw SandboxException.badRequest("parameter_invalid", field + " must be a string");
            }
            String text = value.stringValue();
            if (text.length() > maxLength) {
                throw SandboxException.badRequest("parameter_invalid",
                        field + " is at most " + maxLength + " characters");
            }
            return text;
        }

        String requiredString(String field, int maxLength) {
            String text = string(field, maxLength);
            if (text == null || text.isBlank()) {
                throw SandboxException.badRequest("parameter_missing", field + " is required");
            }
            return text;
        }

        /** An integer field, or null if absent or null; fractions and strings are refused. */
        Long integer(String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw SandboxException.badRequest("parameter_invalid", field + " must be an integer");
            }
            return value.longValue();
        }

        long requiredInteger(String field) {
            Long number = integer(field);
            if (number == null) {
                throw SandboxException.badRequest("parameter_missing", field + " is required");
            }
            return number;
        }
    }
}
