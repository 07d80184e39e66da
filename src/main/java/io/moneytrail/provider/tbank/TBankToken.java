package io.moneytrail.provider.tbank;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * T-Bank's request signature ("Токен" in its API reference): the values of the root-level
 * scalar parameters together with {@code Password}, sorted by parameter name and concatenated,
 * hashed with SHA-256 (UTF-8) and written as lower-case hex. {@code Token} itself, the nested
 * {@code DATA} and {@code Receipt}, and any other object or array are left out; booleans enter
 * as {@code true}/{@code false}, numbers as their decimal digits. Notifications are signed the
 * same way. (The sandbox's T-Bank dialect has its own implementation: two independent ones
 * meeting on the documented test vectors are the check.)
 */
final class TBankToken {

    /** Never part of the token, whatever their value. */
    static final Set<String> EXCLUDED = Set.of("Token", "DATA", "Receipt");

    private TBankToken() {
    }

    /** The token of a request about to be sent: {@code parameters} holds its root-level parameters. */
    static String of(Map<String, ?> parameters, String password) {
        Map<String, String> values = new TreeMap<>();
        parameters.forEach((name, value) -> {
            if (!EXCLUDED.contains(name) && isScalar(value)) {
                values.put(name, String.valueOf(value));
            }
        });
        values.put("Password", password);
        return sha256(String.join("", values.values()));
    }

    /** The token of a received JSON object (a notification, or a request the sandbox checks). */
    static String of(JsonNode root, String password) {
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            JsonNode value = field.getValue();
            if (!EXCLUDED.contains(field.getKey()) && value.isValueNode() && !value.isNull()) {
                values.put(field.getKey(), value.asString());
            }
        }
        values.put("Password", password);
        return sha256(String.join("", values.values()));
    }

    /** True when {@code root} carries the token its own parameters call for (compared in constant time). */
    static boolean matches(JsonNode root, String password) {
        JsonNode given = root.get("Token");
        if (given == null || !given.isString()) {
            return false;
        }
        byte[] expected = of(root, password).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = given.asString().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }

    private static boolean isScalar(Object value) {
        return value instanceof CharSequence || value instanceof Number || value instanceof Boolean;
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
