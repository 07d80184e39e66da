package io.moneytrail.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the sandbox signs webhooks: {@code Sandbox-Signature: t=<unix seconds>,v1=<hex>}, where
 * the hex is HMAC-SHA256, keyed with the webhook secret, over {@code "<t>."} followed by the
 * exact raw body bytes. The timestamp is inside the signed bytes so a receiver can refuse old
 * (replayed) deliveries. Public so tests can sign payloads exactly as the sandbox does.
 */
public final class SandboxSignature {

    /** The HTTP header carrying the signature. */
    public static final String HEADER = "Sandbox-Signature";

    private static final String ALGORITHM = "HmacSHA256";

    private SandboxSignature() {
    }

    /** The header value for {@code body} signed with {@code secret} at {@code unixSeconds}. */
    public static String header(byte[] body, String secret, long unixSeconds) {
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(hmac(body, secret, unixSeconds));
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
