package io.moneytrail.reconciliation;

import io.moneytrail.reconciliation.importer.Camt053Importer;
import io.moneytrail.reconciliation.importer.ClientBankExchangeImporter;
import io.moneytrail.reconciliation.importer.Mt940Importer;
import io.moneytrail.reconciliation.importer.OrderExportImporter;
import io.moneytrail.reconciliation.importer.SandboxReportImporter;
import io.moneytrail.reconciliation.importer.StripeBalanceChangeImporter;
import io.moneytrail.reconciliation.importer.YooKassaRegistryImporter;
import io.moneytrail.reconciliation.matching.ReconciliationEngine;
import io.moneytrail.reconciliation.report.AuditReports;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * The file-only audit: the store's order export, a provider report and (optionally) a bank
 * statement in; discrepancies out. No database, no Spring context: plain streaming over files.
 * Files are read in that order (orders are indexed, provider rows applied as they stream past,
 * bank entries matched at the end).
 */
public final class Audit {

    /** Matching problems kept in detail; past it they are only counted. */
    public static final int MATCHING_PROBLEMS_KEPT_MAX = 1_000;
    private static final int DETECT_BYTES = 8_192;
    /** A typical order export line is 80–100 bytes; sizing the indexes for a few more orders costs little. */
    private static final long ORDER_LINE_BYTES_TYPICAL = 72;

    private Audit() {
    }

