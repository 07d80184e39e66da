package io.moneytrail.access;

import io.moneytrail.money.ErrorType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The API's error envelope, {@code {"error":{"type","code","message","param"}}}, written where
 * no controller runs: the firewall, authentication, authorisation, and Tomcat's own error
 * report. Messages are ours (fixed text), never echoes of the request.
 */
final class ErrorEnvelope {

    private ErrorEnvelope() {
    }

    static void write(HttpServletResponse response, int status, ErrorType type, String code, String message)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(json(type, code, message).getBytes(StandardCharsets.UTF_8));
    }

    static String json(ErrorType type, String code, String message) {
        return "{\"error\":{\"type\":" + quote(type.wireName()) + ",\"code\":" + quote(code)
                + ",\"message\":" + quote(message) + ",\"param\":null}}";
    }

    private static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A message safe to show: printable ASCII, at most 200 characters. */
    static String printable(String message) {
        if (message == null) {
            return "";
        }
        String ascii = message.replaceAll("[^\\x20-\\x7e]", "?");
        return ascii.length() > 200 ? ascii.substring(0, 200) + "..." : ascii;
    }

    /** The code and message for a bare HTTP status, when only the status is known. */
    static String[] forStatus(int status) {
        return switch (status) {
            case 400 -> new String[] {"request_malformed", "the request is malformed"};
            case 401 -> new String[] {"invalid_api_key", "send a valid secret key as 'Authorization: Bearer <key>'"};
            case 403 -> new String[] {"permission_denied", "this key may not do that"};
            case 404 -> new String[] {"route_missing", "no such endpoint"};
            case 405 -> new String[] {"method_not_allowed", "this method is not allowed here"};
            case 406 -> new String[] {"not_acceptable", "responses are JSON"};
            case 408 -> new String[] {"request_timeout", "the request took too long to arrive"};
            case 413 -> new String[] {"body_too_large", "the request body is too large"};
            case 414 -> new String[] {"uri_too_long", "the request URI is too long"};
            case 415 -> new String[] {"content_type_unsupported", "send application/json"};
            case 431 -> new String[] {"headers_too_large", "the request headers are too large"};
            case 503 -> new String[] {"service_unavailable", "the service is unavailable; retry later"};
            default -> status >= 500
                    ? new String[] {"internal_error", "internal error"}
                    : new String[] {"request_invalid", "the request was refused (HTTP " + status + ")"};
        };
    }

    static ErrorType typeFor(int status) {
        if (status == 401 || status == 403) {
            return ErrorType.AUTHENTICATION;
        }
        return status >= 500 ? ErrorType.API : ErrorType.INVALID_REQUEST;
    }
}
