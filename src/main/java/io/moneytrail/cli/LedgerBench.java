package io.moneytrail.cli;

import io.moneytrail.Moneytrail;
import io.moneytrail.ledger.Balances;
import io.moneytrail.ledger.BulkJournal;
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
 * no keys, indexes, constraints, defaults or triggers), once by COPY and once by a plain
 * multi-row INSERT; the ratios of our rate to those raw rates are printed.
 *
 * <p>Every batch is one transaction with an ordinary synchronous commit, on every path. The
 * entries are generated in chunks before the clock starts (for the raw paths, entry ids and
 * fingerprints too: they pay only for sending rows and committing), and the three paths take
 * turns chunk by chunk, so a busy machine slows all three alike.
 */
@Command(name = "ledger", description = "Bulk-post N entries through BulkJournal and compare with raw COPY and INSERT"
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

    /** Seconds spent on each path. */
    private double ours;
    private double rawCopy;
    private double rawInsert;
    private int chunks;

    @Override
    public Integer call() throws Exception {
        if (entries < 1 || batch < 1 || batch > BulkJournal.ENTRIES_MAX || warmup < 0 || threads < 1 || threads > 16) {
            System.err.println("--entries must be >= 1, --batch 1.." + BulkJournal.ENTRIES_MAX + ", --warmup >= 0,"
                    + " --threads 1..16");
            return 2;
        }
        Path dataDir = Files.createTempDirectory("moneytrail-bench");
        System.out.println("starting Moneytrail (no web server) on a temporary embedded database in " + dataDir);
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(Moneytrail.class)
                .web(WebApplicationType.NONE)
                .run("--moneytrail.data-dir=" + dataDir, "--moneytrail.sandbox.enabled=false",
                        "--moneytrail.ledger.check-initial-delay-ms=86400000",
                        "--moneytrail.webhooks.retry-interval-ms=3600000",
                        "--logging.level.root=warn", "--logging.level.io.moneytrail=warn")) {
            BulkJournal journal = service.getBean(BulkJournal.class);
            DataSource dataSource = service.getBean(DataSource.class);
            JdbcClient jdbc = service.getBean(JdbcClient.class);
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
                rawCopy = 0;
                rawInsert = 0;
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
            return report(jdbc, service.getBean(Balances.class));
        } finally {
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
        List<RawBatch> raw = batches.stream().map(RawBatch::new).toList();
        boolean oursFirst = chunks++ % 2 == 0;
        if (oursFirst) {
            ours += timed(pool, batches, journal::post);
        }
        rawCopy += timed(pool, raw, b -> copyRaw(dataSource, b));
        rawInsert += timed(pool, raw, b -> insertRaw(dataSource, b));
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

    private int report(JdbcClient jdbc, Balances balances) throws Exception {
        double oursRate = entries / ours;
        double copyRate = entries / rawCopy;
        double insertRate = entries / rawInsert;
        System.out.printf("  BulkJournal.post            : %d entries in %6.2f s = %7.0f entries/s (%.0f lines/s)%n",
                entries, ours, oursRate, 2 * oursRate);
        System.out.printf("  raw COPY, bare tables       : %d entries in %6.2f s = %7.0f entries/s%n", entries, rawCopy,
                copyRate);
        System.out.printf("  raw INSERT, bare tables     : %d entries in %6.2f s = %7.0f entries/s%n", entries,
                rawInsert, insertRate);
        System.out.printf("  ratio ours / raw COPY       : %.2f%n", oursRate / copyRate);
        System.out.printf("  ratio ours / raw INSERT     : %.2f%n", oursRate / insertRate);

        long expected = (long) entries + warmup;
        long posted = jdbc.sql("select count(*) from journal_entries").query(Long.class).single();
        long lines = jdbc.sql("select count(*) from journal_lines").query(Long.class).single();
        long copied = jdbc.sql("select count(*) from " + RAW_SCHEMA + ".copy_lines").query(Long.class).single();
        long inserted = jdbc.sql("select count(*) from " + RAW_SCHEMA + ".insert_lines").query(Long.class).single();
        Balances.TrialBalance trial = balances.trialBalance(Instant.now());
        boolean ok = trial.balanced() && posted == expected && lines == 2 * expected && copied == 2 * expected
                && inserted == 2 * expected;
        System.out.printf("  check: %d entries and %d lines in the journal (%d lines in each raw table), trial balance"
                + " %s: %s%n", posted, lines, copied, trial.balanced() ? "sums to zero" : "DOES NOT sum to zero",
                ok ? "ok" : "FAILED");

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("bench", "ledger");
        figures.put("entries", entries);
        figures.put("lines", 2L * entries);
        figures.put("batch", batch);
        figures.put("threads", threads);
        figures.put("seconds", round(ours));
        figures.put("entries_per_second", Math.round(oursRate));
        figures.put("raw_copy_seconds", round(rawCopy));
        figures.put("raw_copy_entries_per_second", Math.round(copyRate));
        figures.put("raw_insert_seconds", round(rawInsert));
        figures.put("raw_insert_entries_per_second", Math.round(insertRate));
        figures.put("ratio_to_raw_copy", round(oursRate / copyRate));
        figures.put("ratio_to_raw_insert", round(oursRate / insertRate));
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

    private static final String RAW_INSERT = """
            with e as (
                insert into %1$s.insert_entries (id, source_type, source_id, fingerprint, order_id, effective_at,
                                                 recorded_at, description, reverses, actor, reason)
                select * from unnest(?::text[], ?::text[], ?::text[], ?::bytea[], ?::text[], ?::timestamptz[],
                                     ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[])
                returning 1
            ), l as (
                insert into %1$s.insert_lines (entry_id, line_no, account_code, amount_minor, currency, effective_at)
                select * from unnest(?::text[], ?::int2[], ?::text[], ?::int8[], ?::text[], ?::timestamptz[])
                returning 1
            )
            select (select count(*) from e), (select count(*) from l)
            """.formatted(RAW_SCHEMA);

    /** One multi-row INSERT of all the batch's entries and lines (from arrays), one transaction. */
    private static Object insertRaw(DataSource dataSource, RawBatch b) throws SQLException {
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
            try (PreparedStatement statement = connection.prepareStatement(RAW_INSERT)) {
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
        for (String method : List.of("copy", "insert")) {
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
