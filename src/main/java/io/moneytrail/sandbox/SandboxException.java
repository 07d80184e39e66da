package io.moneytrail.sandbox;

import org.springframework.http.HttpStatus;

/** A refusal the sandbox answers as {@code {"error":{"code":…,"message":…}}} with its status. */
final class SandboxException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    private SandboxException(HttpStatus status, String code, String message) {
        super(message, null, false, false); // a normal answer, not a failure: no stack trace needed
        this.status = status;
        this.code = code;
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    static SandboxException badRequest(String code, String message) {
        return new SandboxException(HttpStatus.BAD_REQUEST, code, message);
    }

    static SandboxException notFound(String what, String id) {
        return new SandboxException(HttpStatus.NOT_FOUND, "not_found", "no such " + what + ": " + id);
    }

    static SandboxException invalidState(String message) {
        return new SandboxException(HttpStatus.CONFLICT, "invalid_state", message);
    }

    static SandboxException amountTooLarge(String message) {
        return new SandboxException(HttpStatus.UNPROCESSABLE_CONTENT, "amount_too_large", message);
    }

    static SandboxException bodyTooLarge(int maxBytes) {
        return new SandboxException(HttpStatus.CONTENT_TOO_LARGE, "body_too_large",
                "request body is larger than " + maxBytes + " bytes");
    }

    /** The {@code error_500} API fault. */
    static SandboxException injected() {
        return new SandboxException(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "injected fault");
    }
}
