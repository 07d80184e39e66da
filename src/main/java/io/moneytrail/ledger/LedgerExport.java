package io.moneytrail.ledger;

import io.moneytrail.ledger.export.BeancountWriter;
import io.moneytrail.ledger.export.CsvWriter;
import io.moneytrail.ledger.export.EntryWriter;
import io.moneytrail.ledger.export.ExportHeader;
import io.moneytrail.ledger.export.JournalFileWriter;
import io.moneytrail.money.ErrorType;
import io.moneytrail.money.MoneytrailException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Exports the journal entries effective in a range of UTC dates (both ends inclusive) as an
 * hledger or Ledger journal, a Beancount file or a CSV general journal, streamed: the lines
 * are read through a server-side cursor ({@value #FETCH_SIZE} rows at a time, in one
 * read-only repeatable-read transaction, so the chart, the currencies and the entries are
 * one consistent snapshot) and written entry by entry, in constant memory however long the
 * range. Ranges are bounded by {@code moneytrail.ledger.export-days-max} (366 days), and
 * exports running at once by {@code moneytrail.ledger.export-concurrency-max} (4): each holds
 * a database connection while it streams.
 */
@Service
public class LedgerExport {

    /** Rows fetched per round trip of the cursor. */
    public static final int FETCH_SIZE = 1000;

    /** The export formats, with their wire name, file extension and media type. */
    public enum Format {
        HLEDGER("hledger", "journal", "text/plain; charset=utf-8"),
        LEDGER("ledger", "ledger", "text/plain; charset=utf-8"),
        BEANCOUNT("beancount", "beancount", "text/plain; charset=utf-8"),
        CSV("csv", "csv", "text/csv; charset=utf-8");

        private final String wire;
        private final String extension;
        private final String contentType;

        Format(String wire, String extension, String contentType) {
            this.wire = wire;
            this.extension = extension;
            this.contentType = contentType;
        }

        public String wire() {
            return wire;
        }

        public String extension() {
            return extension;
        }

        public String contentType() {
            return contentType;
        }

        /** The format named by its wire name (case-insensitive); 400 {@code format} otherwise. */
        public static Format parse(String value) {
            if (value == null || value.isBlank()) {
                throw MoneytrailException.invalid("parameter_missing", "format",
                        "format is required: hledger, ledger, beancount or csv");
            }
            String wanted = value.trim().toLowerCase(Locale.ROOT);
            for (Format format : values()) {
                if (format.wire.equals(wanted)) {
                    return format;
                }
            }
            throw MoneytrailException.invalid("parameter_invalid", "format",
                    "format must be one of hledger, ledger, beancount, csv");
        }
    }

    /** What an export wrote. */
    public record ExportSummary(Format format, LocalDate from, LocalDate toInclusive, long entries, long lines) {
    }

    /**
     * The currencies used in the range, without reading the range: a skip scan of the
     * (account, currency, effective_at) index finds each account's currencies, then one index
     * probe per pair asks whether it has a line in the range (a scalar subquery with a limit,
     * so the planner cannot turn it into a scan of all lines).
     */
    private static final String CURRENCIES = """
            with recursive pairs(account_code, currency) as (
                select a.code, (select min(l.currency) from journal_lines l where l.account_code = a.code)
                from ledger_accounts a
              union all
                select p.account_code, (select min(l.currency) from journal_lines l
                                        where l.account_code = p.account_code and l.currency > p.currency)
                from pairs p where p.currency is not null
            )
            select distinct p.currency from pairs p
            where p.currency is not null
              and (select true from journal_lines l
                   where l.account_code = p.account_code and l.currency = p.currency
                     and l.effective_at >= ? and l.effective_at < ? limit 1)
            order by 1
            """;

    private static final String LINES = """
            select e.id, e.source_type, e.source_id, e.order_id, e.effective_at, e.recorded_at, e.description,
                   e.reverses, e.actor, e.reason, l.line_no, l.account_code, l.amount_minor, l.currency
            from journal_entries e join journal_lines l on l.entry_id = e.id
            where e.effective_at >= ? and e.effective_at < ?
            order by e.effective_at, e.id, l.line_no
            """;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate snapshot;
    private final Accounts accounts;
    private final Clock clock;
    private final int daysMax;
    private final int concurrencyMax;
    private final Semaphore running;

    LedgerExport(DataSource dataSource, PlatformTransactionManager transactions, Accounts accounts, Clock clock,
                 @Value("${moneytrail.ledger.export-days-max:366}") int daysMax,
                 @Value("${moneytrail.ledger.export-concurrency-max:4}") int concurrencyMax) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(FETCH_SIZE);
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.accounts = accounts;
        this.clock = clock;
        this.daysMax = daysMax;
        this.concurrencyMax = concurrencyMax;
        this.running = new Semaphore(concurrencyMax);
    }

    public int daysMax() {
        return daysMax;
    }

    /** A date as {@code YYYY-MM-DD}; 400 naming {@code param} otherwise. */
    public static LocalDate date(String value, String param) {
        if (value == null || value.isBlank()) {
            throw MoneytrailException.invalid("parameter_missing", param, param + " is required (YYYY-MM-DD)");
        }
        try {
            return io.moneytrail.money.Dates.inRange(LocalDate.parse(value.trim()), param);
        } catch (DateTimeParseException e) {
            throw MoneytrailException.invalid("parameter_invalid", param, param + " must be a date YYYY-MM-DD");
        }
    }

    /** Checks that {@code from} is not after {@code to}; 400 {@code from} otherwise. */
    public static void checkOrder(LocalDate from, LocalDate toInclusive) {
        if (from.isAfter(toInclusive)) {
            throw MoneytrailException.invalid("range_invalid", "from", "from (" + from + ") is after to ("
                    + toInclusive + ")");
        }
    }

    /** Checks a range: ordered, and at most {@code moneytrail.ledger.export-days-max} days. */
    public void validate(LocalDate from, LocalDate toInclusive) {
        if (from == null || toInclusive == null) {
            throw MoneytrailException.invalid("parameter_missing", from == null ? "from" : "to",
                    "from and to are required (YYYY-MM-DD)");
        }
        checkOrder(from, toInclusive);
        long days = ChronoUnit.DAYS.between(from, toInclusive) + 1;
        if (days > daysMax) {
            throw MoneytrailException.invalid("range_too_large", "to", "an export covers at most " + daysMax
                    + " days; " + from + " to " + toInclusive + " is " + days);
        }
    }

    /**
     * Validates the range and takes one of the export slots, before anything is written (the
     * API answers errors before it starts streaming). The slot is given back when the export
     * has been written or the prepared export is closed.
     */
    public Prepared prepare(Format format, LocalDate from, LocalDate toInclusive) {
        if (format == null) {
            throw MoneytrailException.invalid("parameter_missing", "format", "format is required");
        }
        validate(from, toInclusive);
        if (!running.tryAcquire()) {
            throw new MoneytrailException(ErrorType.STATE, 429, "exports_busy", null, concurrencyMax
                    + " exports are running; try again when one has finished");
        }
        return new Prepared(format, from, toInclusive);
    }

    /** Validates, then writes the export to {@code out} (flushed, not closed). */
    public ExportSummary write(Format format, LocalDate from, LocalDate toInclusive, OutputStream out)
            throws IOException {
        try (Prepared export = prepare(format, from, toInclusive)) {
            return export.writeTo(out);
        }
    }

    /** A validated export holding a slot; write it once. */
    public final class Prepared implements AutoCloseable {

        private final Format format;
        private final LocalDate from;
        private final LocalDate toInclusive;
        private final AtomicBoolean done = new AtomicBoolean();

        private Prepared(Format format, LocalDate from, LocalDate toInclusive) {
            this.format = format;
            this.from = from;
            this.toInclusive = toInclusive;
        }

        public Format format() {
            return format;
        }

        /** A file name for the export, e.g. {@code moneytrail-ledger-2024-03-01-to-2024-03-31.journal}. */
        public String fileName() {
            return "moneytrail-ledger-" + from + "-to-" + toInclusive + "." + format.extension();
        }

        public ExportSummary writeTo(OutputStream out) throws IOException {
            if (done.get()) {
                throw new IllegalStateException("an export is written once");
            }
            try {
                return stream(format, from, toInclusive, out);
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            if (done.compareAndSet(false, true)) {
                running.release();
            }
        }
    }

    private ExportSummary stream(Format format, LocalDate from, LocalDate toInclusive, OutputStream out)
            throws IOException {
        Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        EntryWriter writer = writer(format, text);
        OffsetDateTime start = from.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime end = toInclusive.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        try {
            return snapshot.execute(status -> {
                List<String> currencies = jdbc.queryForList(CURRENCIES, String.class, start, end).stream()
                        .map(String::trim).toList();
                write(() -> writer.begin(new ExportHeader(from, toInclusive, accounts.all(), currencies,
                        clock.instant())));
                EntryAssembler assembler = new EntryAssembler(writer);
                jdbc.query(LINES, assembler, start, end);
                assembler.finish();
                write(() -> writer.end(assembler.entries, assembler.lines));
                return new ExportSummary(format, from, toInclusive, assembler.entries, assembler.lines);
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static EntryWriter writer(Format format, Writer text) throws IOException {
        switch (format) {
            case HLEDGER:
                return new JournalFileWriter(text, JournalFileWriter.Dialect.HLEDGER);
            case LEDGER:
                return new JournalFileWriter(text, JournalFileWriter.Dialect.LEDGER);
            case BEANCOUNT:
                return new BeancountWriter(text);
            case CSV:
                return new CsvWriter(text);
            default:
                throw new IllegalArgumentException("no writer for " + format);
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void write(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gathers the rows of one entry (at most {@link NewEntry#LINES_MAX}) and hands it on whole. */
    private static final class EntryAssembler implements RowCallbackHandler {

        private final EntryWriter writer;
        private final List<JournalEntry.Line> current = new ArrayList<>();
        private Object[] head;
        private long entries;
        private long lines;

        EntryAssembler(EntryWriter writer) {
            this.writer = writer;
        }

        @Override
        public void processRow(ResultSet rs) throws SQLException {
            String id = rs.getString(1);
            if (head != null && !head[0].equals(id)) {
                finish();
            }
            if (head == null) {
                head = new Object[] {id, rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant(),
                        rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getString(7), rs.getString(8),
                        rs.getString(9), rs.getString(10)};
            }
            current.add(new JournalEntry.Line(rs.getInt(11), rs.getString(12), rs.getLong(13),
                    rs.getString(14).trim()));
        }

        void finish() {
            if (head == null) {
                return;
            }
            // JournalEntry re-checks the entry (two lines or more, balanced per currency)
            JournalEntry entry = new JournalEntry((String) head[0], (String) head[1], (String) head[2],
                    (String) head[3], (Instant) head[4], (Instant) head[5], (String) head[6], (String) head[7],
                    (String) head[8], (String) head[9], current);
            write(() -> writer.entry(entry));
            entries++;
            lines += current.size();
            current.clear();
            head = null;
        }
    }
}
