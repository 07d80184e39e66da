package io.moneytrail.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.moneytrail.Moneytrail;
import io.moneytrail.ledger.Balances;
import io.moneytrail.ledger.BulkJournal;
import io.moneytrail.ledger.JournalSize;
import io.moneytrail.ledger.NewEntry;
import io.moneytrail.ledger.Posting;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bulk posting into the ledger. N capture-like two-line entries (debit the sandbox provider's
 * clearing account, credit customer advances; random amounts, distinct sources, effective
 * times moving forward as in an import of history) are posted through {@link BulkJournal}
 * into the embedded PostgreSQL. The same rows (same entries, lines, columns and values) are
 * also written into bare tables of a scratch schema of the same database (same column types;
 * no keys, indexes, constraints, defaults or triggers) three ways: COPY, plain multi-row
 * {@code INSERT ... VALUES}, and {@code INSERT ... SELECT} from arrays as our path sends them.
 * The ratio of our rate to each is printed; {@code ratio} is the one to the fastest.
 *
 * <p>Every batch is one transaction with an ordinary synchronous commit, on every path. The
 * entries are generated in chunks before the clock starts (for the raw paths, entry ids and
 * fingerprints too: they pay only for sending rows and committing), and the paths take turns
 * chunk by chunk, so a busy machine slows all of them alike.
 */
@Command(name = "ledger", description = "Bulk-post N entries through BulkJournal and compare with raw COPY and INSERTs"
        + " of the same rows into bare tables.", mixinStandardHelpOptions = true)
final class LedgerBench implements Callable<Integer> {

    private static final String RAW_SCHEMA = "bench_raw";
    private static final Instant HISTORY_START = Instant.parse("2024-01-01T00:00:00Z");
    private static final int CHUNK_ENTRIES = 100_000;

    @Option(names = "--entries", description = "entries to post (default ${DEFAULT-VALUE})")
    int entries = 100_000;

    @Option(names = "--batch", description = "entries per batch, 1.." + BulkJournal.ENTRIES_MAX
            + " (default ${DEFAULT-VALUE})")
    int batch = BulkJournal.ENTRIES_MAX;

    @Option(names = "--threads", description = "batches posted at once, each on its own connection, on every path"
            + " (default ${DEFAULT-VALUE})")
    int threads = 1;

    @Option(names = "--warmup", description = "entries written on each path first and not counted"
            + " (default ${DEFAULT-VALUE})")
    int warmup = 20_000;

    @Option(names = "--seed", description = "seed of the random amounts and times (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--json", description = "print the figures as one JSON object on the last line")
    boolean json;

    /** A raw path: how it writes a batch into its own bare tables ({@code <name>_entries}, {@code <name>_lines}). */
    private record Raw(String name, String label, Work<RawBatch> work) {
    }

    private List<Raw> raws;
    /** Seconds spent on our path and on each raw path. */
    private double ours;
    private double[] raw;
    private int chunks;

