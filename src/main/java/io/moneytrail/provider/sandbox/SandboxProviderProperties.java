package io.moneytrail.provider.sandbox;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Moneytrail reaches the sandbox provider.
 *
 * @param baseUrl          the sandbox's base URL; empty means this process's own {@code /sandbox}
 * @param apiKey           the sandbox secret key (its well-known local test key by default)
 * @param webhookSecret    the secret the sandbox signs webhooks with
 * @param connectTimeoutMs bound on connecting
 * @param readTimeoutMs    bound on waiting for an answer; past it the outcome is unknown
 * @param toleranceSeconds how old a webhook signature timestamp may be
 */
@ConfigurationProperties("moneytrail.provider.sandbox")
public record SandboxProviderProperties(Boolean enabled, String baseUrl, String apiKey, String webhookSecret,
                                        Long connectTimeoutMs, Long readTimeoutMs, Long toleranceSeconds) {

    public SandboxProviderProperties {
        apiKey = apiKey == null || apiKey.isBlank() ? "sk_sandbox_local" : apiKey;
        webhookSecret = webhookSecret == null || webhookSecret.isBlank() ? "whsec_sandbox_local" : webhookSecret;
        connectTimeoutMs = connectTimeoutMs == null ? 2_000L : connectTimeoutMs;
        readTimeoutMs = readTimeoutMs == null ? 5_000L : readTimeoutMs;
        toleranceSeconds = toleranceSeconds == null ? 300L : toleranceSeconds;
    }
}
