package io.moneytrail.reconciliation.importer;

import io.moneytrail.reconciliation.ImportProblem;
import io.moneytrail.reconciliation.ImportSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Test fixtures (written by us, in the documented shapes) and a collector for what importers yield. */
final class Fixtures {

    static final Path DIR = Path.of("src/test/resources/reconciliation");

    private Fixtures() {
    }

    static Path path(String name) {
        return DIR.resolve(name);
    }

    /** What one import gave. */
    static final class Collected<T> implements Consumer<T> {
        final List<T> rows = new ArrayList<>();
        final List<ImportProblem> problems = new ArrayList<>();
        ImportSummary summary;

        @Override
        public void accept(T row) {
            rows.add(row);
        }

        Consumer<ImportProblem> problems() {
            return problems::add;
        }

        List<Long> problemLines() {
            return problems.stream().map(ImportProblem::line).toList();
        }
    }
}
