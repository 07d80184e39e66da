package io.moneytrail.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Turns every failure in the sandbox's controllers into its error format,
 * {@code {"error":{"code":…,"message":…}}}: bad input is a 400 with a reason, never a 500,
 * and an unexpected failure is a 500 without internals (the log has the stack trace).
 */
@RestControllerAdvice(basePackages = "io.moneytrail.sandbox")
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
@ConditionalOnSandbox
class SandboxErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(SandboxErrorHandler.class);

    @ExceptionHandler(SandboxException.class)
    ResponseEntity<byte[]> refused(SandboxException e) {
        return error(e.status(), e.code(), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<byte[]> unreadable(HttpMessageNotReadableException e) {
        return error(HttpStatus.BAD_REQUEST, "invalid_json", "request body could not be read");
    }

    @ExceptionHandler({ServletRequestBindingException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<byte[]> badParameter(Exception e) {
        return error(HttpStatus.BAD_REQUEST, "parameter_invalid", e.getMessage());
    }

    /** Spring MVC's own refusals (wrong method, media type, …) keep their 4xx status. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<byte[]> other(Exception e) {
        if (e instanceof ErrorResponse refusal && refusal.getStatusCode().is4xxClientError()) {
            String detail = refusal.getBody().getDetail();
            return error(refusal.getStatusCode(), "invalid_request", detail == null ? "request refused" : detail);
        }
        log.error("Sandbox: unexpected failure", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "internal error");
    }

    static ResponseEntity<byte[]> error(HttpStatusCode status, String code, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(SandboxJson.error(code, message));
    }
}
