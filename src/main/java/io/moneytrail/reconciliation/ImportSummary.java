package io.moneytrail.reconciliation;

import java.util.List;

/**
 * What one file gave: its format, rows accepted, rows rejected, and the problems (the first
 * {@link ImportLimits#problemsKeptMax()} in detail, {@code problemsTotal} counting all).
 *
 * @param statementPeriod for a bank statement, the period it declares covering; null for other
 *                        files or a statement that declares none
 */
public record ImportSummary(String file, String format, long rowsAccepted, long rowsRejected, long bytes,
                            List<ImportProblem> problems, long problemsTotal, StatementPeriod statementPeriod) {

    /** A file that is not a bank statement (no period). */
    public ImportSummary(String file, String format, long rowsAccepted, long rowsRejected, long bytes,
                         List<ImportProblem> problems, long problemsTotal) {
        this(file, format, rowsAccepted, rowsRejected, bytes, problems, problemsTotal, null);
    }
}
