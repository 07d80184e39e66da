package io.moneytrail.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How Moneytrail signs the events it sends to a store, and how a store checks them:
 * {@code Moneytrail-Signature: t=<unix seconds>,v1=<hex>}, where the hex is HMAC-SHA256, keyed
 * with the endpoint's secret ({@code whsec_…}), over {@code "<t>."} followed by the exact raw
 * body bytes. The scheme is the sandbox's (and Stripe's): the timestamp is inside the signed
 * bytes so that a receiver can refuse old, replayed deliveries. Every attempt is signed anew
 * with the time it is sent. A store may copy this class to verify what it receives.
 */
final class OutboundSignature {

    /** The HTTP header carrying the signature. */
    public static final String HEADER = "Moneytrail-Signature";
    /** Default bound on the age (or the future) of a signature's timestamp. */
    public static final Duration TOLERANCE_DEFAULT = Duration.ofMinutes(5);
    /** Signature elements accepted in one header (several {@code v1} during a secret change). */
    private static final int ELEMENTS_MAX = 16;
    private static final String ALGORITHM = "HmacSHA256";

    private OutboundSignature() {
    }

    /** The header value for {@code body} signed with {@code secret} at {@code unixSeconds}. */
    public static String header(byte[] body, String secret, long unixSeconds) {
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(hmac(body, secret, unixSeconds));
    }

    /**
     * The header value with one {@code v1} per secret, in order: while an endpoint's previous
     * secret is still valid after a roll, a store holding either secret can verify.
     */
    public static String header(byte[] body, java.util.List<String> secrets, long unixSeconds) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret");
        }
        StringBuilder header = new StringBuilder("t=").append(unixSeconds);
        for (String secret : secrets) {
            header.append(",v1=").append(HexFormat.of().formatHex(hmac(body, secret, unixSeconds)));
        }
        return header.toString();
    }

    /**
     * Whether {@code header} is a valid signature of {@code body} with {@code secret}, made
     * within {@code tolerance} of the clock's now. Compares in constant time.
     */
    public static boolean verify(byte[] body, String header, String secret, Clock clock, Duration tolerance) {
        if (header == null || header.isEmpty() || secret == null) {
            return false;
        }
        Long timestamp = null;
        java.util.List<String> candidates = new java.util.ArrayList<>();
        String[] elements = header.split(",", ELEMENTS_MAX + 1);
        if (elements.length > ELEMENTS_MAX) {
            return false;
        }
        for (String element : elements) {
            int eq = element.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = element.substring(0, eq).trim();
            String value = element.substring(eq + 1).trim();
            if (key.equals("t")) {
                try {
                    timestamp = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if (key.equals("v1")) {
                candidates.add(value);
            }
        }
        if (timestamp == null || candidates.isEmpty()) {
            return false;
        }
        long ageSeconds = Math.abs(clock.instant().getEpochSecond() - timestamp);
        if (ageSeconds > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = HexFormat.of().formatHex(hmac(body, secret, timestamp)).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String candidate : candidates) {
            // no early exit: every candidate is compared
            match |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }

    private static byte[] hmac(byte[] body, String secret, long unixSeconds) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            // every Java runtime must provide HmacSHA256, so this is a broken runtime
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
    }
}
