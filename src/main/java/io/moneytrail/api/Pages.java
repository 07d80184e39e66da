package io.moneytrail.api;

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
}
