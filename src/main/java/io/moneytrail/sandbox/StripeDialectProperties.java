package io.moneytrail.sandbox;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sandbox's Stripe dialect ({@code moneytrail.sandbox.stripe.*}). The defaults are
 * well-known local test values, like the sandbox's own key: point Moneytrail at the dialect with
 * {@code moneytrail.stripe.secret-key} and {@code moneytrail.stripe.webhook-secret} set to them.
 *
 * @param secretKey         the API key the dialect accepts (Bearer, or Basic with the key as user)
 * @param webhookSecret     the endpoint secret its events are signed with ({@code Stripe-Signature})
 * @param webhookUrl        where events go; null: this process's own {@code /v1/webhooks/stripe}
 * @param sessionTtlSeconds how long a Checkout Session stays open (Stripe's default: 24 hours)
 */
@ConfigurationProperties("moneytrail.sandbox.stripe")
record StripeDialectProperties(String secretKey, String webhookSecret, String webhookUrl, Long sessionTtlSeconds) {

    static final String DEFAULT_SECRET_KEY = "sk_test_moneytrail_sandbox";
    static final String DEFAULT_WEBHOOK_SECRET = "whsec_moneytrail_sandbox";

    StripeDialectProperties {
        secretKey = blank(secretKey) ? DEFAULT_SECRET_KEY : secretKey;
        webhookSecret = blank(webhookSecret) ? DEFAULT_WEBHOOK_SECRET : webhookSecret;
        webhookUrl = blank(webhookUrl) ? null : webhookUrl;
        sessionTtlSeconds = sessionTtlSeconds == null ? 86_400L : sessionTtlSeconds;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
