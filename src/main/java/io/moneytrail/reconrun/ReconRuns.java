package io.moneytrail.reconrun;

import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.reconciliation.Audit;
import io.moneytrail.reconciliation.AuditOutcome;
import io.moneytrail.reconciliation.AuditRequest;
import io.moneytrail.reconciliation.Discrepancy;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.ProviderRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.moneytrail.reconciliation.StoreOrder;
import java.util.Collection;
import java.util.function.Consumer;
import io.moneytrail.reconciliation.Leg;
import io.moneytrail.reconciliation.MatchSink;
import io.moneytrail.reconciliation.Progress;
import io.moneytrail.reconciliation.ReconciliationResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Database-backed reconciliation runs: our orders (from the database, as the default order
 * export) against a stored provider report and, optionally, a bank statement, through the same
 * engine as the file-only audit, plus the internal leg from the ledger. Every run is recorded
 * with its inputs and counts; every discrepancy lands in the exceptions queue.
 */
@Service
public class ReconRuns {

    /** The longest period one run covers. */
    public static final int PERIOD_DAYS_MAX = 366;
    /** Reports of one provider a run reads together (YooKassa: its payment and refund registries, and some slack). */
    public static final int PROVIDER_FILES_MAX = 10;

    private static final Logger log = LoggerFactory.getLogger(ReconRuns.class);

    private final JdbcClient jdbc;
    private final ReconFiles files;
    private final ReconExceptions exceptions;
    private final OurSide ours;
    private final ReceiptCheck receipts;
    private final ObjectMapper json;
    private final Clock clock;
    private final TransactionTemplate transactions;

    ReconRuns(JdbcClient jdbc, ReconFiles files, ReconExceptions exceptions, OurSide ours, ReceiptCheck receipts,
              ObjectMapper json, Clock clock, TransactionTemplate transactions) {
        this.receipts = receipts;
        this.jdbc = jdbc;
        this.files = files;
        this.exceptions = exceptions;
        this.ours = ours;
        this.json = json;
        this.clock = clock;
        this.transactions = transactions;
    }

    /**
     * Runs synchronously and returns the recorded run.
     *
     * @param providerFileId null: the internal leg only (the daily run on a day with no report)
     * @param trigger api, schedule, cli or backoffice
     */
    public ReconRun run(LocalDate from, LocalDate to, String providerFileId, String bankFileId, String trigger) {
        return run(from, to, providerFileId == null ? List.of() : List.of(providerFileId), bankFileId, trigger);
    }

    /**
     * As {@link #run(LocalDate, LocalDate, String, String, String)} with several reports of one
     * provider read into the same run (YooKassa's payment registry and its refund registry).
     *
     * @param providerFileIds empty: the internal leg only
     */
    public ReconRun run(LocalDate from, LocalDate to, List<String> providerFileIds, String bankFileId, String trigger) {
        if (from == null) {
            throw MoneytrailException.invalid("parameter_missing", "from", "from is required (a date, 2026-05-01)");
        }
        if (to == null) {
            throw MoneytrailException.invalid("parameter_missing", "to", "to is required (a date, 2026-05-31)");
        }
        if (from.isAfter(to)) {
            throw MoneytrailException.invalid("parameter_invalid", "from", "from " + from + " is after to " + to);
        }
        if (ChronoUnit.DAYS.between(from, to) >= PERIOD_DAYS_MAX) {
            throw MoneytrailException.invalid("parameter_invalid", "to", "a run covers at most " + PERIOD_DAYS_MAX + " days");
        }
        if (providerFileIds.size() > PROVIDER_FILES_MAX) {
            throw MoneytrailException.invalid("parameter_invalid", "provider_files", "a run reads at most "
                    + PROVIDER_FILES_MAX + " provider reports");
        }
        List<ReconFile> providerFiles = new ArrayList<>();
        for (String providerFileId : new LinkedHashSet<>(providerFileIds)) {
            ReconFile file = file(providerFileId, FileFormats.PROVIDER, "provider_file");
            if (!providerFiles.isEmpty() && !providerFiles.get(0).format().equals(file.format())) {
                throw MoneytrailException.invalid("parameter_invalid", "provider_files", "provider reports of one run"
                        + " are of one format: " + providerFiles.get(0).id() + " is " + providerFiles.get(0).format()
                        + ", " + file.id() + " is " + file.format());
            }
            providerFiles.add(file);
        }
        ReconFile provider = providerFiles.isEmpty() ? null : providerFiles.get(0);
        ReconFile bank = bankFileId == null ? null : file(bankFileId, FileFormats.BANK, "bank_file");
        if (bank != null && provider == null) {
            throw MoneytrailException.invalid("parameter_missing", "provider_file",
                    "a bank statement is reconciled against a provider report: give provider_file too");
        }
        String id = Ids.next("rr_");
        Instant started = clock.instant();
        jdbc.sql("""
                        insert into recon_runs (id, period_from, period_to, trigger, inputs, status, started_at)
                        values (:id, :from, :to, :trigger, cast(:inputs as jsonb), 'running', :started)
                        """)
                .param("id", id).param("from", Date.valueOf(from)).param("to", Date.valueOf(to))
                .param("trigger", trigger).param("inputs", inputs(providerFiles, bank))
                .param("started", Timestamp.from(started)).update();
        try {
            execute(id, from, to, providerFiles, bank);
        } catch (RuntimeException e) {
            log.warn("reconciliation run {} failed", id, e);
            jdbc.sql("update recon_runs set status = 'failed', error = :error, finished_at = :at where id = :id")
                    .param("error", String.valueOf(e.getMessage())).param("at", Timestamp.from(clock.instant()))
                    .param("id", id).update();
            throw e;
        }
        return find(id).orElseThrow();
    }

