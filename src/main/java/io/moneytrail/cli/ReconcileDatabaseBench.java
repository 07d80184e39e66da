package io.moneytrail.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.moneytrail.Moneytrail;
import io.moneytrail.ledger.BulkJournal;
import io.moneytrail.ledger.ChartOfAccounts;
import io.moneytrail.ledger.NewEntry;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.money.Money;
import io.moneytrail.order.OrderBulkLoad;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.payment.PaymentBulkLoad;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.reconciliation.GeneratedMonth;
import io.moneytrail.reconrun.ReconFile;
import io.moneytrail.reconrun.ReconFiles;
import io.moneytrail.reconrun.ReconRun;
import io.moneytrail.reconrun.ReconRuns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The database-backed half of {@code bench reconcile}: a Moneytrail context (no web server, no
 * sandbox, no background jobs) on a temporary embedded database, the generated month loaded as
 * our side (not timed), then the provider report and the bank statement imported and a
 * reconciliation run over the month (timed by the caller).
 *
 * <p>Our side is loaded page by page through the owners' bulk loaders: orders and their lines
 * through {@link OrderBulkLoad}, payments and their transactions (one capture of amount_paid,
 * one refund of amount_refunded) through {@link PaymentBulkLoad}; the ledger gets each capture
 * and refund through {@link BulkJournal#post} (before fulfilment, on {@code assets:psp:stripe}),
 * so the run's internal leg (provider balance per order = captured - refunded) agrees.
 */
final class ReconcileDatabaseBench implements AutoCloseable {

    static final String PROVIDER = "stripe";
    private static final int ORDERS_PER_PAGE = BulkJournal.ENTRIES_MAX / 2; // a capture and at most one refund each

    /** In a reused database directory: the month it holds ({@code rows seed}), written once loading is done. */
    static final String LOADED_MARKER = "bench-reconcile-loaded";

    private final Path dataDir;
    private final ConfigurableApplicationContext context;
    private final HikariDataSource owner;

    ReconcileDatabaseBench() throws IOException {
        this(Files.createTempDirectory("moneytrail-bench-reconcile-db"));
    }

    /** On the database in {@code dataDir} (created if missing; a reused one is migrated as the application starts). */
    ReconcileDatabaseBench(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        Files.createDirectories(dataDir);
        context = new SpringApplicationBuilder(Moneytrail.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.log-startup-info=false")
                .run("--moneytrail.data-dir=" + dataDir, "--moneytrail.sandbox.enabled=false",
                        "--moneytrail.scheduling.enabled=false",
                        // spring-modulith-moments' auto-configuration carries its own @EnableScheduling: without
                        // this the order expiry job runs and expires loaded orders before their payments are in
                        "--spring.modulith.moments.enabled=false",
                        "--moneytrail.reconciliation.file-bytes-max=" + (8L << 30),
                        "--logging.level.root=warn", "--logging.level.io.moneytrail=warn");
        // VACUUM ANALYZE after loading needs the database's owner
        owner = DatabaseContext.ownerPool(context, "bench-owner", 1);
    }

    Path dataDir() {
        return dataDir;
    }

    /** The embedded PostgreSQL server's data directory (for its CPU time). */
    Path postgresData() {
        return dataDir.resolve("postgres");
    }

    /** Whether this directory already holds the month of {@code month} ({@code rows seed}), loaded by an earlier bench. */
    boolean holds(String month) throws IOException {
        Path marker = dataDir.resolve(LOADED_MARKER);
        return Files.isRegularFile(marker) && Files.readString(marker).strip().equals(month);
    }

    /** Records that loading {@code month} into this directory is complete. */
    void markLoaded(String month) throws IOException {
        Files.writeString(dataDir.resolve(LOADED_MARKER), month + "\n");
    }

    /**
     * Forgets the reports of earlier runs on a reused database (their rows and stored copies), so
     * that importing the same files again is timed as a first import, validation included, and not
     * answered from the stored file with the same SHA-256. Runs, their discrepancies and exceptions stay.
     */
    void forgetImportedFiles() throws IOException {
        try (Connection con = owner.getConnection(); Statement statement = con.createStatement()) {
            statement.execute("delete from recon_files");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot forget the imported files: " + e.getMessage(), e);
        }
        Path stored = dataDir.resolve("reconciliation").resolve("files");
        if (Files.isDirectory(stored)) {
            try (var paths = Files.list(stored)) {
                for (Path p : paths.toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** What loading our side wrote. */
    record Loaded(long orders, long payments, long transactions, long entries, double seconds) {
    }

    /** Loads the generated order export as our side: orders, lines, payments, transactions and ledger entries. */
    Loaded load(Path ordersCsv) {
        long started = System.nanoTime();
        context.getBean(ChartOfAccounts.class).provider(PROVIDER);
        Page page = new Page(context.getBean(OrderBulkLoad.class), context.getBean(PaymentBulkLoad.class),
                context.getBean(BulkJournal.class));
        try (BufferedReader in = Files.newBufferedReader(ordersCsv, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.startsWith("order_id,")) {
                throw new IllegalStateException(ordersCsv + " is no order export: " + header);
            }
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    page.add(line);
                }
            }
            page.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Connection con = owner.getConnection(); Statement statement = con.createStatement()) {
            statement.execute("vacuum analyze");
        } catch (SQLException e) {
            throw new IllegalStateException("vacuum analyze failed: " + e.getMessage(), e);
        }
        return new Loaded(page.orders, page.payments, page.transactions, page.entries,
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * One page of the export on its way in, through the owners' bulk loaders: the orders (one
     * line each), a payment per order the provider saw (captured if paid, else failed) with one
     * capture of amount_paid and one refund of amount_refunded, and their ledger entries.
     */
    private static final class Page {

        private final OrderBulkLoad orderLoad;
        private final PaymentBulkLoad paymentLoad;
        private final BulkJournal journal;
        private final List<OrderBulkLoad.BulkOrder> orderRows = new ArrayList<>();
        private final List<PaymentBulkLoad.BulkPayment> paymentRows = new ArrayList<>();
        private final List<NewEntry> entryRows = new ArrayList<>();
        long orders;
        long payments;
        long transactions;
        long entries;

        Page(OrderBulkLoad orderLoad, PaymentBulkLoad paymentLoad, BulkJournal journal) {
            this.orderLoad = orderLoad;
            this.paymentLoad = paymentLoad;
            this.journal = journal;
        }

        /** One row: order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded,payment_reference. */
        void add(String line) {
            String[] cells = line.split(",", -1);
            String order = cells[0];
            Instant created = OffsetDateTime.parse(cells[1]).toInstant();
            String currency = cells[3].trim();
            int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
            long total = minor(cells[4], digits);
            long paid = minor(cells[5], digits);
            long refunded = minor(cells[6], digits);
            String reference = cells.length > 7 && !cells[7].isEmpty() ? cells[7] : null;
            orderRows.add(new OrderBulkLoad.BulkOrder(order, order, Money.of(total, currency),
                    "cancelled".equals(cells[2]) ? OrderStatus.CANCELLED : OrderStatus.OPEN, created, "BENCH",
                    "Generated order"));
            if (reference != null) {
                Instant captured = created.plusSeconds(60);
                Instant refundedAt = captured.plusSeconds(86_400);
                paymentRows.add(new PaymentBulkLoad.BulkPayment("pay_" + order, order, PROVIDER, reference,
                        paid > 0 ? PaymentState.CAPTURED : PaymentState.FAILED, Money.of(total, currency), created,
                        "txn_c_" + order, paid, captured, "txn_r_" + order, "refund:" + reference,
                        paid > 0 ? refunded : 0, refundedAt));
                if (paid > 0) {
                    entryRows.add(PostingRules.capture("txn_c_" + order, order, PROVIDER, Money.of(paid, currency),
                            captured).withOrderCreatedAt(created));
                    if (refunded > 0) {
                        entryRows.add(PostingRules.refundBeforeFulfilment("txn_r_" + order, order, PROVIDER,
                                Money.of(refunded, currency), refundedAt).withOrderCreatedAt(created));
                    }
                }
            }
            if (orderRows.size() >= ORDERS_PER_PAGE) {
                flush();
            }
        }

        void flush() {
            orders += orderLoad.insert(orderRows);
            PaymentBulkLoad.Loaded loaded = paymentLoad.insert(paymentRows);
            payments += loaded.payments();
            transactions += loaded.transactions();
            if (!entryRows.isEmpty()) {
                entries += journal.post(entryRows).posted();
            }
            orderRows.clear();
            paymentRows.clear();
            entryRows.clear();
        }

        private static long minor(String major, int digits) {
            return new BigDecimal(major.trim()).movePointRight(digits).setScale(0, RoundingMode.HALF_UP).longValueExact();
        }
    }

    /** What the timed part did: the files imported and the run. */
    record Outcome(ReconFile provider, ReconFile bank, ReconRun run, long discrepancies, Map<String, Long> byClass,
                   List<ReconRuns.RunDiscrepancy> first, double importSeconds, double runSeconds) {
    }

    /** Imports the report and the statement and runs a reconciliation over the generated month (the timed part). */
    Outcome importAndRun(GeneratedMonth.Files3 files) {
        ReconFiles recon = context.getBean(ReconFiles.class);
        long started = System.nanoTime();
        ReconFile provider = recon.importFile("provider", "stripe", files.providerReport());
        ReconFile bank = recon.importFile("bank", "camt053", files.bankStatement());
        LocalDate from = GeneratedMonth.FIRST_DAY;
        LocalDate to = from.withDayOfMonth(from.lengthOfMonth());
        long imported = System.nanoTime();
        // recon_runs.trigger is one of api, schedule, cli: a bench is started from the command line
        ReconRun run = context.getBean(ReconRuns.class).run(from, to, provider.id(), bank.id(), "cli");
        long ran = System.nanoTime();
        JsonNode counts = new JsonMapper().readTree(run.countsJson());
        Map<String, Long> byClass = new java.util.LinkedHashMap<>();
        JsonNode classes = counts.path("by_class");
        for (String name : classes.propertyNames()) {
            byClass.put(name, classes.get(name).asLong());
        }
        return new Outcome(provider, bank, run, counts.path("discrepancies").asLong(), byClass,
                context.getBean(ReconRuns.class).discrepancies(run.id(), null, null, 3), (imported - started) / 1e9,
                (ran - imported) / 1e9);
    }

    @Override
    public void close() {
        owner.close();
        context.close();
    }
}
