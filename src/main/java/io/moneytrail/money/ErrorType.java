package io.moneytrail.money;

/** The error types of the API's error envelope, as in the design. */
public enum ErrorType {
    INVALID_REQUEST("invalid_request_error"),
    IDEMPOTENCY("idempotency_error"),
    STATE("state_error"),
    PROVIDER("provider_error"),
    AUTHENTICATION("authentication_error"),
    API("api_error");

    private final String wireName;

    ErrorType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
