package io.moneytrail.reconciliation.importer;

import io.moneytrail.reconciliation.ImportProblem;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.StatementPeriod;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Row problems of one file: the first few kept in detail, all counted, each passed on. */
final class Problems {

    private final String file;
    private final int keptMax;
    private final Consumer<ImportProblem> listener;
    private final List<ImportProblem> kept = new ArrayList<>();
    private long total;

    Problems(String file, int keptMax, Consumer<ImportProblem> listener) {
        this.file = file;
        this.keptMax = keptMax;
        this.listener = listener;
    }

    void add(long line, String reason) {
        total++;
        ImportProblem problem = new ImportProblem(file, line, reason);
        if (kept.size() < keptMax) {
            kept.add(problem);
        }
        listener.accept(problem);
    }

    long total() {
        return total;
    }

    ImportSummary summary(String format, long accepted, long rejected, long bytes) {
        return summary(format, accepted, rejected, bytes, null);
    }

    ImportSummary summary(String format, long accepted, long rejected, long bytes, StatementPeriod period) {
        return new ImportSummary(file, format, accepted, rejected, bytes, List.copyOf(kept), total, period);
    }
}
