package io.moneytrail.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.springframework.http.HttpHeaders;

/**
 * How the Stripe dialect authenticates, as Stripe does: the secret key as a Bearer token, or as
 * the user name of HTTP Basic ({@code curl -u sk_test_…:}). A wrong key is a 401 in Stripe's
 * error shape, naming the key only redacted.
 */
final class StripeAuth {

    private StripeAuth() {
    }

    /** The request's parameters, once its key is the dialect's. */
    static StripeForm authenticated(HttpServletRequest request, String secretKey) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String key = null;
        if (header != null && header.startsWith("Bearer ")) {
            key = header.substring("Bearer ".length()).strip();
        } else if (header != null && header.startsWith("Basic ")) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring("Basic ".length()).strip()),
                        StandardCharsets.UTF_8);
                key = decoded.contains(":") ? decoded.substring(0, decoded.indexOf(':')) : decoded;
            } catch (IllegalArgumentException e) {
                key = null;
            }
        }
        if (key == null || key.isEmpty()) {
            throw StripeError.unauthorized("You did not provide an API key. You need to provide your API key in the"
                    + " Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
        }
        // constant time: how long the comparison takes must not tell how much of the key was right
        if (!MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
                secretKey.getBytes(StandardCharsets.UTF_8))) {
            throw StripeError.unauthorized("Invalid API Key provided: " + redacted(key));
        }
        return new StripeForm(request.getParameterMap());
    }

    /** Stripe shows the first characters and the last four of a wrong key, never the whole. */
    private static String redacted(String key) {
        if (key.length() <= 12) {
            return "****";
        }
        return key.substring(0, 8) + "*".repeat(key.length() - 12) + key.substring(key.length() - 4);
    }
}
