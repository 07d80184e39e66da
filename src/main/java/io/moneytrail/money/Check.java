package io.moneytrail.money;

/**
 * Always-on assertions for programmer errors (Java's {@code assert} is off by default).
 * Operating errors such as bad input or a declined card are {@link MoneytrailException}s.
 */
public final class Check {

    private Check() {
    }

    public static void that(boolean condition, String invariant) {
        if (!condition) {
            throw new IllegalStateException("invariant violated: " + invariant);
        }
    }
}
