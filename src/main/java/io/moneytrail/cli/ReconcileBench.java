package io.moneytrail.cli;

import io.moneytrail.reconciliation.Audit;
import io.moneytrail.reconciliation.AuditOutcome;
import io.moneytrail.reconciliation.AuditRequest;
import io.moneytrail.reconciliation.GeneratedMonth;
import io.moneytrail.reconciliation.Progress;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code moneytrail bench reconcile}: generates N orders, an N-row provider report and a bank
 * statement with the matching payouts (not timed), then times the file-only audit on them
 * (parse, match, write the reports) next to parsing the same files alone, and prints rows per
 * second, wall time and peak heap of each. The ratio audit / parse-only is the figure.
 *
 * <p>With {@code --database} (the default up to {@value #DATABASE_ROWS_DEFAULT_MAX} orders) it
 * also measures the database-backed run over the same data: a Moneytrail context on a temporary
 * embedded database, the orders loaded as our side with their payments, transactions and
 * ledger entries (not timed), then the provider report and bank statement imported and a
 * reconciliation run over the month (timed: the same rows, rows/s, peak heap of this JVM,
 * ratio to parse-only).
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = "Time the file-only audit on N generated orders against parsing the same files.")
final class ReconcileBench implements Callable<Integer> {

    @Option(names = "--rows", description = "orders to generate (default ${DEFAULT-VALUE})")
    int rows = 100_000;

    @Option(names = "--seed", description = "generator seed (default ${DEFAULT-VALUE})")
    long seed = 20260501L;

    @Option(names = "--warmup", negatable = true, defaultValue = "true",
            description = "parse the files once untimed first, so both timings run on warmed-up code (default true)")
    boolean warmup;

    static final int DATABASE_ROWS_DEFAULT_MAX = 1_000_000;

    @Option(names = "--database", negatable = true,
            description = "also time the database-backed run (import + reconciliation run) over the same data;"
                    + " default on up to " + DATABASE_ROWS_DEFAULT_MAX + " orders, off above")
    Boolean database;

    @Option(names = "--keep", description = "keep the generated files and reports, and the database of --database")
    boolean keep;

    @Option(names = "--database-dir", paramLabel = "DIR",
            description = "load our side into the database in DIR once and reuse it on later runs with the same"
                    + " --rows and --seed (loading 1,000,000 orders takes minutes); DIR is kept")
    Path databaseDir;

    @Option(names = "--load-only", description = "with --database-dir: generate and load our side, time nothing")
    boolean loadOnly;

    @Option(names = "--json", description = "print the figures as one JSON object on the last line")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (rows < 100 || rows > 5_000_000) {
            System.err.println("--rows must be 100..5000000");
            return 2;
        }
        if (loadOnly && databaseDir == null) {
            System.err.println("--load-only needs --database-dir");
            return 2;
        }
        Path dir = Files.createTempDirectory("moneytrail-bench-reconcile");
        try {
            long generating = System.nanoTime();
            GeneratedMonth.Files3 files = GeneratedMonth.write(dir, seed, rows, Set.of());
            long inputBytes = Files.size(files.orders()) + Files.size(files.providerReport()) + Files.size(files.bankStatement());
            System.out.printf(Locale.ROOT, "generated %d orders, %d provider rows, %d bank entries (%.1f MB) in %.1f s (seed %d, not timed)%n",
                    files.orderRows(), files.providerRows(), files.bankEntries(), inputBytes / 1e6,
                    (System.nanoTime() - generating) / 1e9, seed);
            if (loadOnly) {
                loadOnce(files);
                return 0;
            }
            AuditRequest request = new AuditRequest(files.orders(), files.providerReport(), null, files.bankStatement(),
                    null, null, null, GeneratedMonth.TARIFF, null, null, null);
            if (warmup) {
                Audit.parseOnly(request, Progress.NONE);
            }
            Phase parse = measure(() -> Audit.parseOnly(request, Progress.NONE));
            long totalRows = parse.rows;
            AuditOutcome[] outcome = new AuditOutcome[1];
            Phase audit = measure(() -> {
                outcome[0] = Audit.runToDirectory(request, dir.resolve("out"), Progress.NONE);
                return totalRows;
            });
            long discrepancies = outcome[0].result().discrepanciesTotal();
            double ratio = audit.seconds / parse.seconds;
            long maxHeapMb = Runtime.getRuntime().maxMemory() >> 20;
            System.out.printf(Locale.ROOT, "rows: %d (orders + provider rows + bank entries), max heap %d MB, %d cores%n",
                    totalRows, maxHeapMb, Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "parse only : %6.2f s  %,10.0f rows/s  peak heap %5d MB  CPU %6.2f s%n", parse.seconds,
                    totalRows / parse.seconds, parse.peakHeapMb, parse.cpuSeconds());
            System.out.printf(Locale.ROOT, "audit      : %6.2f s  %,10.0f rows/s  peak heap %5d MB  CPU %6.2f s  (parse + match + reports; %d discrepancies, matched %.2f%%)%n",
                    audit.seconds, totalRows / audit.seconds, audit.peakHeapMb, audit.cpuSeconds(), discrepancies,
                    outcome[0].result().matchedShare() * 100);
            System.out.printf(Locale.ROOT, "ratio audit / parse-only: %.2fx%n", ratio);
            boolean withDatabase = database != null ? database : rows <= DATABASE_ROWS_DEFAULT_MAX;
            Map<String, Object> databaseFigures = new LinkedHashMap<>();
            long databaseDiscrepancies = 0;
            if (withDatabase) {
                databaseDiscrepancies = databaseBacked(files, totalRows, parse, audit, databaseFigures, keep,
                        databaseDir, month());
            } else {
                System.out.println("database-backed run: not measured (--database to measure it; default on up to "
                        + DATABASE_ROWS_DEFAULT_MAX + " orders)");
            }
            if (keep) {
                System.out.println("files kept in " + dir);
            }
            if (json) {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("bench", "reconcile");
                figures.put("orders", files.orderRows());
                figures.put("rows", totalRows);
                figures.put("input_bytes", inputBytes);
                figures.put("max_heap_mb", maxHeapMb);
                figures.put("parse_seconds", round(parse.seconds));
                figures.put("parse_rows_per_second", Math.round(totalRows / parse.seconds));
                figures.put("parse_peak_heap_mb", parse.peakHeapMb);
                figures.put("parse_cpu_seconds", round(parse.cpuSeconds()));
                figures.put("audit_seconds", round(audit.seconds));
                figures.put("audit_rows_per_second", Math.round(totalRows / audit.seconds));
                figures.put("audit_peak_heap_mb", audit.peakHeapMb);
                figures.put("audit_cpu_seconds", round(audit.cpuSeconds()));
                figures.put("ratio", round(ratio));
                figures.put("discrepancies", discrepancies);
                figures.put("database_backed", withDatabase ? databaseFigures : "not measured");
                System.out.println(new tools.jackson.databind.json.JsonMapper().writeValueAsString(figures));
            }
            return discrepancies == 0 && databaseDiscrepancies == 0 ? 0 : 1;
        } finally {
            if (!keep) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** The month a reused database holds: what generated it. */
    private String month() {
        return rows + " " + seed;
    }

    /** {@code --load-only}: loads our side into {@code --database-dir} unless it holds this month already. */
    private void loadOnce(GeneratedMonth.Files3 files) throws IOException {
        try (ReconcileDatabaseBench bench = new ReconcileDatabaseBench(databaseDir)) {
            if (bench.holds(month())) {
                System.out.println("database   : " + databaseDir + " holds this month already");
                return;
            }
            ReconcileDatabaseBench.Loaded loaded = bench.load(files.orders());
            bench.markLoaded(month());
            System.out.printf(Locale.ROOT, "database   : loaded %d orders, %d payments, %d payment transactions, %d ledger entries in %.1f s into %s%n",
                    loaded.orders(), loaded.payments(), loaded.transactions(), loaded.entries(), loaded.seconds(),
                    databaseDir);
        }
    }

    /** Loads our side (not timed), times import + run, prints the figures and fills {@code figures}. */
    private static long databaseBacked(GeneratedMonth.Files3 files, long totalRows, Phase parse, Phase audit,
                                       Map<String, Object> figures, boolean keep, Path databaseDir, String month)
            throws IOException {
        long starting = System.nanoTime();
        boolean reused = databaseDir != null;
        try (ReconcileDatabaseBench bench = reused ? new ReconcileDatabaseBench(databaseDir)
                : new ReconcileDatabaseBench()) {
            try {
                System.out.printf(Locale.ROOT, "database   : context on %s started in %.1f s (not timed)%n",
                        reused ? "the database in " + databaseDir : "a temporary embedded database",
                        (System.nanoTime() - starting) / 1e9);
                ReconcileDatabaseBench.Loaded loaded;
                if (reused && bench.holds(month)) {
                    bench.forgetImportedFiles();
                    loaded = new ReconcileDatabaseBench.Loaded(0, 0, 0, 0, 0);
                    System.out.println("database   : reusing the month loaded earlier (not timed)");
                } else {
                    loaded = bench.load(files.orders());
                    if (reused) {
                        bench.markLoaded(month);
                    }
                    System.out.printf(Locale.ROOT, "database   : loaded %d orders, %d payments, %d payment transactions, %d ledger entries in %.1f s (not timed)%n",
                            loaded.orders(), loaded.payments(), loaded.transactions(), loaded.entries(), loaded.seconds());
                }
                ReconcileDatabaseBench.Outcome[] outcome = new ReconcileDatabaseBench.Outcome[1];
                Phase run = measure(() -> {
                    outcome[0] = bench.importAndRun(files);
                    return totalRows;
                }, bench.postgresData());
                ReconcileDatabaseBench.Outcome done = outcome[0];
                double matched = done.run().matchedRate() == null ? 0 : done.run().matchedRate();
                double ratio = run.seconds / parse.seconds;
                System.out.printf(Locale.ROOT, "db-backed  : %6.2f s  %,10.0f rows/s  peak heap %5d MB  (import report + statement, run %s; %d discrepancies, matched %.2f%%)%n",
                        run.seconds, totalRows / run.seconds, run.peakHeapMb, done.run().id(), done.discrepancies(),
                        matched * 100);
                System.out.printf(Locale.ROOT, "db-backed  : of which importing the report and the statement %.2f s, the run %.2f s%n",
                        done.importSeconds(), done.runSeconds());
                System.out.printf(Locale.ROOT, "ratio db-backed / parse-only: %.2fx (peak heap is this JVM's; the database runs in its own process)%n",
                        ratio);
                // issue 14's figure: the database-backed run against the file-only audit of the same month
                System.out.printf(Locale.ROOT, "ratio db-backed / audit: %.2fx%n", run.seconds / audit.seconds);
                System.out.printf(Locale.ROOT, "CPU        : audit %.2f s; db-backed %.2f s (this JVM %.2f s, PostgreSQL %.2f s),"
                                + " ratio %.2fx%n", audit.cpuSeconds(), run.cpuSeconds(), run.jvmCpuSeconds,
                        run.databaseCpuSeconds, run.cpuSeconds() / audit.cpuSeconds());
                if (done.discrepancies() != 0 || done.run().matchedRate() == null || matched < 1.0) {
                    System.out.println("db-backed run is not clean: " + done.byClass() + " counts " + done.run().countsJson());
                    done.first().forEach(d -> System.out.println("  " + d.discrepancyClass() + " " + d.orderId() + ": "
                            + d.evidenceJson()));
                }
                figures.put("load_seconds", reused && loaded.orders() == 0 ? "reused" : round(loaded.seconds()));
                figures.put("ledger_entries", loaded.entries());
                figures.put("seconds", round(run.seconds));
                figures.put("import_seconds", round(done.importSeconds()));
                figures.put("run_seconds", round(done.runSeconds()));
                figures.put("rows_per_second", Math.round(totalRows / run.seconds));
                figures.put("peak_heap_mb", run.peakHeapMb);
                figures.put("ratio", round(ratio));
                figures.put("ratio_to_audit", round(run.seconds / audit.seconds));
                figures.put("cpu_seconds", round(run.cpuSeconds()));
                figures.put("jvm_cpu_seconds", round(run.jvmCpuSeconds));
                figures.put("postgres_cpu_seconds", round(run.databaseCpuSeconds));
                figures.put("cpu_ratio_to_audit", round(run.cpuSeconds() / audit.cpuSeconds()));
                figures.put("matched_rate", done.run().matchedRate());
                figures.put("discrepancies", done.discrepancies());
                figures.put("provider_rows_imported", done.provider().rows());
                figures.put("bank_rows_imported", done.bank().rows());
                return done.discrepancies();
            } finally {
                bench.close();
                if (reused) {
                    System.out.println("database kept in " + databaseDir);
                } else if (keep) {
                    System.out.println("database kept in " + bench.postgresData() + " (PostgreSQL's data directory)");
                } else {
                    try (Stream<Path> paths = Files.walk(bench.dataDir())) {
                        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        }
    }

    /** A timed phase: wall seconds, rows, peak heap, and CPU seconds of this JVM and of the embedded PostgreSQL. */
    private record Phase(double seconds, long rows, long peakHeapMb, double jvmCpuSeconds, double databaseCpuSeconds) {

        double cpuSeconds() {
            return jvmCpuSeconds + databaseCpuSeconds;
        }
    }

    private interface Work {
        long run();
    }

    /** Times one phase; peak heap is the sum of the heap pools' peaks since a GC before it (an upper bound). */
    private static Phase measure(Work work) {
        return measure(work, null);
    }

    /** As {@link #measure(Work)}, also counting the CPU time of the PostgreSQL server in {@code postgresData}. */
    private static Phase measure(Work work, Path postgresData) {
        CpuMeter cpu = new CpuMeter();
        cpu.addThisJvm("jvm");
        if (postgresData != null) {
            cpu.addPostgres("postgres", postgresData);
        }
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        cpu.begin();
        long started = System.nanoTime();
        long rows = work.run();
        double seconds = (System.nanoTime() - started) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        Map<String, Double> spent = cpu.since();
        return new Phase(seconds, rows, peak >> 20, spent.getOrDefault("jvm", 0.0) / 1e3,
                spent.getOrDefault("postgres", 0.0) / 1e3);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