    @Override
    public Integer call() throws Exception {
        if (entries < 1 || batch < 1 || batch > BulkJournal.ENTRIES_MAX || warmup < 0 || threads < 1 || threads > 16) {
            System.err.println("--entries must be >= 1, --batch 1.." + BulkJournal.ENTRIES_MAX + ", --warmup >= 0,"
                    + " --threads 1..16");
            return 2;
        }
        Path dataDir = Files.createTempDirectory("moneytrail-bench");
        HikariDataSource closeLater = null;
        System.out.println("starting Moneytrail (no web server) on a temporary embedded database in " + dataDir);
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(Moneytrail.class)
                .web(WebApplicationType.NONE)
                .run("--moneytrail.data-dir=" + dataDir, "--moneytrail.sandbox.enabled=false",
                        "--moneytrail.ledger.check-initial-delay-ms=86400000",
                        "--moneytrail.webhooks.retry-interval-ms=3600000",
                        "--logging.level.root=warn", "--logging.level.io.moneytrail=warn")) {
            BulkJournal journal = service.getBean(BulkJournal.class);
            // the raw paths write tables of their own, which the service's runtime role may not create
            HikariDataSource dataSource = DatabaseContext.ownerPool(service, "bench-owner", threads + 1);
            closeLater = dataSource;
            JdbcClient jdbc = JdbcClient.create(dataSource);
            raws = List.of(
                    new Raw("copy", "raw COPY", b -> copyRaw(dataSource, b)),
                    new Raw("values", "raw INSERT VALUES", b -> insertValuesRaw(dataSource, b)),
                    new Raw("unnest", "raw INSERT SELECT unnest", b -> insertUnnestRaw(dataSource, b)));
            createRawTables(jdbc);
            System.out.printf("ledger bench: %d two-line entries, batches of %d, %d thread(s), warm-up %d%n",
                    entries, batch, threads, warmup);

            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                Generator generator = new Generator(seed);
                if (warmup > 0) {
                    runChunk(generator.next(warmup), journal, dataSource, pool);
                }
                jdbc.sql("checkpoint").update();
                ours = 0;
                raw = new double[raws.size()];
                for (int done = 0; done < entries; ) {
                    List<NewEntry> chunk = generator.next(Math.min(CHUNK_ENTRIES, entries - done));
                    runChunk(chunk, journal, dataSource, pool);
                    done += chunk.size();
                    if (done < entries) {
                        System.err.printf("  ... %d of %d entries%n", done, entries);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            return report(jdbc, service.getBean(Balances.class), service.getBean(JournalSize.class));
        } finally {
            if (closeLater != null) {
                closeLater.close();
            }
            deleteQuietly(dataDir);
        }
    }

    /** One chunk on every path; the order of the paths turns with each chunk. */
    private void runChunk(List<NewEntry> chunk, BulkJournal journal, DataSource dataSource, ExecutorService pool)
            throws Exception {
        List<List<NewEntry>> batches = new ArrayList<>();
        for (int from = 0; from < chunk.size(); from += batch) {
            batches.add(chunk.subList(from, Math.min(chunk.size(), from + batch)));
        }
        List<RawBatch> rawBatches = batches.stream().map(RawBatch::new).toList();
        boolean oursFirst = chunks++ % 2 == 0;
        if (oursFirst) {
            ours += timed(pool, batches, journal::post);
        }
        for (int r = 0; r < raws.size(); r++) {
            double seconds = timed(pool, rawBatches, raws.get(r).work());
            if (raw != null) {
                raw[r] += seconds;
            }
        }
        if (!oursFirst) {
            ours += timed(pool, batches, journal::post);
        }
    }

    private interface Work<T> {
        Object run(T batch) throws Exception;
    }

    /** Runs every batch on the pool and answers the wall-clock seconds until all are done. */
    private static <T> double timed(ExecutorService pool, List<T> batches, Work<T> work) throws Exception {
        long started = System.nanoTime();
        List<Future<Object>> futures = new ArrayList<>();
        for (T b : batches) {
            futures.add(pool.submit(() -> work.run(b)));
        }
        for (Future<Object> future : futures) {
            future.get();
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private int report(JdbcClient jdbc, Balances balances, JournalSize journalSize) throws Exception {
        double oursRate = entries / ours;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("bench", "ledger");
        figures.put("entries", entries);
        figures.put("lines", 2L * entries);
        figures.put("batch", batch);
        figures.put("threads", threads);
        figures.put("seconds", round(ours));
        figures.put("entries_per_second", Math.round(oursRate));
        System.out.printf("  %-38s: %d entries in %6.2f s = %7.0f entries/s (%.0f lines/s)%n", "BulkJournal.post",
                entries, ours, oursRate, 2 * oursRate);
        double strictest = Double.MAX_VALUE;
        for (int r = 0; r < raws.size(); r++) {
            double rate = entries / raw[r];
            double ratio = oursRate / rate;
            strictest = Math.min(strictest, ratio);
            System.out.printf("  %-38s: %d entries in %6.2f s = %7.0f entries/s, ours / raw = %.2f%n",
                    raws.get(r).label() + ", bare tables", entries, raw[r], rate, ratio);
            figures.put("raw_" + raws.get(r).name() + "_seconds", round(raw[r]));
            figures.put("raw_" + raws.get(r).name() + "_entries_per_second", Math.round(rate));
            figures.put("ratio_to_raw_" + raws.get(r).name(), round(ratio));
        }
        System.out.printf("  %-38s: %.2f%n", "ratio to the fastest raw path", strictest);
        figures.put("ratio", round(strictest));

        long expected = (long) entries + warmup;
        JournalSize.Size size = journalSize.count();
        long posted = size.entries();
        long lines = size.lines();
        boolean ok = posted == expected && lines == 2 * expected;
        for (Raw r : raws) {
            ok &= jdbc.sql("select count(*) from " + RAW_SCHEMA + "." + r.name() + "_lines").query(Long.class)
                    .single() == 2 * expected;
        }
        Balances.TrialBalance trial = balances.trialBalance(Instant.now());
        ok &= trial.balanced();
        System.out.printf("  check: %d entries and %d lines in the journal, as many lines in each raw table, trial"
                + " balance %s: %s%n", posted, lines, trial.balanced() ? "sums to zero" : "DOES NOT sum to zero",
                ok ? "ok" : "FAILED");
        figures.put("checks_passed", ok);
        if (json) {
            System.out.println(JsonMapper.builder().build().writeValueAsString(figures));
        }
        return ok ? 0 : 1;
    }

    /** A batch's rows as the raw paths write them: ids and fingerprints made before the clock starts. */
    private static final class RawBatch {
        final List<NewEntry> entries;
        final String[] ids;
        final byte[][] fingerprints;

        RawBatch(List<NewEntry> entries) {
            this.entries = entries;
            ids = new String[entries.size()];
            fingerprints = new byte[entries.size()][];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = Ids.next("je_");
                fingerprints[i] = entries.get(i).fingerprint();
            }
        }
    }

    /** COPY (text format) into the bare tables, one transaction. */
    private static Object copyRaw(DataSource dataSource, RawBatch b) throws SQLException, IOException {
        HexFormat hex = HexFormat.of();
        String recordedAt = Instant.now().toString();
        StringBuilder entryRows = new StringBuilder(b.ids.length * 256);
        StringBuilder lineRows = new StringBuilder(b.ids.length * 160);
        for (int i = 0; i < b.ids.length; i++) {
            NewEntry entry = b.entries.get(i);
            String effectiveAt = entry.effectiveAt().toString();
            entryRows.append(b.ids[i]).append('\t');
            field(entryRows, entry.sourceType()).append('\t');
            field(entryRows, entry.sourceId()).append('\t');
            entryRows.append("\\\\x").append(hex.formatHex(b.fingerprints[i])).append('\t');
            field(entryRows, entry.orderId()).append('\t');
            entryRows.append(effectiveAt).append('\t').append(recordedAt).append('\t');
            field(entryRows, entry.description()).append('\t');
            field(entryRows, entry.reverses()).append('\t');
            field(entryRows, entry.actor()).append('\t');
            field(entryRows, entry.reason()).append('\n');
            List<Posting> lines = entry.lines();
            for (int j = 0; j < lines.size(); j++) {
                Posting line = lines.get(j);
                lineRows.append(b.ids[i]).append('\t').append(j).append('\t');
                field(lineRows, line.account()).append('\t').append(line.amount().amountMinor()).append('\t')
                        .append(line.amount().currencyCode()).append('\t').append(effectiveAt).append('\n');
            }
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            PGConnection pg = connection.unwrap(PGConnection.class);
            pg.getCopyAPI().copyIn("copy " + RAW_SCHEMA + ".copy_entries from stdin",
                    new ByteArrayInputStream(entryRows.toString().getBytes(StandardCharsets.UTF_8)));
            pg.getCopyAPI().copyIn("copy " + RAW_SCHEMA + ".copy_lines from stdin",
                    new ByteArrayInputStream(lineRows.toString().getBytes(StandardCharsets.UTF_8)));
            connection.commit();
        }
        return null;
    }

    private static final String RAW_UNNEST = """
            with e as (
                insert into %1$s.unnest_entries (id, source_type, source_id, fingerprint, order_id, effective_at,
                                                 recorded_at, description, reverses, actor, reason)
                select * from unnest(?::text[], ?::text[], ?::text[], ?::bytea[], ?::text[], ?::timestamptz[],
                                     ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[])
                returning 1
            ), l as (
                insert into %1$s.unnest_lines (entry_id, line_no, account_code, amount_minor, currency, effective_at)
                select * from unnest(?::text[], ?::int2[], ?::text[], ?::int8[], ?::text[], ?::timestamptz[])
                returning 1
            )
            select (select count(*) from e), (select count(*) from l)
            """.formatted(RAW_SCHEMA);

    /** One INSERT ... SELECT from arrays (our path's transport) of all the batch's entries and lines, one transaction. */
    private static Object insertUnnestRaw(DataSource dataSource, RawBatch b) throws SQLException {
        int n = b.ids.length;
        String[][] text = new String[7][n];
        String[] effective = new String[n];
        String[] recorded = new String[n];
        String now = Instant.now().toString();
        int lineCount = 0;
        for (int i = 0; i < n; i++) {
            NewEntry entry = b.entries.get(i);
            text[0][i] = entry.sourceType();
            text[1][i] = entry.sourceId();
            text[2][i] = entry.orderId();
            text[3][i] = entry.description();
            text[4][i] = entry.reverses();
            text[5][i] = entry.actor();
            text[6][i] = entry.reason();
            effective[i] = entry.effectiveAt().toString();
            recorded[i] = now;
            lineCount += entry.lines().size();
        }
        String[] lineEntries = new String[lineCount];
        short[] lineNos = new short[lineCount];
        String[] accounts = new String[lineCount];
        long[] amounts = new long[lineCount];
        String[] currencies = new String[lineCount];
        String[] lineEffective = new String[lineCount];
        int k = 0;
        for (int i = 0; i < n; i++) {
            List<Posting> lines = b.entries.get(i).lines();
            for (int j = 0; j < lines.size(); j++, k++) {
                lineEntries[k] = b.ids[i];
                lineNos[k] = (short) j;
                accounts[k] = lines.get(j).account();
                amounts[k] = lines.get(j).amount().amountMinor();
                currencies[k] = lines.get(j).amount().currencyCode();
                lineEffective[k] = effective[i];
            }
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            PGConnection pg = connection.unwrap(PGConnection.class);
            List<Array> arrays = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(RAW_UNNEST)) {
                Object[][] params = {
                        {"text", b.ids}, {"text", text[0]}, {"text", text[1]}, {"bytea", b.fingerprints},
                        {"text", text[2]}, {"timestamptz", effective}, {"timestamptz", recorded}, {"text", text[3]},
                        {"text", text[4]}, {"text", text[5]}, {"text", text[6]},
                        {"text", lineEntries}, {"int2", lineNos}, {"text", accounts}, {"int8", amounts},
                        {"text", currencies}, {"timestamptz", lineEffective}};
                for (int p = 0; p < params.length; p++) {
                    Array array = pg.createArrayOf((String) params[p][0], params[p][1]);
                    arrays.add(array);
                    statement.setArray(p + 1, array);
                }
                statement.executeQuery().close();
            } finally {
                for (Array array : arrays) {
                    array.free();
                }
            }
            connection.commit();
        }
        return null;
    }

    /** Rows per plain multi-row INSERT (PostgreSQL takes at most 65,535 parameters per statement). */
    private static final int VALUES_ROWS = 1_000;

    /** Plain multi-row {@code INSERT ... VALUES (?, ...), (?, ...)} statements, one transaction. */
    private static Object insertValuesRaw(DataSource dataSource, RawBatch b) throws SQLException {
        Timestamp recordedAt = Timestamp.from(Instant.now());
        List<Object[]> lines = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            for (int from = 0; from < b.ids.length; from += VALUES_ROWS) {
                int to = Math.min(b.ids.length, from + VALUES_ROWS);
                try (PreparedStatement statement = connection.prepareStatement(valuesSql("values_entries (id,"
                        + " source_type, source_id, fingerprint, order_id, effective_at, recorded_at, description,"
                        + " reverses, actor, reason)", 11, to - from))) {
                    int p = 1;
                    for (int i = from; i < to; i++) {
                        NewEntry entry = b.entries.get(i);
                        Timestamp effectiveAt = Timestamp.from(entry.effectiveAt());
                        statement.setString(p++, b.ids[i]);
                        statement.setString(p++, entry.sourceType());
                        statement.setString(p++, entry.sourceId());
                        statement.setBytes(p++, b.fingerprints[i]);
                        statement.setString(p++, entry.orderId());
                        statement.setTimestamp(p++, effectiveAt);
                        statement.setTimestamp(p++, recordedAt);
                        statement.setString(p++, entry.description());
                        statement.setString(p++, entry.reverses());
                        statement.setString(p++, entry.actor());
                        statement.setString(p++, entry.reason());
                        List<Posting> postings = entry.lines();
                        for (int j = 0; j < postings.size(); j++) {
                            lines.add(new Object[] {b.ids[i], j, postings.get(j), effectiveAt});
                        }
                    }
                    statement.executeUpdate();
                }
            }
            for (int from = 0; from < lines.size(); from += 2 * VALUES_ROWS) {
                int to = Math.min(lines.size(), from + 2 * VALUES_ROWS);
                try (PreparedStatement statement = connection.prepareStatement(valuesSql("values_lines (entry_id,"
                        + " line_no, account_code, amount_minor, currency, effective_at)", 6, to - from))) {
                    int p = 1;
                    for (int k = from; k < to; k++) {
                        Object[] line = lines.get(k);
                        Posting posting = (Posting) line[2];
                        statement.setString(p++, (String) line[0]);
                        statement.setShort(p++, (short) (int) (Integer) line[1]);
                        statement.setString(p++, posting.account());
                        statement.setLong(p++, posting.amount().amountMinor());
                        statement.setString(p++, posting.amount().currencyCode());
                        statement.setTimestamp(p++, (Timestamp) line[3]);
                    }
                    statement.executeUpdate();
                }
            }
            connection.commit();
        }
        return null;
    }

