package io.moneytrail.reconrun;

import io.moneytrail.money.MoneytrailException;
import io.moneytrail.money.TransitionTable;
import java.util.Locale;

/**
 * An exception's place in the workflow: {@code open -> acknowledged -> resolved | ignored}.
 * A later run reopens a resolved or ignored exception only when its evidence changed.
 */
public enum ExceptionStatus {
    OPEN, ACKNOWLEDGED, RESOLVED, IGNORED;

    /** What can be done to an exception. */
    public enum Action {
        ACKNOWLEDGE, RESOLVE, IGNORE, REOPEN
    }

    public static final TransitionTable<ExceptionStatus, Action> TABLE =
            TransitionTable.of("reconciliation exception", ExceptionStatus.class, Action.class)
                    .allow(OPEN, Action.ACKNOWLEDGE, ACKNOWLEDGED)
                    .allow(ACKNOWLEDGED, Action.RESOLVE, RESOLVED)
                    .allow(ACKNOWLEDGED, Action.IGNORE, IGNORED)
                    .allow(RESOLVED, Action.REOPEN, OPEN)
                    .allow(IGNORED, Action.REOPEN, OPEN)
                    .build();

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExceptionStatus parse(String wire, String param) {
        for (ExceptionStatus status : values()) {
            if (status.wire().equals(wire)) {
                return status;
            }
        }
        throw MoneytrailException.invalid("parameter_invalid", param, param + " is open, acknowledged, resolved or ignored");
    }
}
