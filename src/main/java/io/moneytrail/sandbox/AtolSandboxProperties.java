package io.moneytrail.sandbox;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sandbox's ATOL Online account ({@code moneytrail.sandbox.atol.*}). The defaults are
 * well-known local test credentials, like the sandbox's own {@code sk_sandbox_local}: set the
 * same login, password and group as Moneytrail's {@code MONEYTRAIL_ATOL_LOGIN}, {@code _PASSWORD}
 * and {@code _GROUP}.
 *
 * @param login        the login {@code getToken} accepts
 * @param password     its password ({@code pass})
 * @param group        the group code (ATOL's {@code group_code}) the login's tokens may use
 * @param processingMs how long a document stays {@code wait} before the "cash register" settles
 *                     it, unless a fault says otherwise
 */
@ConfigurationProperties("moneytrail.sandbox.atol")
record AtolSandboxProperties(String login, String password, String group, Long processingMs) {

    static final String DEFAULT_LOGIN = "sandbox-atol-login";
    static final String DEFAULT_PASSWORD = "sandbox-atol-password";
    static final String DEFAULT_GROUP = "sandbox-group";
    static final long DEFAULT_PROCESSING_MS = 500;

    AtolSandboxProperties {
        login = blank(login) ? DEFAULT_LOGIN : login;
        password = blank(password) ? DEFAULT_PASSWORD : password;
        group = blank(group) ? DEFAULT_GROUP : group;
        processingMs = processingMs == null || processingMs < 0 ? DEFAULT_PROCESSING_MS : processingMs;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public String toString() {
        return "AtolSandboxProperties[login=" + login + ", group=" + group + ", processingMs=" + processingMs + "]";
    }
}
