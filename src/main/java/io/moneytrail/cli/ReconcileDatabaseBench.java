package io.moneytrail.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.moneytrail.Moneytrail;
import io.moneytrail.ledger.Accounts;
import io.moneytrail.ledger.BulkJournal;
import io.moneytrail.ledger.NewEntry;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.money.Money;
import io.moneytrail.reconciliation.GeneratedMonth;
import io.moneytrail.reconrun.ReconFile;
import io.moneytrail.reconrun.ReconFiles;
import io.moneytrail.reconrun.ReconRun;
import io.moneytrail.reconrun.ReconRuns;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The database-backed half of {@code bench reconcile}: a Moneytrail context (no web server, no
 * sandbox, no background jobs) on a temporary embedded database, the generated month loaded as
 * our side (not timed), then the provider report and the bank statement imported and a
 * reconciliation run over the month (timed by the caller).
 *
 * <p>Our side is loaded with COPY of the generated order export into a staging table and
 * {@code insert ... select} into orders, order lines, payments and payment transactions (one
 * capture of amount_paid, one refund of amount_refunded); the ledger gets each capture and
 * refund through {@link BulkJournal#post} (before fulfilment, on {@code assets:psp:stripe}),
 * so the run's internal leg (provider balance per order = captured - refunded) agrees.
 */
final class ReconcileDatabaseBench implements AutoCloseable {

    static final String PROVIDER = "stripe";
    private static final int ORDERS_PER_PAGE = BulkJournal.ENTRIES_MAX / 2; // a capture and at most one refund each

    private final Path dataDir;
    private final ConfigurableApplicationContext context;
    private final HikariDataSource owner;
    private final JdbcClient jdbc;

    ReconcileDatabaseBench() throws IOException {
        dataDir = Files.createTempDirectory("moneytrail-bench-reconcile-db");
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
        // our side is loaded through staging tables of the bench's own, as the database's owner
        owner = DatabaseContext.ownerPool(context, "bench-owner", 2);
        jdbc = JdbcClient.create(owner);
    }

    Path dataDir() {
        return dataDir;
    }

    /** What loading our side wrote. */
    record Loaded(long orders, long payments, long transactions, long entries, double seconds) {
    }

    /** Loads the generated order export as our side: orders, lines, payments, transactions and ledger entries. */
    Loaded load(Path ordersCsv) {
        long started = System.nanoTime();
        jdbc.sql("""
                create unlogged table bench_orders_stage (
                    order_id text primary key, created_at timestamptz not null, status text not null,
                    currency text not null, amount_total numeric not null, amount_paid numeric not null,
                    amount_refunded numeric not null, payment_reference text)
                """).update();
        DataSource dataSource = owner;
        try (Connection con = dataSource.getConnection();
             Reader in = Files.newBufferedReader(ordersCsv, StandardCharsets.UTF_8)) {
            con.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "copy bench_orders_stage from stdin with (format csv, header true)", in);
            if (!con.getAutoCommit()) {
                con.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot COPY " + ordersCsv + " into the staging table: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // amounts are decimal major units: scale each currency by its own exponent
        jdbc.sql("create unlogged table bench_currency_factor (currency text primary key, factor numeric not null)")
                .update();
        for (String currency : jdbc.sql("select distinct currency from bench_orders_stage").query(String.class).list()) {
            int digits = Math.max(0, Currency.getInstance(currency.trim()).getDefaultFractionDigits());
            jdbc.sql("insert into bench_currency_factor values (:currency, :factor)").param("currency", currency)
                    .param("factor", java.math.BigDecimal.TEN.pow(digits)).update();
        }
        jdbc.sql("""
                create unlogged table bench_orders as
                select s.order_id, s.created_at, s.status, s.currency, s.payment_reference,
                       round(s.amount_total * f.factor)::bigint as total,
                       round(s.amount_paid * f.factor)::bigint as paid,
                       round(s.amount_refunded * f.factor)::bigint as refunded
                from bench_orders_stage s join bench_currency_factor f using (currency)
                """).update();
        jdbc.sql("alter table bench_orders add primary key (order_id)").update();
        jdbc.sql("analyze bench_orders").update();
        long orders = jdbc.sql("""
                insert into orders (id, reference, currency, amount_total, vat_total, status, created_at, updated_at)
                select order_id, order_id, currency, total, 0,
                       case when status = 'cancelled' then 'cancelled' else 'open' end, created_at, created_at
                from bench_orders
                """).update();
        jdbc.sql("""
                insert into order_lines (order_id, line_no, sku, name, quantity, unit_amount, vat_rate, amount_total,
                                         amount_vat)
                select order_id, 1, 'BENCH', 'Generated order', 1, total, 0, total, 0 from bench_orders
                """).update();
        long payments = jdbc.sql("""
                insert into payments (id, order_id, provider, provider_payment_id, capture_method, status, amount,
                                      currency, created_at, updated_at)
                select 'pay_' || order_id, order_id, :provider, payment_reference, 'automatic',
                       case when paid > 0 then 'captured' else 'failed' end, total, currency, created_at, created_at
                from bench_orders where payment_reference is not null
                """).param("provider", PROVIDER).update();
        long transactions = jdbc.sql("""
                insert into payment_transactions (id, payment_id, order_id, kind, amount_minor, currency,
                                                  provider_reference, occurred_at)
                select 'txn_c_' || order_id, 'pay_' || order_id, order_id, 'capture', paid, currency,
                       payment_reference, created_at + interval '1 minute'
                from bench_orders where payment_reference is not null and paid > 0
                union all
                select 'txn_r_' || order_id, 'pay_' || order_id, order_id, 'refund', refunded, currency,
                       'refund:' || payment_reference, created_at + interval '1 minute' + interval '1 day'
                from bench_orders where payment_reference is not null and paid > 0 and refunded > 0
                """).update();

        context.getBean(Accounts.class).provider(PROVIDER);
        BulkJournal journal = context.getBean(BulkJournal.class);
        long entries = 0;
        String after = "";
        while (true) {
            List<NewEntry> batch = new ArrayList<>(BulkJournal.ENTRIES_MAX);
            String[] last = {null};
            jdbc.sql("""
                            select order_id, created_at, currency, paid, refunded from bench_orders
                            where order_id > :after and payment_reference is not null and paid > 0
                            order by order_id limit :limit
                            """)
                    .param("after", after).param("limit", ORDERS_PER_PAGE)
                    .query(rs -> {
                        String order = rs.getString(1);
                        Instant captured = rs.getTimestamp(2).toInstant().plusSeconds(60);
                        String currency = rs.getString(3).trim();
                        batch.add(PostingRules.capture("txn_c_" + order, order, PROVIDER,
                                Money.of(rs.getLong(4), currency), captured));
                        long refunded = rs.getLong(5);
                        if (refunded > 0) {
                            batch.add(PostingRules.refundBeforeFulfilment("txn_r_" + order, order, PROVIDER,
                                    Money.of(refunded, currency), captured.plusSeconds(86_400)));
                        }
                        last[0] = order;
                    });
            if (last[0] == null) {
                break;
            }
            entries += journal.post(batch).posted();
            after = last[0];
        }
        jdbc.sql("drop table bench_orders_stage, bench_orders, bench_currency_factor").update();
        try (Connection con = dataSource.getConnection(); Statement statement = con.createStatement()) {
            statement.execute("vacuum analyze");
        } catch (SQLException e) {
            throw new IllegalStateException("vacuum analyze failed: " + e.getMessage(), e);
        }
        return new Loaded(orders, payments, transactions, entries, (System.nanoTime() - started) / 1e9);
    }

    /** What the timed part did: the files imported and the run. */
    record Outcome(ReconFile provider, ReconFile bank, ReconRun run, long discrepancies, Map<String, Long> byClass,
                   List<ReconRuns.RunDiscrepancy> first) {
    }

    /** Imports the report and the statement and runs a reconciliation over the generated month (the timed part). */
    Outcome importAndRun(GeneratedMonth.Files3 files) {
        ReconFiles recon = context.getBean(ReconFiles.class);
        ReconFile provider = recon.importFile("provider", "stripe", files.providerReport());
        ReconFile bank = recon.importFile("bank", "camt053", files.bankStatement());
        LocalDate from = GeneratedMonth.FIRST_DAY;
        LocalDate to = from.withDayOfMonth(from.lengthOfMonth());
        // recon_runs.trigger is one of api, schedule, cli: a bench is started from the command line
        ReconRun run = context.getBean(ReconRuns.class).run(from, to, provider.id(), bank.id(), "cli");
        JsonNode counts = new JsonMapper().readTree(run.countsJson());
        Map<String, Long> byClass = new java.util.LinkedHashMap<>();
        JsonNode classes = counts.path("by_class");
        for (String name : classes.propertyNames()) {
            byClass.put(name, classes.get(name).asLong());
        }
        return new Outcome(provider, bank, run, counts.path("discrepancies").asLong(), byClass,
                context.getBean(ReconRuns.class).discrepancies(run.id(), null, null, 3));
    }

    @Override
    public void close() {
        owner.close();
        context.close();
    }
}
