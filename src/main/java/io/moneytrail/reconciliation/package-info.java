/**
 * Reconciliation: importers for provider reports, bank statements and the store's order
 * export; the matching engine over the three legs (internal, provider, bank); the named,
 * severity-ordered discrepancies; and the file-only audit ({@link io.moneytrail.reconciliation.Audit}),
 * which needs no database and no Spring context.
 *
 * <p>This top-level package is the module's API. {@code importer}, {@code matching} and
 * {@code report} are internal.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Reconciliation", allowedDependencies = "money")
package io.moneytrail.reconciliation;
