package io.moneytrail.api;

import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;

/** List paging parameters and their bounds. */
final class Pages {

    static final int LIMIT_DEFAULT = 10;
    static final int LIMIT_MAX = 100;

    private Pages() {
    }

    static int limit(Integer requested) {
        if (requested == null) {
            return LIMIT_DEFAULT;
        }
        if (requested < 1 || requested > LIMIT_MAX) {
            throw MoneytrailException.invalid("parameter_invalid", "limit", "limit must be from 1 to " + LIMIT_MAX);
        }
        return requested;
    }

    /**
     * A list's cursor, checked by the shape of the ids it pages ({@code ord_} and 26 ULID
     * characters): anything else is a 400 naming {@code starting_after}, not a query.
     */
    static String cursor(String startingAfter, String prefix) {
        return id(startingAfter, prefix, "starting_after");
    }

    /** An optional id filter or cursor, checked by its shape. */
    static String id(String value, String prefix, String param) {
        if (value != null && !Ids.hasPrefix(value, prefix)) {
            throw MoneytrailException.invalid("parameter_invalid", param,
                    param + " must be an id like " + prefix + "01jd7x0c9m4s3y2r8v6k5t1q0w");
        }
        return value;
    }
}
