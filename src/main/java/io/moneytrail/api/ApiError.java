package io.moneytrail.api;

import io.moneytrail.money.ErrorType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import tools.jackson.databind.ObjectMapper;

/** The error envelope: {@code {"error": {"type", "code", "message", "param"}}}. */
record ApiError(int httpStatus, ErrorType type, String code, String message, String param) {

    /** Answers with this error, where no controller runs (the API's filters). */
    void writeTo(HttpServletResponse response, ObjectMapper json) throws IOException {
        response.setStatus(httpStatus);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(body()));
    }

    Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type.wireName());
        error.put("code", code);
        error.put("message", message);
        error.put("param", param);
        return Map.of("error", error);
    }
}
