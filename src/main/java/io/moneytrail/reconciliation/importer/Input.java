package io.moneytrail.reconciliation.importer;

import io.moneytrail.reconciliation.ImportLimits;
import io.moneytrail.reconciliation.Progress;
import io.moneytrail.reconciliation.UnusableInputException;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnmappableCharacterException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An input file, opened for streaming: size checked against the limit before anything is
 * read, bytes counted for the progress bar, text decoded strictly (a byte that is not valid in
 * the charset is an error, never a replacement character), lines bounded in length, and a NUL
 * character an error (PostgreSQL cannot store one).
 */
final class Input implements Closeable {

    private static final int BUFFER_BYTES = 1 << 16;
    private static final long PROGRESS_STEP_BYTES = 1 << 20;

    final String name;
    final ImportLimits limits;
    final long size;
    private final CountingStream counting;
    private final InputStream bytes;
    private BoundedLineReader reader;

    private Input(String name, ImportLimits limits, long size, InputStream raw, Progress progress) {
        this.name = name;
        this.limits = limits;
        this.size = size;
        this.counting = new CountingStream(raw, name, size, progress);
        this.bytes = new BufferedInputStream(counting, BUFFER_BYTES);
    }

    static Input open(Path file, ImportLimits limits, Progress progress) {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new UnusableInputException(name, "no such file");
        }
        try {
            long size = Files.size(file);
            if (size > limits.fileBytesMax()) {
                throw new UnusableInputException(name, "file is " + size + " bytes, more than the limit of "
                        + limits.fileBytesMax() + " bytes (split it by period)");
            }
            return new Input(name, limits, size, Files.newInputStream(file), progress);
        } catch (IOException e) {
            throw new UnusableInputException(name, "cannot be read: " + e.getMessage());
        }
    }

    /** The raw bytes (buffered); for formats that detect their own encoding (XML, 1C). */
    InputStream bytes() {
        return bytes;
    }

    long bytesRead() {
        return counting.count;
    }

    /** Text in UTF-8 (a leading byte-order mark skipped), strictly decoded, lines bounded. */
    BoundedLineReader utf8() {
        try {
            bytes.mark(3);
            byte[] bom = bytes.readNBytes(3);
            if (!(bom.length == 3 && (bom[0] & 0xff) == 0xEF && (bom[1] & 0xff) == 0xBB && (bom[2] & 0xff) == 0xBF)) {
                bytes.reset();
            }
        } catch (IOException e) {
            throw new UnusableInputException(name, "cannot be read: " + e.getMessage());
        }
        return text(StandardCharsets.UTF_8);
    }

    /** Text in the given charset, strictly decoded, lines bounded. */
    BoundedLineReader text(Charset charset) {
        reader = new BoundedLineReader(new StrictDecoder(bytes, charset), limits.lineCharsMax());
        return reader;
    }

    /** Turns an I/O failure while reading into the file-level error it is. */
    UnusableInputException failure(IOException e, String charsetName) {
        long line = reader == null ? 0 : reader.line();
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof MalformedInputException || cause instanceof UnmappableCharacterException) {
                return new UnusableInputException(name, line, "is not valid " + charsetName
                        + " text (wrong encoding? save it as " + charsetName + ")");
            }
            if (cause instanceof BoundedLineReader.LineTooLongException
                    || cause instanceof BoundedLineReader.NulCharacterException) {
                return new UnusableInputException(name, line, cause.getMessage());
            }
            cause = cause.getCause();
        }
        return new UnusableInputException(name, line, "cannot be read: " + e.getMessage());
    }

    void finished(Progress progress) {
        progress.advanced(name, counting.count, size);
    }

    @Override
    public void close() {
        try {
            bytes.close();
        } catch (IOException ignored) {
            // reading is over; nothing to lose
        }
    }

    private static final class CountingStream extends FilterInputStream {
        private final String name;
        private final long size;
        private final Progress progress;
        long count;
        private long reported;

        CountingStream(InputStream in, String name, long size, Progress progress) {
            super(in);
            this.name = name;
            this.size = size;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        private void advance(int n) {
            count += n;
            if (count - reported >= PROGRESS_STEP_BYTES) {
                reported = count;
                progress.advanced(name, count, size);
            }
        }
    }
}
