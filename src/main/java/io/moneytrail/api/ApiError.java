package io.moneytrail.api;

import io.moneytrail.money.ErrorType;
import java.util.LinkedHashMap;
import java.util.Map;

/** The error envelope: {@code {"error": {"type", "code", "message", "param"}}}. */
record ApiError(int httpStatus, ErrorType type, String code, String message, String param) {

    Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type.wireName());
        error.put("code", code);
        error.put("message", message);
        error.put("param", param);
        return Map.of("error", error);
    }
}
