package io.moneytrail.access;

import io.moneytrail.money.ErrorType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's error envelope, {@code {"error":{"type","code","message","param"}}}, written where
 * no controller runs: the firewall, authentication, authorisation, and Tomcat's own error
 * report. Messages are ours (fixed text), never echoes of the request.
 */
final class ErrorEnvelope {

    /** A mapper of its own: Tomcat's error report runs where the application's beans may not. */
    private static final JsonMapper JSON = new JsonMapper();

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
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type.wireName());
        error.put("code", code);
        error.put("message", message);
        error.put("param", null);
        return JSON.writeValueAsString(Map.of("error", error));
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
