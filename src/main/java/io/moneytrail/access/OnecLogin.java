package io.moneytrail.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLDecoder;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Who may speak the 1C exchange ({@code /1c/exchange}) and how it stays logged in. 1C's
 * "обмен с сайтом" protocol logs in once per session with HTTP Basic ({@code mode=checkauth},
 * the user and password set in 1C's exchange node), gets back a cookie's name and value, and
 * sends that cookie with every following request of the session.
 *
 * <p>The one exchange user is {@code MONEYTRAIL_ONEC_USERNAME} / {@code MONEYTRAIL_ONEC_PASSWORD};
 * with either unset the exchange is off. The cookie is stateless, so any instance accepts it:
 * its expiry and a random nonce, signed with HMAC-SHA-256 under a key derived from the user and
 * the password (changing the password ends every session). Everything here answers in the
 * protocol's own form: {@code text/plain} in the exchange's charset, {@code failure} on the first
 * line and the reason on the next.
 */
@Component
public class OnecLogin {

    /** The cookie 1C is told to send back. */
    public static final String COOKIE = "MONEYTRAIL_1C";
    /** How long a session cookie stays valid after {@code checkauth}. */
    static final Duration SESSION_TTL = Duration.ofHours(1);
    /** The actor every change made through the exchange is recorded under (timeline and audit log). */
    public static final Actor ACTOR = Actor.key("1c", "1C exchange", Role.ONEC);
    private static final int NONCE_BYTES = 16;
    private static final int COOKIE_CHARS_MAX = 200;

    private final String username;
    private final byte[] password;
    private final Charset charset;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    OnecLogin(@Value("${moneytrail.onec.username:}") String username,
              @Value("${moneytrail.onec.password:}") String password,
              @Value("${moneytrail.onec.encoding:UTF-8}") String encoding, Clock clock) {
        this.username = username == null ? "" : username;
        this.password = (password == null ? "" : password).getBytes(StandardCharsets.UTF_8);
        this.charset = Charset.forName(encoding);
        this.clock = clock;
    }

    /** Whether the exchange is on: both the user and the password are set. */
    public boolean enabled() {
        return !username.isEmpty() && password.length > 0;
    }

    /** The charset of every answer of the exchange ({@code MONEYTRAIL_ONEC_ENCODING}). */
    public Charset charset() {
        return charset;
    }

    /** Whether the presented user and password are the exchange's, compared in constant time. */
    boolean matches(String presentedUser, String presentedPassword) {
        boolean user = MessageDigest.isEqual(presentedUser.getBytes(StandardCharsets.UTF_8),
                username.getBytes(StandardCharsets.UTF_8));
        boolean pass = MessageDigest.isEqual(presentedPassword.getBytes(StandardCharsets.UTF_8), password);
        return enabled() && user & pass;
    }

    /** A new session cookie's value: {@code <expiry>.<nonce>.<signature>}, base64url. */
    String issue() {
        long expires = clock.instant().plus(SESSION_TTL).getEpochSecond();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        String payload = expires + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
        return payload + "." + sign(payload);
    }

    /** Why the cookie is not a live session of this exchange user, or empty when it is. */
    Optional<String> refusal(String cookie) {
        if (cookie == null || cookie.isEmpty()) {
            return Optional.of("not logged in: call mode=checkauth first and send back the cookie " + COOKIE);
        }
        int last = cookie.lastIndexOf('.');
        if (cookie.length() > COOKIE_CHARS_MAX || last < 0
                || !MessageDigest.isEqual(sign(cookie.substring(0, last)).getBytes(StandardCharsets.US_ASCII),
                        cookie.substring(last + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("the session cookie is not valid: log in again with mode=checkauth");
        }
        long expires;
        try {
            expires = Long.parseLong(cookie.substring(0, cookie.indexOf('.')));
        } catch (NumberFormatException e) {
            return Optional.of("the session cookie is not valid: log in again with mode=checkauth");
        }
        if (clock.instant().getEpochSecond() >= expires) {
            return Optional.of("the session has expired: log in again with mode=checkauth");
        }
        return Optional.empty();
    }

    private String sign(String payload) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-256").digest(
                    ("moneytrail 1c session\0" + username + "\0" + new String(password, StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is part of every JDK", e);
        }
    }

    /** Writes an answer of the protocol: its lines, each ended by a line feed, in the exchange's charset. */
    public void write(HttpServletResponse response, int status, String... lines) throws IOException {
        byte[] body = String.join("\n", lines).getBytes(charset);
        response.setStatus(status);
        response.setContentType("text/plain;charset=" + charset.name());
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /** The query parameter {@code name}, read from the query string only (a POSTed file is never parsed as a form). */
    public static Optional<String> queryParameter(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

}
