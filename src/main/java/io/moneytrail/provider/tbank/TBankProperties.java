package io.moneytrail.provider.tbank;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Moneytrail reaches T-Bank ({@code moneytrail.tbank.*}, or {@code MONEYTRAIL_TBANK_*}).
 *
 * @param terminalKey      the terminal's {@code TerminalKey} (T-Business: Магазины → Терминалы)
 * @param password         the terminal's password: signs requests and checks notifications; never logged
 * @param apiBase          T-Bank's API base; blank means production ({@code https://securepay.tinkoff.ru}),
 *                         a path ({@code /sandbox/tbank}) means this process's own sandbox dialect
 * @param notificationUrl  sent as {@code NotificationURL} with every Init; blank means this process's own
 *                         {@code /v1/webhooks/tbank} when the API base is local, otherwise the terminal's setting
 * @param connectTimeoutMs bound on connecting
 * @param readTimeoutMs    bound on waiting for an answer; past it the outcome is unknown
 * @param attemptsMax      attempts of one call answered 429 before it is given up as unknown
 * @param backoffMs        the first wait after a 429; doubled each time, with jitter
 */
@ConfigurationProperties("moneytrail.tbank")
public record TBankProperties(String terminalKey, String password, String apiBase, String notificationUrl,
                              Long connectTimeoutMs, Long readTimeoutMs, Integer attemptsMax, Long backoffMs) {

    public TBankProperties {
        connectTimeoutMs = connectTimeoutMs == null ? 2_000L : connectTimeoutMs;
        readTimeoutMs = readTimeoutMs == null ? 10_000L : readTimeoutMs;
        attemptsMax = attemptsMax == null ? 3 : attemptsMax;
        backoffMs = backoffMs == null ? 250L : backoffMs;
    }

    /** The password stays out of logs and error messages. */
    @Override
    public String toString() {
        return "TBankProperties[terminalKey=" + terminalKey + ", password=" + (password == null ? "null" : "***")
                + ", apiBase=" + apiBase + ", notificationUrl=" + notificationUrl + "]";
    }
}
