package io.moneytrail.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.core.env.PropertyResolver;

/**
 * Whether this process serves the in-process sandbox provider, and whether it may. The
 * sandbox is for trying Moneytrail out: it is on by default with the embedded database (the
 * README's walk-through) and off by default with an external database
 * ({@code MONEYTRAIL_DB_URL}), which is what production looks like. Enabled explicitly there
 * ({@code MONEYTRAIL_SANDBOX_ENABLED=true}, a staging system), it refuses to start with its
 * published default secrets, which would let anyone create and pay sandbox payments.
 */
final class SandboxMode {

    static final String ENABLED = "moneytrail.sandbox.enabled";
    static final String DATABASE_URL = "moneytrail.db.url";

    private SandboxMode() {
    }

    /** The decision and why, for the condition report. */
    record Decision(boolean enabled, String reason) {
    }

    /**
     * @param explicit         {@code moneytrail.sandbox.enabled} as configured, null when not set
     * @param externalDatabase {@code moneytrail.db.url} is set
     */
    static Decision decide(Boolean explicit, boolean externalDatabase) {
        if (explicit != null) {
            return new Decision(explicit, ENABLED + "=" + explicit);
        }
        return externalDatabase
                ? new Decision(false, "an external database is configured (" + DATABASE_URL + ") and " + ENABLED
                        + " is not set: the sandbox is off")
                : new Decision(true, "the embedded database is used and " + ENABLED + " is not set: the sandbox is on");
    }

    static Decision decide(PropertyResolver environment) {
        return decide(explicit(environment.getProperty(ENABLED)), externalDatabase(environment));
    }

    static boolean externalDatabase(PropertyResolver environment) {
        String url = environment.getProperty(DATABASE_URL);
        return url != null && !url.isBlank();
    }

    static Boolean explicit(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(ENABLED + " (MONEYTRAIL_SANDBOX_ENABLED) is true or false, not '"
                    + value + "'");
        };
    }

    /**
     * Refuses a sandbox that runs next to an external database with a published default
     * secret; with the embedded database anything goes.
     */
    static void refuseUnsafe(boolean externalDatabase, SandboxProperties properties) {
        if (!externalDatabase) {
            return;
        }
        List<String> defaults = new ArrayList<>();
        if (SandboxProperties.DEFAULT_API_KEY.equals(properties.apiKey())) {
            defaults.add("API key (MONEYTRAIL_SANDBOX_API_KEY)");
        }
        if (SandboxProperties.DEFAULT_WEBHOOK_SECRET.equals(properties.webhookSecret())) {
            defaults.add("webhook secret (MONEYTRAIL_SANDBOX_WEBHOOK_SECRET)");
        }
        if (!defaults.isEmpty()) {
            throw new UnsafeSandboxException("The sandbox provider is enabled with an external database ("
                    + "MONEYTRAIL_DB_URL) but keeps its published default " + String.join(" and ", defaults)
                    + ": anyone could create and pay sandbox payments here.");
        }
    }
}
