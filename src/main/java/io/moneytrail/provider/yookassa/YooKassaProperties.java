package io.moneytrail.provider.yookassa;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Moneytrail reaches YooKassa (API v3). The adapter is enabled when both the shop id and
 * the secret key are set ({@link OnYooKassaConfigured}); neither is ever logged.
 *
 * @param shopId           the shop's id ({@code MONEYTRAIL_YOOKASSA_SHOP_ID}), the Basic-auth user
 * @param secretKey        the shop's secret key ({@code MONEYTRAIL_YOOKASSA_SECRET_KEY}), the password
 * @param apiBase          blank: {@value #PRODUCTION_BASE}; a value starting with "/" is this process
 *                         (the sandbox's YooKassa dialect at {@code /sandbox/yookassa})
 * @param trustedNetworks  where notifications may come from (CIDR or single addresses); blank:
 *                         YooKassa's published list {@link #YOOKASSA_NETWORKS}
 * @param connectTimeoutMs bound on connecting
 * @param readTimeoutMs    bound on waiting for an answer; past it the outcome is unknown
 */
@ConfigurationProperties("moneytrail.yookassa")
public record YooKassaProperties(String shopId, String secretKey, String apiBase, List<String> trustedNetworks,
                                 Long connectTimeoutMs, Long readTimeoutMs) {

    static final String PRODUCTION_BASE = "https://api.yookassa.ru";

    /**
     * The addresses YooKassa sends notifications from, as its notification guide publishes them
     * (https://yookassa.ru/developers/using-api/webhooks, section "IP addresses").
     */
    static final List<String> YOOKASSA_NETWORKS = List.of("185.71.76.0/27", "185.71.77.0/27", "77.75.153.0/25",
            "77.75.156.11/32", "77.75.156.35/32", "77.75.154.128/25", "2a02:5180::/32");

    public YooKassaProperties {
        trustedNetworks = trustedNetworks == null || trustedNetworks.stream().allMatch(n -> n == null || n.isBlank())
                ? YOOKASSA_NETWORKS
                : trustedNetworks.stream().filter(n -> n != null && !n.isBlank()).map(String::strip).toList();
        connectTimeoutMs = connectTimeoutMs == null ? 5_000L : connectTimeoutMs;
        // YooKassa itself gives up on a request after 30 s (cancellation reason internal_timeout)
        readTimeoutMs = readTimeoutMs == null ? 35_000L : readTimeoutMs;
    }

    @Override
    public String toString() {
        return "YooKassaProperties[shopId=" + shopId + ", secretKey=" + (secretKey == null ? "null" : "(set)")
                + ", apiBase=" + apiBase + ", trustedNetworks=" + trustedNetworks + "]";
    }
}
