package io.moneytrail.reconciliation;

import java.time.LocalDate;

/**
 * The days a bank statement says it covers, from its own header (not from its entries): camt.053
 * {@code Stmt/FrToDt} and the closing balance's date ({@code Bal} of type {@code CLBD}), MT940
 * {@code :60F:} and {@code :62F:} dates, 1CClientBankExchange {@code ДатаНачала} and
 * {@code ДатаКонца}. The bank leg judges payouts against it: one whose latest expected arrival is
 * on or before {@code to} and is not in the statement is not received; only one expected after
 * {@code to} is in transit.
 *
 * @param from first day covered, or null when the statement does not say
 * @param to last day covered (inclusive)
 * @param source which fields said so, for the report (e.g. {@code camt.053 FrToDt/ToDtTm, Bal CLBD})
 */
public record StatementPeriod(LocalDate from, LocalDate to, String source) {

    public StatementPeriod {
        if (to == null) {
            throw new IllegalArgumentException("a statement period needs its last day");
        }
        if (from != null && from.isAfter(to)) {
            throw new IllegalArgumentException("a statement period starts " + from + " after it ends " + to);
        }
    }

    /** Both periods as one (several statements in one file): the earliest start, the latest end. */
    public StatementPeriod union(StatementPeriod other) {
        if (other == null) {
            return this;
        }
        LocalDate start = from == null || other.from == null ? null : from.isBefore(other.from) ? from : other.from;
        LocalDate end = to.isAfter(other.to) ? to : other.to;
        return new StatementPeriod(start, end, source.equals(other.source) ? source : source + "; " + other.source);
    }

    @Override
    public String toString() {
        return (from == null ? "…" : from.toString()) + " – " + to + " (" + source + ")";
    }
}
