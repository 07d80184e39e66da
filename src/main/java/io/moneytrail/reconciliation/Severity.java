package io.moneytrail.reconciliation;

import java.util.Locale;

/** How urgent a discrepancy is: money lost or taken wrongly comes first. */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
