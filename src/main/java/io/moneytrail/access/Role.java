package io.moneytrail.access;

import java.util.Locale;
import java.util.Optional;

/**
 * The roles of API keys and users. What each may call is one table, {@code docs/security.md}
 * ("Roles"), enforced by the security configuration of this module.
 */
public enum Role {
    /** Everything. */
    ADMIN,
    /** What a shop's backend needs: orders, payments, refunds, checkout sessions, events, its endpoints. */
    STORE,
    /** What {@code store} may do, plus rechecks and the review queue; no ledger adjustments. */
    OPERATOR,
    /** Ledger reads, adjustments, exports, reconciliation and its exceptions; no money movement. */
    ACCOUNTANT,
    /** Read only. */
    VIEWER,
    /** The 1C exchange only. */
    ONEC;

    /** The lower-case name used in the API, the CLI and {@code MONEYTRAIL_SECRET_KEYS}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWire(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.wireName().equals(name.trim())) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
