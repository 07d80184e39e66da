package io.moneytrail.reconciliation;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
 * @param moreProviderReports further reports of the same provider and format, read into the same
 *                            run (YooKassa's refund registry next to its payment registry); empty: none
 */
public record AuditRequest(Path orders, Path providerReport, ProviderFormat providerFormat, Path bankStatement,
                           BankFormat bankFormat, OrderExportMapping mapping, Tolerances tolerances, FeeTariff feeTariff,
                           String orderMetadataKey, LocalDate asOf, ImportLimits limits,
                           List<Path> moreProviderReports) {

    public AuditRequest {
        Objects.requireNonNull(orders, "orders");
        Objects.requireNonNull(providerReport, "providerReport");
        mapping = mapping == null ? OrderExportMapping.DEFAULT : mapping;
        tolerances = tolerances == null ? Tolerances.DEFAULTS : tolerances;
        orderMetadataKey = orderMetadataKey == null || orderMetadataKey.isBlank() ? "order_id" : orderMetadataKey;
        limits = limits == null ? ImportLimits.DEFAULTS : limits;
        moreProviderReports = moreProviderReports == null ? List.of() : List.copyOf(moreProviderReports);
    }

    /** One provider report. */
    public AuditRequest(Path orders, Path providerReport, ProviderFormat providerFormat, Path bankStatement,
                        BankFormat bankFormat, OrderExportMapping mapping, Tolerances tolerances, FeeTariff feeTariff,
                        String orderMetadataKey, LocalDate asOf, ImportLimits limits) {
        this(orders, providerReport, providerFormat, bankStatement, bankFormat, mapping, tolerances, feeTariff,
                orderMetadataKey, asOf, limits, List.of());
    }

    /** Every provider report: the first, then the others. */
    public List<Path> providerReports() {
        List<Path> all = new ArrayList<>();
        all.add(providerReport);
        all.addAll(moreProviderReports);
        return all;
    }

    /** The same request with these further reports of the same provider. */
    public AuditRequest withMoreProviderReports(List<Path> reports) {
        return new AuditRequest(orders, providerReport, providerFormat, bankStatement, bankFormat, mapping, tolerances,
                feeTariff, orderMetadataKey, asOf, limits, reports);
    }

    /** The three files with every setting at its default. */
    public static AuditRequest of(Path orders, Path providerReport, Path bankStatement) {
        return new AuditRequest(orders, providerReport, null, bankStatement, null, null, null, null, null, null, null);
    }
}
