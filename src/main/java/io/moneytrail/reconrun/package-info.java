/**
 * Reconciliation against the database: imported provider reports and bank statements
 * ({@link io.moneytrail.reconrun.ReconFiles}), runs over a period that feed the orders, payments
 * and ledger of this service to the same engine as the file-only audit and add the internal
 * leg ({@link io.moneytrail.reconrun.ReconRuns}), and the exceptions queue with its workflow
 * ({@link io.moneytrail.reconrun.ReconExceptions}).
 *
 * <p>The pure matching stays in {@code reconciliation} (which depends on {@code money} only);
 * this module owns the tables {@code recon_*} (migration V5) and reads orders, money facts and
 * the journal through their owners' read models ({@code order.OrderSummaries},
 * {@code payment.PaymentFacts}, {@code ledger.OrderLedgerBalances}), and the fiscal receipts
 * through {@code fiscal.Receipts} for receipt reconciliation ({@code ReceiptCheck}).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Reconciliation runs",
        allowedDependencies = {"reconciliation", "ledger", "order", "payment", "money", "database", "access",
                "fiscal"})
package io.moneytrail.reconrun;
