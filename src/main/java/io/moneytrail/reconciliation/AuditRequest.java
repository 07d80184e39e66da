package io.moneytrail.reconciliation;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What to audit and how.
 *
 * @param providerFormat null: detected from the report's header
 * @param bankStatement null: no bank leg
 * @param bankFormat null: detected from the statement's first bytes
 * @param feeTariff null: fees are not checked
 * @param orderMetadataKey the payment metadata key that carries our order id (Stripe
 *                         {@code payment_metadata[KEY]}); default {@code order_id}
 * @param asOf the day payouts are judged on; null: the bank statement's last booking date
 */
public record AuditRequest(Path orders, Path providerReport, ProviderFormat providerFormat, Path bankStatement,
                           BankFormat bankFormat, OrderExportMapping mapping, Tolerances tolerances, FeeTariff feeTariff,
                           String orderMetadataKey, LocalDate asOf, ImportLimits limits) {

    public AuditRequest {
        Objects.requireNonNull(orders, "orders");
        Objects.requireNonNull(providerReport, "providerReport");
        mapping = mapping == null ? OrderExportMapping.DEFAULT : mapping;
        tolerances = tolerances == null ? Tolerances.DEFAULTS : tolerances;
        orderMetadataKey = orderMetadataKey == null || orderMetadataKey.isBlank() ? "order_id" : orderMetadataKey;
        limits = limits == null ? ImportLimits.DEFAULTS : limits;
    }

    /** The three files with every setting at its default. */
    public static AuditRequest of(Path orders, Path providerReport, Path bankStatement) {
        return new AuditRequest(orders, providerReport, null, bankStatement, null, null, null, null, null, null, null);
    }
}
