package io.moneytrail.api;

import io.moneytrail.money.ErrorType;
import io.moneytrail.money.MoneytrailException;
import jakarta.servlet.http.HttpServletResponse;
import java.sql.SQLException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into the error envelope, never a stack trace. It applies to all
 * handlers (unknown routes and wrong methods have no controller of ours); the sandbox's own
 * advice, ordered first, speaks for the sandbox's controllers.
 */
@RestControllerAdvice
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.LOWEST_PRECEDENCE)
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(MoneytrailException.class)
    ResponseEntity<Object> named(MoneytrailException e) {
        return respond(new ApiError(e.httpStatus(), e.type(), e.code(), e.getMessage(), e.param()));
    }

    /** The request's idempotency claim met another request's: {@link IdempotencyFilter} answers with that one's. */
    @ExceptionHandler(IdempotencyClaims.Taken.class)
    ResponseEntity<Object> claimTaken(IdempotencyClaims.Taken e) {
        return respond(new ApiError(409, ErrorType.IDEMPOTENCY, "idempotency_key_in_use", e.getMessage(),
                IdempotencyFilter.HEADER));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return invalid("parameter_unknown", path(unknown), "unknown parameter '" + unknown.getPropertyName() + "'");
        }
        if (cause instanceof InvalidFormatException format && TextCheck.refused(format) != null) {
            String param = path(format);
            return invalid("parameter_invalid", param, (param == null ? "the body " : param + " ")
                    + TextCheck.refused(format));
        }
        if (cause instanceof InputCoercionException) {
            return invalid("parameter_invalid", path(cause), "number out of range");
        }
        if (cause instanceof JacksonException jackson) {
            String param = path(jackson);
            if (param != null) {
                return invalid("parameter_invalid", param, "invalid value for " + param);
            }
            return invalid("body_invalid", null, "request body is not valid JSON");
        }
        return invalid("body_invalid", null, "request body is missing or unreadable");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e) {
        return invalid("parameter_invalid", e.getName(), "invalid value for " + e.getName());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Object> missingParameter(MissingServletRequestParameterException e) {
        return invalid("parameter_missing", e.getParameterName(), e.getParameterName() + " is required");
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<Object> missingHeader(MissingRequestHeaderException e) {
        return invalid("header_missing", e.getHeaderName(), e.getHeaderName() + " header is required");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e) {
        return respond(new ApiError(405, ErrorType.INVALID_REQUEST, "method_not_allowed",
                e.getMethod() + " is not allowed here", null));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Object> mediaType(HttpMediaTypeNotSupportedException e) {
        return respond(new ApiError(415, ErrorType.INVALID_REQUEST, "content_type_unsupported",
                "send application/json", null));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Object> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return respond(new ApiError(406, ErrorType.INVALID_REQUEST, "not_acceptable", "responses are JSON", null));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Object> noRoute(NoResourceFoundException e) {
        return respond(new ApiError(404, ErrorType.INVALID_REQUEST, "route_missing",
                "no such endpoint: " + e.getResourcePath(), null));
    }

    /** An unknown route where no static files are served (they are only under /admin/assets/). */
    @ExceptionHandler(NoHandlerFoundException.class)
    ResponseEntity<Object> noHandler(NoHandlerFoundException e) {
        return respond(new ApiError(404, ErrorType.INVALID_REQUEST, "route_missing",
                "no such endpoint: " + e.getHttpMethod() + " " + e.getRequestURL(), null));
    }

    /** The client went away during a streamed response (a download cut short): nothing to answer. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void disconnected(AsyncRequestNotUsableException e, HttpServletResponse response) {
        log.debug("Client disconnected during a streamed response: {}", e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletResponse response) {
        ApiError refused = refusedByDatabase(e);
        if (refused != null && !response.isCommitted()) {
            return respond(refused);
        }
        String reference = UUID.randomUUID().toString();
        log.error("Unexpected error (reference {})", reference, e);
        if (response.isCommitted()) {
            // a streamed response failed after it started: the envelope can no longer be sent
            return null;
        }
        return respond(new ApiError(500, ErrorType.API, "internal_error",
                "internal error; reference " + reference, null));
    }

    /**
     * The safety net under the edge checks: a value PostgreSQL refused (text it cannot store, a
     * date or number out of its range, a string too long for its column or index) is the
     * client's bad input, a 400, never a 500. The statement failed, so its transaction rolled
     * back: nothing was written. Logged, because an edge check that names the parameter is
     * missing.
     */
    static ApiError refusedByDatabase(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String message = switch (sql.getSQLState()) {
                    case "22021", "22P05" -> "a text value contains a character that cannot be stored (such as NUL)";
                    case "22008", "22007" -> "a date or time is out of range";
                    case "22003" -> "a number is out of range";
                    case "22001", "54000" -> "a value is too long";
                    default -> null;
                };
                if (message != null) {
                    log.warn("Input refused by the database (SQLState {}): {}", sql.getSQLState(), sql.getMessage());
                    return new ApiError(400, ErrorType.INVALID_REQUEST,
                            message.endsWith("too long") ? "parameter_too_long" : "parameter_invalid", message, null);
                }
            }
        }
        return null;
    }

    private static ResponseEntity<Object> invalid(String code, String param, String message) {
        return respond(new ApiError(400, ErrorType.INVALID_REQUEST, code, message, param));
    }

    static ResponseEntity<Object> respond(ApiError error) {
        return ResponseEntity.status(HttpStatus.valueOf(error.httpStatus())).contentType(MediaType.APPLICATION_JSON)
                .body(error.body());
    }

    /** The JSON path of a bad value in the API's bracket notation: {@code lines[2][unit_amount]}. */
    private static String path(Throwable cause) {
        if (!(cause instanceof JacksonException jackson) || jackson.getPath() == null || jackson.getPath().isEmpty()) {
            return null;
        }
        StringBuilder param = new StringBuilder();
        for (JacksonException.Reference ref : jackson.getPath()) {
            if (ref.getPropertyName() != null) {
                param.append(param.isEmpty() ? ref.getPropertyName() : "[" + ref.getPropertyName() + "]");
            } else if (ref.getIndex() >= 0) {
                param.append('[').append(ref.getIndex()).append(']');
            }
        }
        return param.isEmpty() ? null : param.toString();
    }
}