    /** Runs the audit and writes report.html, report.json, discrepancies.csv and matches.csv into {@code outDir}. */
    public static AuditOutcome runToDirectory(AuditRequest request, Path outDir, Progress progress) {
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new UnusableInputException(outDir.toString(), "cannot create the output directory: " + e.getMessage());
        }
        AuditOutcome outcome;
        try (AuditReports.MatchesWriter matches = AuditReports.matchesWriter(outDir.resolve("matches.csv"))) {
            outcome = run(request, matches, progress);
        }
        AuditReports.write(outcome, outDir);
        return outcome;
    }

    /**
     * Our side given as records rather than as an order export (the database-backed run streams
     * its orders straight in: no file written and parsed again).
     */
    public interface OrderSource {
        /** Gives every order to {@code orders}, before any provider row is read; returns what was given. */
        ImportSummary feed(Consumer<StoreOrder> orders);

        /**
         * After the provider rows: gives {@code orders} the earlier orders (outside the source's own
         * period) that own these provider payment ids, which no order given so far carries; the rows
         * are then linked again. Returns how many were given.
         */
        default long late(Collection<String> providerPaymentIds, Consumer<StoreOrder> orders) {
            return 0;
        }

        /** How many orders to size the indexes for (0: unknown). */
        default long expectedOrders() {
            return 0;
        }

        /**
         * Gives {@code rows} the rows of this provider report when the source has them parsed
         * already (the database-backed run: the import's check read them), in the file's order, and
         * returns their summary; null: the report is read from its file here.
         */
        default ImportSummary providerRows(Path report, Consumer<ProviderRow> rows) {
            return null;
        }
    }

    /** Runs the audit, telling {@code matches} of every pairing. */
    public static AuditOutcome run(AuditRequest request, MatchSink matches, Progress progress) {
        return run(request, new OrderSource() {
            @Override
            public ImportSummary feed(Consumer<StoreOrder> orders) {
                return new OrderExportImporter(request.limits(), request.mapping()).read(request.orders(), orders,
                        problem -> { }, progress);
            }

            @Override
            public long expectedOrders() {
                return sizeOf(request.orders()) / ORDER_LINE_BYTES_TYPICAL;
            }
        }, matches, progress);
    }

    /**
     * Runs the audit with our side from {@code source} ({@code request.orders()} then only names
     * it), telling {@code matches} of every pairing.
     */
    public static AuditOutcome run(AuditRequest request, OrderSource source, MatchSink matches, Progress progress) {
        long started = System.nanoTime();
        ProviderFormat providerFormat = request.providerFormat() != null ? request.providerFormat()
                : detectProvider(request.providerReport());
        BankFormat bankFormat = request.bankStatement() == null ? null
                : request.bankFormat() != null ? request.bankFormat() : detectBank(request.bankStatement());
        ReconciliationEngine engine = new ReconciliationEngine(request.tolerances(), request.feeTariff(),
                providerFormat == ProviderFormat.YOOKASSA, matches);
        engine.expectOrders(source.expectedOrders());
        List<ImportProblem> matchingProblems = new ArrayList<>();
        long[] matchingProblemsTotal = {0};
        List<ImportSummary> imports = new ArrayList<>();
        Consumer<ImportProblem> ignore = problem -> { };

        String ordersName = request.orders().toString();
        Consumer<StoreOrder> orders = order -> {
            String problem = engine.order(order);
            if (problem != null) {
                matchingProblem(matchingProblems, matchingProblemsTotal, new ImportProblem(ordersName, order.line(), problem));
            }
        };
        imports.add(source.feed(orders));

        for (Path report : providerReports(request, providerFormat)) {
            String providerName = report.toString();
            Consumer<ProviderRow> rows = row -> {
                String problem = engine.providerRow(row);
                if (problem != null) {
                    matchingProblem(matchingProblems, matchingProblemsTotal,
                            new ImportProblem(providerName, row.line(), problem));
                }
            };
            ImportSummary given = source.providerRows(report, rows);
            imports.add(given != null ? given : readProvider(request, providerFormat, report, rows, ignore, progress));
        }

        java.util.Set<String> unlinked = engine.unlinkedPaymentIds();
        if (!unlinked.isEmpty() && source.late(unlinked, orders) > 0) {
            for (String problem : engine.relinkByReference()) {
                int colon = problem.indexOf(": ");
                matchingProblem(matchingProblems, matchingProblemsTotal, new ImportProblem(
                        request.providerReport().toString(), Long.parseLong(problem.substring(0, colon)),
                        problem.substring(colon + 2)));
            }
        }

        if (request.bankStatement() != null) {
            engine.bankStatementGiven();
            ImportSummary bank = readBank(request, bankFormat, engine::bankEntry, ignore, progress);
            engine.bankStatementPeriod(bank.statementPeriod());
            imports.add(bank);
        }
        ReconciliationResult result = engine.finish(request.asOf());
        return new AuditOutcome(request, providerFormat, bankFormat, List.copyOf(imports), List.copyOf(matchingProblems),
                matchingProblemsTotal[0], result, (System.nanoTime() - started) / 1e9);
    }

    /**
     * Reads the same files as {@link #run} into the same normalised records and drops them:
     * what the machine needs only to parse (the benchmark's baseline). Returns the rows read.
     */
    public static long parseOnly(AuditRequest request, Progress progress) {
        long[] rows = {0};
        ProviderFormat providerFormat = request.providerFormat() != null ? request.providerFormat()
                : detectProvider(request.providerReport());
        Consumer<ImportProblem> ignore = problem -> { };
        new OrderExportImporter(request.limits(), request.mapping()).read(request.orders(), o -> rows[0]++, ignore, progress);
        for (Path report : providerReports(request, providerFormat)) {
            readProvider(request, providerFormat, report, r -> rows[0]++, ignore, progress);
        }
        if (request.bankStatement() != null) {
            BankFormat bankFormat = request.bankFormat() != null ? request.bankFormat() : detectBank(request.bankStatement());
            readBank(request, bankFormat, e -> rows[0]++, ignore, progress);
        }
        return rows[0];
    }

    /**
     * Reads one provider report on its own (strictly, streaming): what an import checks before
     * it keeps a file. A file-level problem is an {@link UnusableInputException}.
     */
    public static ImportSummary readProviderReport(Path file, ProviderFormat format, String orderMetadataKey,
                                                   ImportLimits limits, Consumer<ProviderRow> rows,
                                                   Consumer<ImportProblem> problems) {
        String key = orderMetadataKey == null || orderMetadataKey.isBlank() ? "order_id" : orderMetadataKey;
        ImportLimits bounds = limits == null ? ImportLimits.DEFAULTS : limits;
        switch (format) {
            case STRIPE:
                return new StripeBalanceChangeImporter(bounds, key).read(file, rows, problems, Progress.NONE);
            case YOOKASSA:
                return new YooKassaRegistryImporter(bounds, key).read(file, rows, problems, Progress.NONE);
            case SANDBOX:
                return new SandboxReportImporter(bounds).read(file, rows, problems, Progress.NONE);
            default:
                throw new IllegalStateException("unhandled provider format " + format);
        }
    }

    /** Reads one bank statement on its own (strictly, streaming); see {@link #readProviderReport}. */
    public static ImportSummary readBankStatement(Path file, BankFormat format, ImportLimits limits,
                                                  Consumer<BankEntry> entries, Consumer<ImportProblem> problems) {
        ImportLimits bounds = limits == null ? ImportLimits.DEFAULTS : limits;
        switch (format) {
            case CAMT053:
                return new Camt053Importer(bounds).read(file, entries, problems, Progress.NONE);
            case MT940:
                return new Mt940Importer(bounds).read(file, entries, problems, Progress.NONE);
            case CLIENT_BANK_EXCHANGE:
                return new ClientBankExchangeImporter(bounds).read(file, entries, problems, Progress.NONE);
            default:
                throw new IllegalStateException("unhandled bank format " + format);
        }
    }

    /**
     * The request's provider reports, the first one's format for all: a further report of another
     * provider (or one the format cannot tell) is refused before any is read.
     */
    private static List<Path> providerReports(AuditRequest request, ProviderFormat format) {
        for (Path more : request.moreProviderReports()) {
            ProviderFormat own = detectProvider(more);
            if (own != format) {
                throw new UnusableInputException(more.toString(), 1, "a " + own.name().toLowerCase(Locale.ROOT)
                        + " report cannot be read with " + request.providerReport() + ", a "
                        + format.name().toLowerCase(Locale.ROOT) + " report: one run reads one provider's reports");
            }
        }
        return request.providerReports();
    }

    private static ImportSummary readProvider(AuditRequest request, ProviderFormat format, Path report,
                                              Consumer<ProviderRow> rows, Consumer<ImportProblem> problems,
                                              Progress progress) {
        switch (format) {
            case STRIPE:
                return new StripeBalanceChangeImporter(request.limits(), request.orderMetadataKey())
                        .read(report, rows, problems, progress);
            case YOOKASSA:
                return new YooKassaRegistryImporter(request.limits(), request.orderMetadataKey())
                        .read(report, rows, problems, progress);
            case SANDBOX:
                return new SandboxReportImporter(request.limits()).read(report, rows, problems, progress);
            default:
                throw new IllegalStateException("unhandled provider format " + format);
        }
    }

    private static ImportSummary readBank(AuditRequest request, BankFormat format, Consumer<BankEntry> entries,
                                          Consumer<ImportProblem> problems, Progress progress) {
        switch (format) {
            case CAMT053:
                return new Camt053Importer(request.limits()).read(request.bankStatement(), entries, problems, progress);
            case MT940:
                return new Mt940Importer(request.limits()).read(request.bankStatement(), entries, problems, progress);
            case CLIENT_BANK_EXCHANGE:
                return new ClientBankExchangeImporter(request.limits()).read(request.bankStatement(), entries, problems,
                        progress);
            default:
                throw new IllegalStateException("unhandled bank format " + format);
        }
    }

    private static void matchingProblem(List<ImportProblem> kept, long[] total, ImportProblem problem) {
        total[0]++;
        if (kept.size() < MATCHING_PROBLEMS_KEPT_MAX) {
            kept.add(problem);
        }
    }

    /** Tells a provider report's format from its header line. */
    public static ProviderFormat detectProvider(Path file) {
        String head = new String(head(file), StandardCharsets.UTF_8);
        if (head.startsWith("\uFEFF")) {
            head = head.substring(1);
        }
        int end = head.indexOf('\n');
        String header = (end < 0 ? head : head.substring(0, end)).strip();
        if (header.contains("balance_transaction_id") || header.contains("reporting_category")) {
            return ProviderFormat.STRIPE;
        }
        if (header.contains("Идентификатор платежа") || header.contains("Идентификатор возврата")) {
            return ProviderFormat.YOOKASSA;
        }
        if (header.startsWith("id,type,payment_id")) {
            return ProviderFormat.SANDBOX;
        }
        throw new UnusableInputException(file.toString(), 1, "cannot tell which provider's report this is (header: '"
                + (header.length() > 120 ? header.substring(0, 120) + "…" : header)
                + "'); name it with --provider stripe|yookassa|sandbox");
    }

    /** Tells a bank statement's format from its first bytes. */
    public static BankFormat detectBank(Path file) {
        byte[] head = head(file);
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (text.startsWith("\u00EF\u00BB\u00BF")) {
            text = text.substring(3);
        }
        String start = text.stripLeading();
        if (start.startsWith("<")) {
            return BankFormat.CAMT053;
        }
        if (start.startsWith("1CClientBankExchange")) {
            return BankFormat.CLIENT_BANK_EXCHANGE;
        }
        if (start.startsWith("{1:") || start.startsWith(":20:") || start.startsWith(":25:") || text.contains("\n:20:")) {
            return BankFormat.MT940;
        }
        throw new UnusableInputException(file.toString(), 1, "cannot tell the bank statement's format "
                + "(camt.053 XML, MT940 or 1CClientBankExchange); name it with --bank-format");
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // the importer names the file and the problem
        }
    }

    private static byte[] head(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UnusableInputException(file.toString(), "no such file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(DETECT_BYTES);
        } catch (IOException e) {
            throw new UnusableInputException(file.toString(), "cannot be read: " + e.getMessage());
        }
    }
}
