package io.moneytrail.reconciliation.importer;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Bytes to characters, refusing any byte sequence that is not valid in the charset. Unlike
 * {@link java.io.InputStreamReader}, it first hands over every character decoded before the
 * bad bytes and fails only on the next read, so the reader above knows the exact line.
 */
final class StrictDecoder extends Reader {

    private final InputStream in;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
    private boolean eof;
    /** The decoder has been flushed: the end was reached, and every later read answers -1. */
    private boolean flushed;
    private CoderResult pendingError;

    StrictDecoder(InputStream in, Charset charset) {
        this.in = in;
        this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        bytes.flip();
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        if (pendingError != null) {
            throwError();
        }
        if (length == 0) {
            return 0;
        }
        if (flushed) {
            // a reader may ask again after the end (a CSV parser at a last line with no newline does);
            // a flushed decoder must not decode again (it would throw IllegalStateException)
            return -1;
        }
        CharBuffer out = CharBuffer.wrap(target, offset, length);
        while (true) {
            CoderResult result = decoder.decode(bytes, out, eof);
            if (result.isError()) {
                pendingError = result;
                if (out.position() > offset) {
                    return out.position() - offset;
                }
                throwError();
            }
            if (out.position() > offset) {
                return out.position() - offset;
            }
            if (eof) {
                CoderResult last = decoder.flush(out);
                if (last.isError()) {
                    pendingError = last;
                    throwError();
                }
                flushed = true;
                return out.position() > offset ? out.position() - offset : -1;
            }
            bytes.compact();
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                eof = true;
            } else {
                bytes.position(bytes.position() + n);
            }
            bytes.flip();
        }
    }

    private void throwError() throws CharacterCodingException {
        try {
            pendingError.throwException();
        } catch (CharacterCodingException e) {
            throw e;
        }
        throw new IllegalStateException("a coder error that threw nothing");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