    private ReconFile file(String id, String kind, String param) {
        ReconFile file = files.find(id).orElseThrow(() -> MoneytrailException.invalid("file_unknown", param,
                "no reconciliation file " + id));
        if (!kind.equals(file.kind())) {
            throw MoneytrailException.invalid("file_kind_invalid", param, id + " is a " + file.kind() + " file, not a "
                    + kind + " file");
        }
        return file;
    }

    private String inputs(List<ReconFile> providerFiles, ReconFile bank) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("provider_file", describe(providerFiles.isEmpty() ? null : providerFiles.get(0)));
        if (providerFiles.size() > 1) {
            inputs.put("provider_files", providerFiles.stream().map(ReconRuns::describe).toList());
        }
        inputs.put("bank_file", describe(bank));
        inputs.put("orders", "database");
        return json.writeValueAsString(inputs);
    }

    private static Map<String, Object> describe(ReconFile file) {
        if (file == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", file.id());
        map.put("kind", file.kind());
        map.put("format", file.format());
        map.put("name", file.name());
        map.put("sha256", file.sha256());
        map.put("bytes", file.bytes());
        return map;
    }

    private void execute(String id, LocalDate from, LocalDate to, List<ReconFile> providerFiles, ReconFile bank) {
        ReconFile provider = providerFiles.isEmpty() ? null : providerFiles.get(0);
        Instant fromAt = from.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant toAt = to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        OurSide.Internal[] internalLeg = new OurSide.Internal[1];
        List<Discrepancy> found = new ArrayList<>();
        Map<String, Object> counts = new LinkedHashMap<>();
        Double rate = null;
        if (provider == null) {
            internalLeg[0] = ours.pass(fromAt, toAt, null);
        } else {
            AuditOutcome outcome = providerAndBank(fromAt, toAt, providerFiles, bank, internalLeg);
            ReconciliationResult result = outcome.result();
            for (Discrepancy d : result.discrepancies()) {
                // the internal leg comes from the database (it knows the ledger, refunds and compensations in flight)
                if (d.kind().leg() != Leg.INTERNAL) {
                    found.add(d);
                }
            }
            long inScope = result.counts().getOrDefault("orders_in_scope", 0L);
            long clean = result.counts().getOrDefault("orders_clean", 0L);
            counts.put("matched", clean);
            counts.put("unmatched", inScope - clean);
            counts.put("problems", outcome.problemsTotal());
            counts.put("engine", result.counts());
            counts.put("amounts", result.totals());
            rate = result.matchedShare();
        }
        OurSide.Internal internal = internalLeg[0];
        found.addAll(internal.discrepancies());
        counts.put("internal_orders_checked", internal.ordersChecked());
        // receipt reconciliation (issue 14): captures, fulfilments and refunds vs their fiscal receipts
        ReceiptReconciliation.Outcome receipted = receipts.run(fromAt, toAt, clock.instant());
        found.addAll(receipted.discrepancies());
        counts.put("receipts", receipted.counts());
        if (provider == null) {
            Set<String> flagged = new HashSet<>();
            internal.discrepancies().forEach(d -> flagged.add(d.orderId()));
            counts.put("matched", internal.ordersChecked() - flagged.size());
            counts.put("unmatched", (long) flagged.size());
            rate = internal.ordersChecked() == 0 ? 1.0 : (double) (internal.ordersChecked() - flagged.size())
                    / internal.ordersChecked();
        }
        // one discrepancy per fingerprint, in severity order
        Map<String, Discrepancy> distinct = new LinkedHashMap<>();
        found.sort((a, b) -> a.kind().compareTo(b.kind()));
        for (Discrepancy d : found) {
            distinct.putIfAbsent(ReconExceptions.fingerprint(d), d);
        }
        Map<String, Long> byClass = new LinkedHashMap<>();
        Map<String, Map<String, Long>> differenceByClass = new LinkedHashMap<>();
        for (Discrepancy d : distinct.values()) {
            byClass.merge(d.kind().wireName(), 1L, Long::sum);
            Long difference = d.differenceMinor();
            if (difference != null && d.currency() != null) {
                differenceByClass.computeIfAbsent(d.kind().wireName(), k -> new LinkedHashMap<>())
                        .merge(d.currency(), Math.abs(difference), Math::addExact);
            }
        }
        counts.put("discrepancies", (long) distinct.size());
        counts.put("by_class", byClass);
        counts.put("difference_by_class", differenceByClass);
        String countsJson = json.writeValueAsString(counts);
        Double matchedRate = rate;
        transactions.executeWithoutResult(status -> {
            List<Discrepancy> all = new ArrayList<>(distinct.values());
            List<String> evidence = all.stream().map(exceptions::evidenceJson).toList();
            List<String> exceptionIds = exceptions.recordAll(all, evidence, id);
            // the run's own list, a chunk per statement
            for (int start = 0; start < all.size(); start += ReconExceptions.CHUNK) {
                int end = Math.min(all.size(), start + ReconExceptions.CHUNK);
                int[] seqs = new int[end - start];
                String[] classes = new String[end - start];
                String[] severities = new String[end - start];
                String[] legs = new String[end - start];
                String[] orderIds = new String[end - start];
                for (int i = start; i < end; i++) {
                    Discrepancy d = all.get(i);
                    seqs[i - start] = i;
                    classes[i - start] = d.kind().wireName();
                    severities[i - start] = d.kind().severity().name().toLowerCase(Locale.ROOT);
                    legs[i - start] = d.kind().leg().name().toLowerCase(Locale.ROOT);
                    orderIds[i - start] = d.orderId();
                }
                jdbc.sql("""
                                insert into recon_run_discrepancies (run_id, seq, class, severity, leg, order_id,
                                                                     exception_id, evidence)
                                select :run, seq, class, severity, leg, order_id, exception_id, cast(evidence as jsonb)
                                from unnest(cast(:seqs as int[]), cast(:classes as text[]), cast(:severities as text[]),
                                            cast(:legs as text[]), cast(:orders as text[]),
                                            cast(:exceptions as text[]), cast(:evidence as text[]))
                                    as x(seq, class, severity, leg, order_id, exception_id, evidence)
                                """)
                        .param("run", id).param("seqs", seqs).param("classes", classes)
                        .param("severities", severities).param("legs", legs).param("orders", orderIds)
                        .param("exceptions", exceptionIds.subList(start, end).toArray(new String[0]))
                        .param("evidence", evidence.subList(start, end).toArray(new String[0])).update();
            }
            jdbc.sql("""
                            update recon_runs set status = 'succeeded', counts = cast(:counts as jsonb),
                                   matched_rate = :rate, finished_at = :at
                            where id = :id
                            """)
                    .param("counts", countsJson)
                    .param("rate", matchedRate == null ? null
                            : BigDecimal.valueOf(matchedRate).setScale(6, RoundingMode.HALF_UP))
                    .param("at", Timestamp.from(clock.instant())).param("id", id).update();
        });
    }

    /**
     * The provider and bank legs through the audit's engine, our side streamed straight into it from
     * the database (one pass that also checks the internal leg, into {@code internal}), then the
     * earlier orders the reports name: only the provider payment ids of rows no order of the period
     * claimed are looked up, and those rows linked again (the reports are read once, by the engine).
     */
    private AuditOutcome providerAndBank(Instant fromAt, Instant toAt, List<ReconFile> providerFiles, ReconFile bank,
                                         OurSide.Internal[] internal) {
        ReconFile provider = providerFiles.get(0);
        AuditRequest request = new AuditRequest(Path.of("database"), provider.path(),
                FileFormats.provider(provider.format()), bank == null ? null : bank.path(),
                bank == null ? null : FileFormats.bank(bank.format()), null, null, null, null, null, null,
                providerFiles.subList(1, providerFiles.size()).stream().map(ReconFile::path).toList());
        return Audit.run(request, new Audit.OrderSource() {
            @Override
            public ImportSummary feed(Consumer<StoreOrder> orders) {
                internal[0] = ours.pass(fromAt, toAt, orders);
                return new ImportSummary("database", "orders", internal[0].ordersChecked(), 0, 0, List.of(), 0);
            }

            @Override
            public long expectedOrders() {
                // the engine's indexes sized once for the period's orders, not grown a doubling at a time
                return ours.count(fromAt, toAt);
            }

            @Override
            public ImportSummary providerRows(Path report, Consumer<ProviderRow> rows) {
                // the rows this process's import just parsed, if it did: the report is parsed once
                ReconFile file = providerFiles.stream().filter(f -> f.path().equals(report)).findFirst().orElse(null);
                return file == null ? null : handedOver(file, rows);
            }

            @Override
            public long late(Collection<String> providerPaymentIds, Consumer<StoreOrder> orders) {
                // orders charged (or refunded) in the reports but created before the period are ours too
                return ours.earlier(providerPaymentIds, fromAt, orders, internal[0].ordersChecked() + 2);
            }
        }, MatchSink.NONE, Progress.NONE);
    }

    /**
     * The rows of {@code file} its import's check parsed in this process (then deleted), or null
     * when there are none (an import of another process, before a restart, or a second run): the
     * engine then parses the stored file, which stays the evidence either way.
     */
    private ImportSummary handedOver(ReconFile file, Consumer<ProviderRow> rows) {
        Optional<ParsedReports.Parsed> parsed = files.takeParsed(file);
        if (parsed.isEmpty()) {
            return null;
        }
        try {
            Optional<ParsedReports.Reader> reader = ParsedReports.Reader.open(parsed.get().rows());
            if (reader.isEmpty()) {
                return null;
            }
            try (ParsedReports.Reader in = reader.get()) {
                long read = in.read(rows);
                if (read != parsed.get().summary().rowsAccepted()) {
                    throw new IllegalStateException("the parsed rows of " + file.id() + " are " + read + ", its import"
                            + " accepted " + parsed.get().summary().rowsAccepted());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the parsed rows of " + file.id(), e);
            }
            return parsed.get().summary();
        } finally {
            ParsedReports.delete(parsed.get().rows());
        }
    }

    public Optional<ReconRun> find(String id) {
        return jdbc.sql("select * from recon_runs where id = :id").param("id", id).query(ReconRuns::map).optional();
    }

    /** Newest first, by id. */
    public List<ReconRun> list(String startingAfter, int limit) {
        return jdbc.sql("""
                        select * from recon_runs where (cast(:after as text) is null or id < :after)
                        order by id desc limit :limit
                        """)
                .param("after", startingAfter).param("limit", limit).query(ReconRuns::map).list();
    }

    /** A run's discrepancy as recorded: its position, the exception it feeds and the evidence. */
    public record RunDiscrepancy(int seq, String discrepancyClass, String severity, String leg, String orderId,
                                 String exceptionId, String evidenceJson) {
    }

    /** A page of a run's discrepancies in severity order, after position {@code startingAfter}. */
    public List<RunDiscrepancy> discrepancies(String runId, String discrepancyClass, Integer startingAfter, int limit) {
        return jdbc.sql("""
                        select seq, class, severity, leg, order_id, exception_id, evidence from recon_run_discrepancies
                        where run_id = :run and (cast(:class as text) is null or class = :class)
                          and seq > :after
                        order by seq limit :limit
                        """)
                .param("run", runId).param("class", discrepancyClass)
                .param("after", startingAfter == null ? -1 : startingAfter).param("limit", limit)
                .query((rs, n) -> new RunDiscrepancy(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7)))
                .list();
    }

    static ReconRun map(ResultSet rs, int n) throws SQLException {
        BigDecimal rate = rs.getBigDecimal("matched_rate");
        Timestamp finished = rs.getTimestamp("finished_at");
        return new ReconRun(rs.getString("id"), rs.getDate("period_from").toLocalDate(),
                rs.getDate("period_to").toLocalDate(), rs.getString("trigger"), rs.getString("inputs"),
                rs.getString("counts"), rate == null ? null : rate.doubleValue(), rs.getString("status"),
                rs.getString("error"), rs.getTimestamp("started_at").toInstant(),
                finished == null ? null : finished.toInstant());
    }

    /** The daily run's period and inputs: yesterday (UTC), the latest files uploaded that day. */
    public ReconRun daily(LocalDate day) {
        Instant start = day.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        String provider = files.latest(FileFormats.PROVIDER, start, end).map(ReconFile::id).orElse(null);
        String bank = provider == null ? null : files.latest(FileFormats.BANK, start, end).map(ReconFile::id).orElse(null);
        return run(day, day, provider, bank, "schedule");
    }
}
