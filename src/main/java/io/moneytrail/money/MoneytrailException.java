package io.moneytrail.money;

/**
 * An expected, named failure that the API turns into its error envelope: bad input, a move
 * not allowed in the current state, a missing object, a provider that refused. Programmer
 * errors are not this type; they are {@link IllegalStateException}s from {@link Check}.
 */
public class MoneytrailException extends RuntimeException {

    private final ErrorType type;
    private final int httpStatus;
    private final String code;
    private final String param;

    public MoneytrailException(ErrorType type, int httpStatus, String code, String param, String message) {
        super(message);
        this.type = type;
        this.httpStatus = httpStatus;
        this.code = code;
        this.param = param;
    }

    public static MoneytrailException invalid(String code, String param, String message) {
        return new MoneytrailException(ErrorType.INVALID_REQUEST, 400, code, param, message);
    }

    public static MoneytrailException notFound(String param, String id) {
        return new MoneytrailException(ErrorType.INVALID_REQUEST, 404, "resource_missing", param,
                "no such object: " + id);
    }

    public static MoneytrailException state(String code, String message) {
        return new MoneytrailException(ErrorType.STATE, 409, code, null, message);
    }

    public static MoneytrailException provider(String code, String message) {
        return new MoneytrailException(ErrorType.PROVIDER, 502, code, null, message);
    }

    public ErrorType type() {
        return type;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }
}