    private static String valuesSql(String table, int columns, int rows) {
        StringBuilder row = new StringBuilder("(?");
        row.append(", ?".repeat(columns - 1)).append(')');
        StringBuilder sql = new StringBuilder("insert into " + RAW_SCHEMA + "." + table + " values ");
        for (int r = 0; r < rows; r++) {
            sql.append(r == 0 ? "" : ", ").append(row);
        }
        return sql.toString();
    }

    /** A value in COPY's text format: {@code \N} for null, backslash, tab and line ends escaped. */
    private static StringBuilder field(StringBuilder out, String value) {
        if (value == null) {
            return out.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out;
    }

    /** Bare tables with the journal's column types: no keys, indexes, constraints, defaults or triggers. */
    private static void createRawTables(JdbcClient jdbc) {
        jdbc.sql("create schema " + RAW_SCHEMA).update();
        for (String method : List.of("copy", "values", "unnest")) {
            jdbc.sql("create table " + RAW_SCHEMA + "." + method + "_entries (id text, source_type text,"
                    + " source_id text, fingerprint bytea, order_id text, effective_at timestamptz,"
                    + " recorded_at timestamptz, description text, reverses text, actor text, reason text)").update();
            jdbc.sql("create table " + RAW_SCHEMA + "." + method + "_lines (entry_id text, line_no smallint,"
                    + " account_code text, amount_minor bigint, currency char(3), effective_at timestamptz)").update();
        }
    }

    /** Capture-like entries: random amounts, distinct sources, effective times moving forward. */
    private static final class Generator {
        private final Random random;
        private Instant at = HISTORY_START;

        Generator(long seed) {
            random = new Random(seed);
        }

        List<NewEntry> next(int count) {
            List<NewEntry> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                at = at.plusMillis(1 + random.nextInt(2_000));
                Money amount = Money.of(1 + random.nextInt(500_000), "EUR");
                out.add(PostingRules.capture(Ids.next(Ids.TRANSACTION), Ids.next(Ids.ORDER), "sandbox", amount, at));
            }
            return out;
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
