package io.moneytrail.cli;

import io.moneytrail.money.MoneytrailException;
import io.moneytrail.reconciliation.Audit;
import io.moneytrail.reconciliation.AuditOutcome;
import io.moneytrail.reconciliation.AuditRequest;
import io.moneytrail.reconciliation.BankFormat;
import io.moneytrail.reconciliation.DiscrepancyClass;
import io.moneytrail.reconciliation.FeeTariff;
import io.moneytrail.reconciliation.ImportLimits;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.OrderExportMapping;
import io.moneytrail.reconciliation.ProviderFormat;
import io.moneytrail.reconciliation.ReconciliationResult;
import io.moneytrail.reconciliation.Tolerances;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code moneytrail audit}: the file-only audit. Reads the store's order export, a provider
 * report and optionally a bank statement; writes report.html, report.json, discrepancies.csv
 * and matches.csv; prints a short summary. Exit 0 when it ran (whatever it found), 2 when an
 * input cannot be used. No database, no Spring context.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Audit files without running Moneytrail: orders vs provider report vs bank statement.")
final class AuditCommand implements Callable<Integer> {

    static final int UNUSABLE_INPUT = 2;
    /** Files larger than this (together) get a progress bar on stderr. */
    private static final long PROGRESS_BAR_BYTES_MIN = 16L << 20;

    @Option(names = "--orders", required = true, paramLabel = "FILE", description = "the store's order export (CSV)")
    Path orders;

    @Mixin
    StatementInputs inputs;

    @Option(names = "--orders-mapping", paramLabel = "SPEC",
            description = "column mapping, e.g. order_id=Номер,amount_total=Сумма, or @file.properties")
    String ordersMapping;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the reports go")
    Path out;

    @Option(names = "--fee-tariff", paramLabel = "TARIFF", description = "check fees against e.g. 1.5%%+0.25")
    String feeTariff;

    @Option(names = "--order-metadata-key", paramLabel = "KEY", defaultValue = "order_id",
            description = "payment metadata key that carries the order id (default ${DEFAULT-VALUE})")
    String orderMetadataKey;

    @Option(names = "--date-window-days", defaultValue = "3", description = "default ${DEFAULT-VALUE}")
    int dateWindowDays;

    @Option(names = "--amount-tolerance-minor", defaultValue = "0", description = "default ${DEFAULT-VALUE}")
    long amountToleranceMinor;

    @Option(names = "--payout-arrival-days", defaultValue = "5", description = "default ${DEFAULT-VALUE}")
    int payoutArrivalDays;

    @Option(names = "--as-of", paramLabel = "YYYY-MM-DD", description = "judge payouts on this day (default: the statement's last day)")
    String asOf;

    @Option(names = "--max-file-bytes", description = "largest input accepted (default ${DEFAULT-VALUE})", defaultValue = "1073741824")
    long maxFileBytes;

