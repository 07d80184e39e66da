package io.moneytrail.reconrun;

import io.moneytrail.reconciliation.ImportProblem;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.ProviderRow;
import io.moneytrail.reconciliation.ProviderRowKind;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider report rows an import's check has just parsed, handed to the run of the same
 * process so that the report is parsed once per import + run (issue 14: the second commons-csv
 * pass was most of the JVM's time of a database-backed run at 1,000,000 rows).
 *
 * <p>Why a compact file and not the rows in memory: a million {@link ProviderRow}s with their
 * strings come to an estimated 400 MB, and the run holds the period's orders in the engine before
 * it reads the first provider row (peak heap 969 MB of 1 GB at 1,000,000 orders before this). Why
 * not a lighter check: the check must refuse exactly what the run's parse would, with the same
 * message and row problems, and only the full parse guarantees that. So the check writes each row
 * it accepts, already normalised, to a binary file beside the stored file (no quoting, amounts or
 * timestamps to parse again), and the run reads that back: at 1,000,000 orders the JVM's CPU of
 * import + run fell by about 3.5 s (of about 22 s), see the README's reconciliation figures.
 *
 * <p>Guarantees kept: the check is the same full parse as before (a malformed report is refused
 * with the same message, nothing stored); the stored CSV stays the evidence and the only input
 * of a run that finds no handed-over rows (another process, after a restart, a second run of the
 * file, the rows dropped for the bound or a failed write): such a run parses the stored copy as
 * before. The handed-over rows are keyed by the stored file's id, format and SHA-256, taken by
 * one run only and deleted after it; at most {@link #HELD_MAX} are held (the oldest deleted
 * first) and whatever is still held is deleted when the JVM exits.
 */
final class ParsedReports {

    /** Imports whose rows wait for their run; an import beyond it drops the oldest. */
    static final int HELD_MAX = 4;
    private static final int VERSION = 1;
    private static final Logger log = LoggerFactory.getLogger(ParsedReports.class);

    /** Rows handed over: the compact file, and the check's summary. */
    record Parsed(String fileId, String format, String sha256, Path rows, ImportSummary summary) {
    }

    private final Map<String, Parsed> held = new LinkedHashMap<>();

    /** Keeps the rows the check wrote for the stored file {@code fileId}. */
    synchronized void hold(Parsed parsed) {
        Parsed earlier = held.put(parsed.fileId(), parsed);
        if (earlier != null) {
            delete(earlier.rows());
        }
        Iterator<Parsed> oldest = held.values().iterator();
        while (held.size() > HELD_MAX) {
            delete(oldest.next().rows());
            oldest.remove();
        }
    }

    /** Takes the rows held for this stored file (once), if they are of the same bytes and format. */
    synchronized Optional<Parsed> take(ReconFile file) {
        Parsed parsed = held.remove(file.id());
        if (parsed == null) {
            return Optional.empty();
        }
        if (!parsed.sha256().equals(file.sha256()) || !parsed.format().equals(file.format())) {
            delete(parsed.rows());
            return Optional.empty();
        }
        return Optional.of(parsed);
    }

    /** The compact file held for this stored file, if any (tests). */
    synchronized Optional<Path> held(String fileId) {
        return Optional.ofNullable(held.get(fileId)).map(Parsed::rows);
    }

    static void delete(Path rows) {
        try {
            Files.deleteIfExists(rows);
        } catch (IOException e) {
            log.warn("cannot delete the parsed rows {}", rows, e);
        }
    }

    /**
     * Writes rows while the check parses them. A row it cannot write (a full disk, a field
     * longer than 65,535 bytes) makes it give up: the run then parses the stored file.
     */
    static final class Writer implements Consumer<ProviderRow>, AutoCloseable {
        private final Path path;
        private DataOutputStream out;
        private boolean failed;

        Writer(Path path) {
            this.path = path;
            try {
                this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16));
                out.writeInt(VERSION);
            } catch (IOException e) {
                fail(e);
            }
        }

        Path path() {
            return path;
        }

        /** False when it gave up (its file is then gone). */
        boolean complete() {
            return !failed;
        }

        @Override
        public void accept(ProviderRow row) {
            if (failed) {
                return;
            }
            try {
                out.writeByte(1);
                out.writeByte(row.kind() == null ? -1 : row.kind().ordinal());
                string(row.providerId());
                string(row.paymentId());
                string(row.chargeId());
                string(row.orderRef());
                out.writeLong(row.amountMinor());
                out.writeLong(row.feeMinor());
                out.writeLong(row.netMinor());
                string(row.currency());
                if (row.createdAt() == null) {
                    out.writeBoolean(false);
                } else {
                    out.writeBoolean(true);
                    out.writeLong(row.createdAt().getEpochSecond());
                    out.writeInt(row.createdAt().getNano());
                }
                string(row.payoutId());
                out.writeLong(row.line());
            } catch (IOException e) {
                fail(e);
            }
        }

        private void string(String value) throws IOException {
            if (value == null) {
                out.writeBoolean(false);
            } else {
                out.writeBoolean(true);
                out.writeUTF(value);
            }
        }

        private void fail(IOException e) {
            log.info("the parsed rows of an import are not kept for its run ({}); the run parses the stored file",
                    e.toString());
            failed = true;
            closeQuietly();
            delete(path);
        }

        /** Ends the file; false when it gave up. */
        boolean finish() {
            if (failed) {
                return false;
            }
            try {
                out.writeByte(0);
                out.close();
                return true;
            } catch (IOException e) {
                fail(e);
                return false;
            }
        }

        private void closeQuietly() {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // given up anyway
                }
            }
        }

        /** Without {@link #finish()}: the check refused the file, or failed; the rows go too. */
        @Override
        public void close() {
            closeQuietly();
        }
    }

    /** An opened file of rows (opened before the run reads any, so a vanished file means a normal parse). */
    static final class Reader implements AutoCloseable {
        private final DataInputStream in;

        private Reader(DataInputStream in) {
            this.in = in;
        }

        /** Opens it, or empty when it is gone or not of this version. */
        static Optional<Reader> open(Path path) {
            DataInputStream in = null;
            try {
                InputStream raw = Files.newInputStream(path);
                in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
                if (in.readInt() != VERSION) {
                    in.close();
                    return Optional.empty();
                }
                return Optional.of(new Reader(in));
            } catch (IOException e) {
                if (in != null) {
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        // nothing read
                    }
                }
                return Optional.empty();
            }
        }

        /** Gives every row, in the order the check read them; returns how many. */
        long read(Consumer<ProviderRow> rows) throws IOException {
            ProviderRowKind[] kinds = ProviderRowKind.values();
            Map<String, String> currencies = new HashMap<>();
            long count = 0;
            while (true) {
                byte marker = in.readByte();
                if (marker == 0) {
                    return count;
                }
                if (marker != 1) {
                    throw new IOException("parsed rows: unexpected marker " + marker + " after " + count + " rows");
                }
                int kind = in.readByte();
                String providerId = string();
                String paymentId = string();
                String chargeId = string();
                String orderRef = string();
                long amount = in.readLong();
                long fee = in.readLong();
                long net = in.readLong();
                String currency = string();
                if (currency != null) {
                    currency = currencies.computeIfAbsent(currency, c -> c);
                }
                Instant createdAt = in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
                String payoutId = string();
                long line = in.readLong();
                rows.accept(new ProviderRow(kind < 0 ? null : kinds[kind], providerId, paymentId, chargeId, orderRef,
                        amount, fee, net, currency, createdAt, payoutId, line));
                count++;
            }
        }

        private String string() throws IOException {
            return in.readBoolean() ? in.readUTF() : null;
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // read already
            }
        }
    }

    /** The check's summary as the run's own read would give it: named by the stored file's path. */
    static ImportSummary renamed(ImportSummary summary, String from, String to) {
        List<ImportProblem> problems = new ArrayList<>();
        for (ImportProblem problem : summary.problems()) {
            problems.add(new ImportProblem(to, problem.line(),
                    from == null ? problem.reason() : problem.reason().replace(from, to)));
        }
        return new ImportSummary(to, summary.format(), summary.rowsAccepted(), summary.rowsRejected(), summary.bytes(),
                List.copyOf(problems), summary.problemsTotal(), summary.statementPeriod());
    }
}
