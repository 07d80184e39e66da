package io.moneytrail.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a sandbox payment looks in T-Bank's terms: its status, its current {@code Amount}, the
 * error of a refused payment, the token, and the T-Bank fields the dialect keeps with each
 * payment ({@code dialect_data}). Statuses follow T-Bank's status model: NEW until the customer
 * pays; AUTHORIZED (two-stage) or CONFIRMED (one-stage, or after Confirm); REVERSED or CANCELED
 * when cancelled before or after authorisation; PARTIAL_REFUNDED and REFUNDED after refunds;
 * REJECTED for a decline, AUTH_FAIL for a failed 3-D Secure, DEADLINE_EXPIRED for an expired link.
 * {@code Amount} is the payment's current amount, as T-Bank's Cancel answer ({@code NewAmount})
 * describes it: authorised until Confirm, then confirmed less refunded.
 */
final class TBankWire {

    static final String DIALECT = "tbank";

    /** Declined by the "bank" (T-Bank's code for insufficient funds) and failed 3-D Secure. */
    static final String DECLINE_CODE = "1051";
    static final String DECLINE_MESSAGE = "Недостаточно средств на карте";
    static final String THREE_DS_CODE = "101";
    static final String THREE_DS_MESSAGE = "Не пройдена идентификация 3DS";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TBankWire() {
    }

    /** What Init gave that the common fields do not keep. */
    record Data(String terminalKey, String orderId, String payType, String description, String notificationUrl,
                String successUrl, String failUrl, Map<String, String> data) {

        String json() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("TerminalKey", terminalKey);
            map.put("OrderId", orderId);
            map.put("PayType", payType);
            map.put("Description", description);
            map.put("NotificationURL", notificationUrl);
            map.put("SuccessURL", successUrl);
            map.put("FailURL", failUrl);
            map.put("DATA", data);
            return SandboxJson.string(map);
        }

        static Data of(SandboxPayment payment) {
            JsonNode node;
            try {
                node = payment.dialectData() == null ? JSON.createObjectNode() : JSON.readTree(payment.dialectData());
            } catch (JacksonException e) {
                node = JSON.createObjectNode();
            }
            Map<String, String> data = new LinkedHashMap<>();
            node.path("DATA").properties().forEach(e -> data.put(e.getKey(), e.getValue().asString("")));
            return new Data(text(node, "TerminalKey"), text(node, "OrderId"), text(node, "PayType"),
                    text(node, "Description"), text(node, "NotificationURL"), text(node, "SuccessURL"),
                    text(node, "FailURL"), data);
        }

        private static String text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            return value == null || value.isNull() ? null : value.asString();
        }
    }

    static String status(SandboxPayment p) {
        switch (p.status()) {
            case SandboxPayment.PENDING:
                return "NEW";
            case SandboxPayment.WAITING_FOR_CAPTURE:
                return "AUTHORIZED";
            case SandboxPayment.SUCCEEDED:
                if (p.amountRefunded() == 0) {
                    return "CONFIRMED";
                }
                return p.amountRefunded() < p.amountCaptured() ? "PARTIAL_REFUNDED" : "REFUNDED";
            case SandboxPayment.CANCELED:
                if (SandboxPayment.REASON_VOIDED.equals(p.cancellationReason())) {
                    return p.amountAuthorized() > 0 ? "REVERSED" : "CANCELED";
                }
                if (SandboxPayment.REASON_3DS_FAILED.equals(p.cancellationReason())) {
                    return "AUTH_FAIL";
                }
                if ("expired".equals(p.cancellationReason())) {
                    return "DEADLINE_EXPIRED";
                }
                return "REJECTED";
            default:
                throw new IllegalStateException("sandbox status " + p.status() + " has no T-Bank status");
        }
    }

    /** T-Bank's {@code Amount} of the payment now. */
    static long currentAmount(SandboxPayment p) {
        return switch (status(p)) {
            case "CONFIRMED", "PARTIAL_REFUNDED", "REFUNDED" -> p.amountCaptured() - p.amountRefunded();
            case "REVERSED" -> 0;
            default -> p.amount();
        };
    }

    /** The error a refused payment carries ({@code ErrorCode}, {@code Message}), or null. */
    static String[] error(SandboxPayment p) {
        return switch (status(p)) {
            case "REJECTED" -> new String[] {DECLINE_CODE, DECLINE_MESSAGE};
            case "AUTH_FAIL" -> new String[] {THREE_DS_CODE, THREE_DS_MESSAGE};
            default -> null;
        };
    }

    /**
     * T-Bank's Token of a JSON object: root-level scalars but {@code Token} (nested objects and
     * arrays, {@code DATA} and {@code Receipt} among them, stay out) plus {@code Password}, sorted
     * by name, values concatenated, SHA-256, lower-case hex.
     */
    static String token(JsonNode root, String password) {
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            JsonNode value = field.getValue();
            if (!"Token".equals(field.getKey()) && value.isValueNode() && !value.isNull()) {
                values.put(field.getKey(), value.asString());
            }
        }
        values.put("Password", password);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("", values.values()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** {@code map} as JSON with its Token added (the token of exactly what is sent). */
    static String signed(Map<String, Object> map, String password) {
        JsonNode node = JSON.valueToTree(map);
        map.put("Token", token(node, password));
        return SandboxJson.string(map);
    }

    static JsonNode tree(Map<String, Object> map) {
        return JSON.valueToTree(map);
    }
}