    @Option(names = "--progress", negatable = true, description = "progress bar on stderr (default: for large inputs)")
    Boolean progressBar;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        try {
            AuditRequest request = request();
            long bytes = size(orders) + (inputs.bankStatement == null ? 0 : size(inputs.bankStatement));
            for (Path report : inputs.providerReports) {
                bytes += size(report);
            }
            boolean showProgress = progressBar != null ? progressBar : bytes >= PROGRESS_BAR_BYTES_MIN;
            ProgressBar bar = showProgress ? new ProgressBar(err) : null;
            AuditOutcome outcome = Audit.runToDirectory(request, out, bar == null ? io.moneytrail.reconciliation.Progress.NONE : bar);
            if (bar != null) {
                bar.done();
            }
            summary(outcome, System.out);
            System.out.println("Reports: " + out.resolve("report.html") + ", report.json, discrepancies.csv, matches.csv");
            return 0;
        } catch (MoneytrailException e) {
            err.println("moneytrail audit: " + e.getMessage());
            return UNUSABLE_INPUT;
        } catch (IllegalArgumentException e) {
            err.println("moneytrail audit: " + e.getMessage());
            return UNUSABLE_INPUT;
        }
    }

    private AuditRequest request() {
        ProviderFormat providerFormat = inputs.provider == null ? null : providerFormat(inputs.provider);
        BankFormat bank = inputs.bankFormat == null ? null : bankFormat(inputs.bankFormat);
        LocalDate asOfDate = null;
        if (asOf != null) {
            try {
                asOfDate = LocalDate.parse(asOf);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--as-of '" + asOf + "' is not a date YYYY-MM-DD");
            }
        }
        Tolerances tolerances = new Tolerances(dateWindowDays, amountToleranceMinor, payoutArrivalDays,
                Tolerances.DEFAULTS.feeToleranceMinor(), Tolerances.DEFAULTS.batchPayoutsMax());
        ImportLimits limits = new ImportLimits(maxFileBytes, ImportLimits.DEFAULTS.lineCharsMax(),
                ImportLimits.DEFAULTS.rowsMax(), ImportLimits.DEFAULTS.problemsKeptMax());
        List<Path> reports = inputs.providerReports;
        return new AuditRequest(orders, reports.get(0), providerFormat, inputs.bankStatement, bank,
                OrderExportMapping.parse(ordersMapping), tolerances, feeTariff == null ? null : FeeTariff.parse(feeTariff),
                orderMetadataKey, asOfDate, limits, List.copyOf(reports.subList(1, reports.size())));
    }

    static ProviderFormat providerFormat(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "stripe": return ProviderFormat.STRIPE;
            case "yookassa": return ProviderFormat.YOOKASSA;
            case "sandbox": return ProviderFormat.SANDBOX;
            default: throw new IllegalArgumentException("--provider '" + name + "' is not stripe, yookassa or sandbox");
        }
    }

    static BankFormat bankFormat(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "camt053": case "camt.053": return BankFormat.CAMT053;
            case "mt940": return BankFormat.MT940;
            case "1c": case "1cclientbankexchange": case "client_bank_exchange": return BankFormat.CLIENT_BANK_EXCHANGE;
            default: throw new IllegalArgumentException("--bank-format '" + name + "' is not camt053, mt940 or 1c");
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return 0; // the importer names the file and the problem
        }
    }

    static void summary(AuditOutcome outcome, PrintStream out) {
        ReconciliationResult result = outcome.result();
        out.printf(Locale.ROOT, "Moneytrail audit: %d files read in %.2f s%n", outcome.imports().size(), outcome.seconds());
        for (ImportSummary input : outcome.imports()) {
            out.printf(Locale.ROOT, "  %-9s %s: %d rows, %d rejected%n", input.format(), input.file(), input.rowsAccepted(),
                    input.rowsRejected());
        }
        var c = result.counts();
        out.printf(Locale.ROOT, "Provider leg: %d of %d orders in scope clean (%.2f%%); %d orders unpaid, %d outside the report's period%n",
                c.get("orders_clean"), c.get("orders_in_scope"), result.matchedShare() * 100, c.get("orders_unpaid"),
                c.get("orders_outside_report_period"));
        if (outcome.bankFormat() != null) {
            out.printf(Locale.ROOT, "Bank leg: %d of %d payouts found in the bank, %d in transit; %d bank entries reported,"
                            + " %d debits to others%s%n", c.get("payouts_matched"), c.get("payouts"),
                    c.get("payouts_in_transit"), c.get("bank_entries_reported"), c.get("bank_entries_unrelated"),
                    period(outcome));
        } else {
            out.println("Bank leg: no bank statement given");
        }
        out.printf(Locale.ROOT, "Discrepancies: %d%n", result.discrepanciesTotal());
        for (DiscrepancyClass kind : DiscrepancyClass.values()) {
            long n = result.countsByClass().getOrDefault(kind, 0L);
            if (n > 0) {
                out.printf(Locale.ROOT, "  %-8s %-38s %d%n", kind.severity().wireName(), kind.wireName(), n);
            }
        }
        if (outcome.problemsTotal() > 0) {
            out.printf(Locale.ROOT, "Row problems: %d (left out of matching; listed in the report)%n", outcome.problemsTotal());
            outcome.problemsKept().stream().limit(5).forEach(p -> out.println("  " + p));
        }
    }

    /** The period the bank statement declares covering, as the summary says it. */
    private static String period(AuditOutcome outcome) {
        for (ImportSummary input : outcome.imports()) {
            if (input.statementPeriod() != null) {
                return "; statement covers " + input.statementPeriod();
            }
        }
        return "";
    }

    /** A one-line progress bar on stderr, redrawn at most every percent. */
    static final class ProgressBar implements io.moneytrail.reconciliation.Progress {
        private static final int WIDTH = 30;
        private final PrintStream err;
        private String file;
        private int lastPercent = -1;

        ProgressBar(PrintStream err) {
            this.err = err;
        }

        @Override
        public void advanced(String name, long bytesRead, long bytesTotal) {
            int percent = bytesTotal <= 0 ? 100 : (int) Math.min(100, bytesRead * 100 / bytesTotal);
            if (name.equals(file) && percent == lastPercent) {
                return;
            }
            if (file != null && !name.equals(file)) {
                err.println();
            }
            file = name;
            lastPercent = percent;
            int filled = percent * WIDTH / 100;
            err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + String.format(Locale.ROOT, "%3d%%", percent)
                    + " " + Path.of(name).getFileName());
            err.flush();
        }

        void done() {
            if (file != null) {
                err.println();
            }
        }
    }
}
