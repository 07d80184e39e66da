package io.moneytrail.provider.stripe;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Moneytrail reaches Stripe ({@code moneytrail.stripe.*}, or {@code MONEYTRAIL_STRIPE_*}).
 * The adapter is enabled when both credentials are set ({@link OnStripeCredentials}); neither is
 * ever logged ({@link #toString()}).
 *
 * @param secretKey          the secret API key ({@code sk_test_…} in test mode, {@code sk_live_…} live)
 * @param webhookSecret      the webhook endpoint's signing secret ({@code whsec_…})
 * @param apiBase            blank: Stripe's production host; {@code /sandbox/stripe}: this process's
 *                           own Stripe dialect; any other URL as given
 * @param connectTimeoutMs   bound on connecting
 * @param readTimeoutMs      bound on waiting for an answer; past it the outcome is unknown
 * @param toleranceSeconds   how far a webhook's signature timestamp may be from now
 * @param rateLimitRetriesMax retries of a call Stripe answered 429, with exponential backoff
 * @param rateLimitBackoffMs the first backoff; it doubles at each retry
 */
@ConfigurationProperties("moneytrail.stripe")
public record StripeProperties(String secretKey, String webhookSecret, String apiBase, Integer connectTimeoutMs,
                               Integer readTimeoutMs, Long toleranceSeconds, Integer rateLimitRetriesMax,
                               Long rateLimitBackoffMs) {

    static final String PRODUCTION_API_BASE = "https://api.stripe.com";

    public StripeProperties {
        connectTimeoutMs = connectTimeoutMs == null ? 5_000 : connectTimeoutMs;
        readTimeoutMs = readTimeoutMs == null ? 30_000 : readTimeoutMs;
        toleranceSeconds = toleranceSeconds == null ? 300L : toleranceSeconds;
        rateLimitRetriesMax = rateLimitRetriesMax == null ? 3 : rateLimitRetriesMax;
        rateLimitBackoffMs = rateLimitBackoffMs == null ? 500L : rateLimitBackoffMs;
    }

    @Override
    public String toString() {
        return "StripeProperties[secretKey=" + (secretKey == null ? "unset" : "***") + ", webhookSecret="
                + (webhookSecret == null ? "unset" : "***") + ", apiBase=" + apiBase + "]";
    }
}
