package io.moneytrail.reconciliation;

import java.util.List;

/**
 * What one file gave: its format, rows accepted, rows rejected, and the problems (the first
 * {@link ImportLimits#problemsKeptMax()} in detail, {@code problemsTotal} counting all).
 */
public record ImportSummary(String file, String format, long rowsAccepted, long rowsRejected, long bytes,
                            List<ImportProblem> problems, long problemsTotal) {
}
