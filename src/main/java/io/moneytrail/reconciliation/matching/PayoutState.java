package io.moneytrail.reconciliation.matching;

import java.time.LocalDate;

/** One provider payout: its amount as the bank should see it, and the net of its transactions. */
final class PayoutState {
    final String payoutId;
    final String currency;
    /** Signed as the bank sees it: positive is money into the bank account. */
    long amountMinor;
    LocalDate date;
    final long line;
    boolean explicit;
    boolean reversed;
    long transactionsNetMinor;
    long transactionCount;
    String bankRef;

    PayoutState(String payoutId, String currency, long amountMinor, LocalDate date, long line, boolean explicit) {
        this.payoutId = payoutId;
        this.currency = currency;
        this.amountMinor = amountMinor;
        this.date = date;
        this.line = line;
        this.explicit = explicit;
    }
}
