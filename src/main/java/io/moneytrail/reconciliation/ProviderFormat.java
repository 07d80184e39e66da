package io.moneytrail.reconciliation;

import java.util.Locale;

/** Provider report formats the importers read. See docs/reconciliation.md for each. */
public enum ProviderFormat {
    /** Stripe "balance change from activity" itemized CSV. */
    STRIPE,
    /** YooKassa payment (or refund) registry, semicolon-separated. */
    YOOKASSA,
    /** The sandbox provider's own balance report CSV. */
    SANDBOX;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
