package io.moneytrail.sandbox;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Ids in YooKassa's 36-character shape: eight hex digits of the creation time in seconds, a
 * fixed block naming the kind of object ({@code 000f} payments, {@code 0015} refunds, {@code 0019} receipts), a variant
 * block and twelve random hex digits, e.g. {@code 2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f}.
 */
final class YooKassaIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String[] VARIANTS = {"8000", "9000", "a000", "b000"};

    private YooKassaIds() {
    }

    static String payment(Instant now) {
        return id("000f", now);
    }

    /** A receipt's id: YooKassa's receipts carry their own kind block. */
    static String receipt(Instant now) {
        return id("0019", now);
    }

    static String refund(Instant now) {
        return id("0015", now);
    }

    private static String id(String kind, Instant now) {
        byte[] tail = new byte[6];
        RANDOM.nextBytes(tail);
        return String.format("%08x", now.getEpochSecond() & 0xffffffffL) + "-" + kind + "-5000-"
                + VARIANTS[RANDOM.nextInt(VARIANTS.length)] + "-" + HexFormat.of().formatHex(tail);
    }
}
