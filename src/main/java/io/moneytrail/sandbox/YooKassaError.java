package io.moneytrail.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * A refusal of the YooKassa dialect, answered in YooKassa's error shape
 * (https://yookassa.ru/developers/using-api/response-handling/response-format):
 * {@code {"type": "error", "id": …, "code": …, "description": …, "parameter": …}}.
 */
final class YooKassaError extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String parameter;

    private YooKassaError(HttpStatus status, String code, String description, String parameter) {
        super(description, null, false, false);
        this.status = status;
        this.code = code;
        this.parameter = parameter;
    }

    static YooKassaError invalid(String parameter, String description) {
        return new YooKassaError(HttpStatus.BAD_REQUEST, "invalid_request", description, parameter);
    }

    static YooKassaError credentials() {
        return new YooKassaError(HttpStatus.UNAUTHORIZED, "invalid_credentials",
                "Authentication by given credentials failed", "Authorization");
    }

    static YooKassaError notFound(String what, String id) {
        return new YooKassaError(HttpStatus.NOT_FOUND, "not_found", "Incorrect " + what + " id: " + id, null);
    }

    /** A sandbox refusal in YooKassa's terms: YooKassa answers a wrong state or amount with a 400. */
    static YooKassaError of(SandboxException e) {
        if (e.status() == HttpStatus.INTERNAL_SERVER_ERROR) {
            return new YooKassaError(HttpStatus.INTERNAL_SERVER_ERROR, "internal_server_error",
                    "Internal server error; the result of the request is unknown", null);
        }
        if (e.status() == HttpStatus.NOT_FOUND) {
            return new YooKassaError(HttpStatus.NOT_FOUND, "not_found", e.getMessage(), null);
        }
        String parameter = switch (e.code()) {
            case "idempotency_mismatch" -> "Idempotence-Key";
            case "amount_too_large" -> "amount";
            default -> null;
        };
        String description = "idempotency_mismatch".equals(e.code())
                ? "Idempotence key duplicated: it was used with other parameters" : e.getMessage();
        return new YooKassaError(HttpStatus.BAD_REQUEST, "invalid_request", description, parameter);
    }

    ResponseEntity<byte[]> response() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "error");
        body.put("id", UUID.randomUUID().toString());
        body.put("code", code);
        body.put("description", getMessage());
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(SandboxJson.bytes(body));
    }
}
