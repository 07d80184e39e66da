package io.moneytrail.reconciliation;

import java.util.Locale;

/** The three legs of reconciliation, as in the design. */
public enum Leg {
    /** Order vs payments vs ledger (in audit mode: the order export's status vs its own amounts). */
    INTERNAL,
    /** Our orders, payments and refunds vs the provider's report. */
    PROVIDER,
    /** Provider payouts vs bank statement entries. */
    BANK,
    /** Captures, fulfilments and refunds vs their 54-FZ fiscal receipts (database-backed runs only). */
    RECEIPT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
