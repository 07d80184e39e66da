package io.moneytrail.sandbox;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sandbox provider ({@code moneytrail.sandbox.*}).
 *
 * @param enabled       whether this process serves the sandbox at all (default true)
 * @param apiKey        the secret API key clients present as {@code Authorization: Bearer}
 * @param webhookSecret the key webhooks are signed with
 * @param webhookUrl    where webhooks go; null means this process's own
 *                      {@code /v1/webhooks/sandbox}
 * @param webhookBaseUrl where the dialects' notifications go, without the dialect's name (it is
 *                      appended: {@code …/v1/webhooks/stripe}); null means this process's own
 * @param publicUrl     the sandbox's base URL as a customer's browser sees it; null means this
 *                      process's own {@code /sandbox}
 * @param apiTimeoutMs  how long the {@code timeout} API fault holds an answer unless the fault
 *                      names its own duration
 */
@ConfigurationProperties("moneytrail.sandbox")
record SandboxProperties(Boolean enabled, String apiKey, String webhookSecret, String webhookUrl, String publicUrl,
                         Long apiTimeoutMs, String webhookBaseUrl) {

    static final String DEFAULT_API_KEY = "sk_sandbox_local";
    static final String DEFAULT_WEBHOOK_SECRET = "whsec_sandbox_local";
    static final long DEFAULT_API_TIMEOUT_MS = 15_000;

    SandboxProperties {
        enabled = enabled == null || enabled;
        apiKey = blank(apiKey) ? DEFAULT_API_KEY : apiKey;
        webhookSecret = blank(webhookSecret) ? DEFAULT_WEBHOOK_SECRET : webhookSecret;
        webhookUrl = blank(webhookUrl) ? null : webhookUrl;
        publicUrl = blank(publicUrl) ? null : stripTrailingSlash(publicUrl);
        webhookBaseUrl = blank(webhookBaseUrl) ? null : stripTrailingSlash(webhookBaseUrl);
        apiTimeoutMs = apiTimeoutMs == null ? DEFAULT_API_TIMEOUT_MS : apiTimeoutMs;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
