package io.moneytrail.sandbox;

/** The sandbox was enabled where it must not run as configured; the service does not start. */
public class UnsafeSandboxException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    static final String ACTION = "Leave the sandbox off in production (do not set MONEYTRAIL_SANDBOX_ENABLED), or, for a"
            + " staging system, set MONEYTRAIL_SANDBOX_API_KEY and MONEYTRAIL_SANDBOX_WEBHOOK_SECRET to secrets of"
            + " your own, and the same values as MONEYTRAIL_PROVIDER_SANDBOX_API_KEY and"
            + " MONEYTRAIL_PROVIDER_SANDBOX_WEBHOOK_SECRET.";

    UnsafeSandboxException(String message) {
        super(message + " " + ACTION);
    }
}
