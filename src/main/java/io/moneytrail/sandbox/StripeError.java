package io.moneytrail.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A refusal of the Stripe dialect, answered in Stripe's error shape:
 * {@code {"error":{"type":…,"code":…,"message":…,"param":…}}} with Stripe's HTTP status (400
 * invalid request, 401 bad key, 402 card error, 404 missing object, 500 api error).
 */
final class StripeError extends RuntimeException {

    static final String INVALID_REQUEST = "invalid_request_error";
    static final String IDEMPOTENCY = "idempotency_error";
    static final String CARD = "card_error";
    static final String API = "api_error";

    private final HttpStatus status;
    private final String type;
    private final String code;
    private final String param;

    StripeError(HttpStatus status, String type, String code, String message, String param) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    HttpStatus status() {
        return status;
    }

    static StripeError invalid(String code, String message, String param) {
        return new StripeError(HttpStatus.BAD_REQUEST, INVALID_REQUEST, code, message, param);
    }

    static StripeError missingParam(String param) {
        return invalid("parameter_missing", "Missing required param: " + param + ".", param);
    }

    static StripeError noSuch(String object, String id, String param) {
        return new StripeError(HttpStatus.NOT_FOUND, INVALID_REQUEST, "resource_missing",
                "No such " + object + ": '" + id + "'", param);
    }

    static StripeError unexpectedState(String object, String id, String status, String action) {
        return invalid(object.equals("checkout.session") ? "checkout_session_unexpected_state"
                : object + "_unexpected_state", "This " + object.replace('_', ' ') + " (" + id + ") has a status of "
                + status + "; " + action, null);
    }

    static StripeError unauthorized(String message) {
        return new StripeError(HttpStatus.UNAUTHORIZED, INVALID_REQUEST, null, message, null);
    }

    /** The JSON body, as Stripe writes it (absent fields are left out). */
    Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        if (code != null) {
            error.put("code", code);
            error.put("doc_url", "https://docs.stripe.com/error-codes/" + code.replace('_', '-'));
        }
        error.put("message", getMessage());
        if (param != null) {
            error.put("param", param);
        }
        error.put("type", type);
        return Map.of("error", error);
    }
}
