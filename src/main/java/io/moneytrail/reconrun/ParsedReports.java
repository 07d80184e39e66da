package io.moneytrail.reconrun;

import io.moneytrail.reconciliation.ImportProblem;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.ProviderRow;
import io.moneytrail.reconciliation.ProviderRowKind;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
    /** 2: the fields written through the writer's own buffer (1 went through DataOutputStream). */
    private static final int VERSION = 2;
    /** The longest field, in UTF-8 bytes. */
    static final int STRING_MAX = 65_535;
    /** Room for the longest field and its header, so one flush always makes room. */
    private static final int BUFFER = 1 << 17;
    /** Big-endian longs and ints read and written in place in the buffers (the JDK's view, not hand-made shifts). */
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
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
     * Writes rows while the check parses them, into a buffer of its own (no stream call per field).
     * A row it cannot write (a full disk, a field longer than {@value #STRING_MAX} bytes) makes it
     * give up: the run then parses the stored file.
     */
    static final class Writer implements Consumer<ProviderRow>, AutoCloseable {
        private final Path path;
        private final byte[] buffer = new byte[BUFFER];
        private int at;
        private OutputStream out;
        private boolean failed;

        Writer(Path path) {
            this.path = path;
            try {
                this.out = Files.newOutputStream(path);
                writeInt(VERSION);
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
                room(2);
                buffer[at++] = 1;
                buffer[at++] = (byte) (row.kind() == null ? -1 : row.kind().ordinal());
                string(row.providerId());
                string(row.paymentId());
                string(row.chargeId());
                string(row.orderRef());
                writeLong(row.amountMinor());
                writeLong(row.feeMinor());
                writeLong(row.netMinor());
                string(row.currency());
                if (row.createdAt() == null) {
                    room(1);
                    buffer[at++] = 0;
                } else {
                    room(1);
                    buffer[at++] = 1;
                    writeLong(row.createdAt().getEpochSecond());
                    writeInt(row.createdAt().getNano());
                }
                string(row.payoutId());
                writeLong(row.line());
            } catch (IOException e) {
                fail(e);
            }
        }

        private void room(int bytes) throws IOException {
            if (at + bytes > buffer.length) {
                out.write(buffer, 0, at);
                at = 0;
            }
        }

        private void writeLong(long value) throws IOException {
            room(8);
            LONG.set(buffer, at, value);
            at += 8;
        }

        private void writeInt(int value) throws IOException {
            room(4);
            INT.set(buffer, at, value);
            at += 4;
        }

        /** Null is a 0 byte; else 1, the UTF-8 length in two bytes and the bytes (ASCII copied as it is). */
        private void string(String value) throws IOException {
            if (value == null) {
                room(1);
                buffer[at++] = 0;
                return;
            }
            int length = value.length();
            if (length <= STRING_MAX) {
                room(3 + length);
                int start = at;
                buffer[at++] = 1;
                at += 2;
                boolean ascii = true;
                for (int i = 0; i < length; i++) {
                    char c = value.charAt(i);
                    if (c >= 0x80) {
                        ascii = false;
                        break;
                    }
                    buffer[at++] = (byte) c;
                }
                if (ascii) {
                    buffer[start + 1] = (byte) (length >>> 8);
                    buffer[start + 2] = (byte) length;
                    return;
                }
                at = start;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > STRING_MAX) {
                throw new IOException("a field of " + bytes.length + " bytes, more than " + STRING_MAX);
            }
            room(3 + bytes.length);
            buffer[at++] = 1;
            buffer[at++] = (byte) (bytes.length >>> 8);
            buffer[at++] = (byte) bytes.length;
            System.arraycopy(bytes, 0, buffer, at, bytes.length);
            at += bytes.length;
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
                room(1);
                buffer[at++] = 0;
                out.write(buffer, 0, at);
                at = 0;
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

    /**
     * An opened file of rows (opened before the run reads any, so a vanished file means a normal
     * parse), read through a buffer of its own.
     */
    static final class Reader implements AutoCloseable {
        private final InputStream in;
        private final byte[] buffer = new byte[BUFFER];
        private int at;
        private int end;

        private Reader(InputStream in) {
            this.in = in;
        }

        /** Opens it, or empty when it is gone or not of this version. */
        static Optional<Reader> open(Path path) {
            Reader reader = null;
            try {
                reader = new Reader(Files.newInputStream(path));
                if (reader.readInt() != VERSION) {
                    reader.close();
                    return Optional.empty();
                }
                return Optional.of(reader);
            } catch (IOException e) {
                if (reader != null) {
                    reader.close();
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
                byte marker = readByte();
                if (marker == 0) {
                    return count;
                }
                if (marker != 1) {
                    throw new IOException("parsed rows: unexpected marker " + marker + " after " + count + " rows");
                }
                int kind = readByte();
                String providerId = string();
                String paymentId = string();
                String chargeId = string();
                String orderRef = string();
                long amount = readLong();
                long fee = readLong();
                long net = readLong();
                String currency = string();
                if (currency != null) {
                    currency = currencies.computeIfAbsent(currency, c -> c);
                }
                Instant createdAt = readByte() != 0 ? Instant.ofEpochSecond(readLong(), readInt()) : null;
                String payoutId = string();
                long line = readLong();
                rows.accept(new ProviderRow(kind < 0 ? null : kinds[kind], providerId, paymentId, chargeId, orderRef,
                        amount, fee, net, currency, createdAt, payoutId, line));
                count++;
            }
        }

        /** At least {@code bytes} unread bytes in the buffer. */
        private void need(int bytes) throws IOException {
            if (end - at >= bytes) {
                return;
            }
            System.arraycopy(buffer, at, buffer, 0, end - at);
            end -= at;
            at = 0;
            while (end < bytes) {
                int read = in.read(buffer, end, buffer.length - end);
                if (read < 0) {
                    throw new EOFException("parsed rows: the file ends inside a row");
                }
                end += read;
            }
        }

        private byte readByte() throws IOException {
            need(1);
            return buffer[at++];
        }

        private long readLong() throws IOException {
            need(8);
            long value = (long) LONG.get(buffer, at);
            at += 8;
            return value;
        }

        private int readInt() throws IOException {
            need(4);
            int value = (int) INT.get(buffer, at);
            at += 4;
            return value;
        }

        private String string() throws IOException {
            if (readByte() == 0) {
                return null;
            }
            need(2);
            int length = ((buffer[at] & 0xff) << 8) | (buffer[at + 1] & 0xff);
            at += 2;
            need(length);
            String value = new String(buffer, at, length, StandardCharsets.UTF_8);
            at += length;
            return value;
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
