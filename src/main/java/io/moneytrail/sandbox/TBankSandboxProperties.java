package io.moneytrail.sandbox;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sandbox's T-Bank terminal ({@code moneytrail.sandbox.tbank.*}). The defaults are
 * well-known local test credentials, like the sandbox's own {@code sk_sandbox_local}: set the
 * same pair as Moneytrail's {@code moneytrail.tbank.terminal-key}/{@code password}.
 *
 * @param terminalKey     the terminal's TerminalKey (T-Bank's test terminals end in DEMO)
 * @param password        the terminal's password, which signs requests and notifications
 */
@ConfigurationProperties("moneytrail.sandbox.tbank")
record TBankSandboxProperties(String terminalKey, String password) {

    static final String DEFAULT_TERMINAL_KEY = "SandboxTerminalDEMO";
    static final String DEFAULT_PASSWORD = "sandbox_tbank_local";

    TBankSandboxProperties {
        terminalKey = terminalKey == null || terminalKey.isBlank() ? DEFAULT_TERMINAL_KEY : terminalKey;
        password = password == null || password.isBlank() ? DEFAULT_PASSWORD : password;
    }

    @Override
    public String toString() {
        return "TBankSandboxProperties[terminalKey=" + terminalKey + "]";
    }
}
