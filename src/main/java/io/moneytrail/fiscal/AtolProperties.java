package io.moneytrail.fiscal;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * ATOL Online API v5 ({@code MONEYTRAIL_ATOL_*}). {@code apiBase}: blank is ATOL's production
 * {@value #PRODUCTION_BASE}; {@code /sandbox/atol/possystem/v5} is this process's sandbox dialect.
 */
@ConfigurationProperties("moneytrail.atol")
record AtolProperties(String login, String password, String group, String apiBase, Long connectTimeoutMs,
                      Long readTimeoutMs) {

    static final String PRODUCTION_BASE = "https://online.atol.ru/possystem/v5";
    static final String SANDBOX_BASE = "/sandbox/atol/possystem/v5";
    /** The sandbox dialect's well-known local test credentials. */
    static final String SANDBOX_LOGIN = "sandbox-atol-login";
    static final String SANDBOX_PASSWORD = "sandbox-atol-password";
    static final String SANDBOX_GROUP = "sandbox-group";

    AtolProperties {
        connectTimeoutMs = connectTimeoutMs == null ? 5_000L : connectTimeoutMs;
        readTimeoutMs = readTimeoutMs == null ? 20_000L : readTimeoutMs;
    }

    @Override
    public String toString() {
        return "AtolProperties[login=" + login + ", password=" + (password == null ? "null" : "(set)") + ", group="
                + group + ", apiBase=" + apiBase + "]";
    }
}
