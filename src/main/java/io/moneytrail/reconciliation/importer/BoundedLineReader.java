package io.moneytrail.reconciliation.importer;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * A reader that counts lines and refuses a line longer than the limit, so no single line
 * (or CSV field) can make a parser buffer an unbounded amount. Also reads lines itself for
 * the line-based formats (MT940, 1C).
 */
final class BoundedLineReader extends FilterReader {

    private final int lineCharsMax;
    private long line = 1;
    private int column;
    private final char[] buffer = new char[1 << 15];
    private int position;
    private int limit;
    private final StringBuilder current = new StringBuilder();

    BoundedLineReader(Reader in, int lineCharsMax) {
        super(in);
        this.lineCharsMax = lineCharsMax;
    }

    /** The line being read (1-based). */
    long line() {
        return line;
    }

    @Override
    public int read() throws IOException {
        if (position >= limit && !fill()) {
            return -1;
        }
        char c = buffer[position++];
        count(c);
        return c;
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int n;
        if (position < limit) {
            n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, target, offset, n);
            position += n;
        } else {
            n = in.read(target, offset, length); // straight into the caller's buffer: no second copy
            if (n <= 0) {
                return -1;
            }
        }
        int column = this.column;
        int max = lineCharsMax;
        for (int i = offset, end = offset + n; i < end; i++) {
            if (target[i] == '\n') {
                line++;
                column = 0;
            } else if (target[i] == '\u0000') {
                this.column = column;
                throw new NulCharacterException(line);
            } else if (++column > max) {
                this.column = column;
                throw new LineTooLongException("line " + line + " is longer than " + lineCharsMax
                        + " characters (is this the right file?)");
            }
        }
        this.column = column;
        return n;
    }

    /** The next line without its terminator (CR LF, LF or CR), or null at the end. */
    String readLine() throws IOException {
        current.setLength(0);
        boolean any = false;
        while (true) {
            if (position >= limit && !fill()) {
                return any ? current.toString() : null;
            }
            char c = buffer[position++];
            any = true;
            if (c == '\n') {
                count(c);
                return current.toString();
            }
            if (c == '\r') {
                count('\n');
                if (position >= limit && !fill()) {
                    return current.toString();
                }
                if (buffer[position] == '\n') {
                    position++;
                }
                return current.toString();
            }
            count(c);
            current.append(c);
        }
    }

    private void count(char c) throws IOException {
        if (c == '\n') {
            line++;
            column = 0;
        } else if (c == '\u0000') {
            throw new NulCharacterException(line);
        } else if (++column > lineCharsMax) {
            throw new LineTooLongException("line " + line + " is longer than " + lineCharsMax
                    + " characters (is this the right file?)");
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    /**
     * Thrown at a NUL character (U+0000): no text format we read has one, PostgreSQL cannot
     * store one, and a file full of them is UTF-16 or binary.
     */
    static final class NulCharacterException extends IOException {
        NulCharacterException(long line) {
            super("line " + line + " contains a NUL character (U+0000); is this a text file in the expected encoding?");
        }
    }

    /** Thrown when a line passes the limit. */
    static final class LineTooLongException extends IOException {
        LineTooLongException(String message) {
            super(message);
        }
    }
}
