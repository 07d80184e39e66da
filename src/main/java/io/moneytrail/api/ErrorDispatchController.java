package io.moneytrail.api;

import io.moneytrail.money.ErrorType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page ({@code /error}): what a filter threw, or a status sent with
 * {@code sendError}, becomes the error envelope (Spring Boot's own would answer its JSON or an
 * HTML page). Nothing of the request or the exception is echoed.
 */
@RestController
class ErrorDispatchController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<Object> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value && value >= 400 && value <= 599 ? value : 500;
        return ApiExceptionHandler.respond(switch (status) {
            case 400 -> new ApiError(400, ErrorType.INVALID_REQUEST, "request_malformed", "the request is malformed", null);
            case 401 -> new ApiError(401, ErrorType.AUTHENTICATION, "invalid_api_key",
                    "send a valid secret key as 'Authorization: Bearer <key>'", null);
            case 403 -> new ApiError(403, ErrorType.AUTHENTICATION, "permission_denied", "this key may not do that", null);
            case 404 -> new ApiError(404, ErrorType.INVALID_REQUEST, "route_missing", "no such endpoint", null);
            case 405 -> new ApiError(405, ErrorType.INVALID_REQUEST, "method_not_allowed", "this method is not allowed here", null);
            case 406 -> new ApiError(406, ErrorType.INVALID_REQUEST, "not_acceptable", "responses are JSON", null);
            case 413 -> new ApiError(413, ErrorType.INVALID_REQUEST, "body_too_large", "the request body is too large", null);
            case 415 -> new ApiError(415, ErrorType.INVALID_REQUEST, "content_type_unsupported", "send application/json", null);
            default -> status >= 500
                    ? new ApiError(status, ErrorType.API, "internal_error", "internal error", null)
                    : new ApiError(status, ErrorType.INVALID_REQUEST, "request_invalid",
                            "the request was refused (HTTP " + status + ")", null);
        });
    }
}
