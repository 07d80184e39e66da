package io.moneytrail.reconciliation.importer;

import io.moneytrail.reconciliation.ImportLimits;
import io.moneytrail.reconciliation.ImportProblem;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.OrderExportMapping;
import io.moneytrail.reconciliation.Progress;
import io.moneytrail.reconciliation.StoreOrder;
import io.moneytrail.reconciliation.StoreOrderStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The store's order export: CSV in UTF-8 with the default header
 * {@code order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded,payment_reference}
 * (and optionally {@code amount_charged_back}: chargebacks net of their reversals, absent meaning 0)
 * or another one named by an {@link OrderExportMapping}. Amounts are decimals in major units;
 * amounts must satisfy {@code 0 <= refunded <= paid} and {@code 0 <= charged back}.
 */
public final class OrderExportImporter {

    private final ImportLimits limits;
    private final OrderExportMapping mapping;

    public OrderExportImporter(ImportLimits limits, OrderExportMapping mapping) {
        this.limits = limits;
        this.mapping = mapping;
    }

    public ImportSummary read(Path file, Consumer<StoreOrder> orders, Consumer<ImportProblem> problemListener,
                              Progress progress) {
        try (Input input = Input.open(file, limits, progress)) {
            CsvTable table = new CsvTable(input, input.utf8(), mapping.delimiter(), "UTF-8");
            List<String> required = new ArrayList<>();
            for (String column : OrderExportMapping.REQUIRED) {
                required.add(mapping.headerFor(column));
            }
            table.require(required, "order export" + (mapping.columns().isEmpty()
                    ? " (default header " + String.join(",", OrderExportMapping.DEFAULT_HEADER)
                    + " and optionally amount_charged_back; use --orders-mapping for others)"
                    : " with the given mapping"));
            int id = table.index(mapping.headerFor("order_id"));
            int created = table.index(mapping.headerFor("created_at"));
            int status = table.index(mapping.headerFor("status"));
            int currency = table.index(mapping.headerFor("currency"));
            int total = table.index(mapping.headerFor("amount_total"));
            int paid = table.index(mapping.headerFor("amount_paid"));
            int refunded = table.index(mapping.headerFor("amount_refunded"));
            int reference = table.optional(mapping.headerFor("payment_reference"));
            int chargedBack = table.optional(mapping.headerFor("amount_charged_back"));
            DateTimeFormatter pattern = mapping.dateFormat() == null ? null : DateTimeFormatter.ofPattern(mapping.dateFormat());
            char decimal = mapping.decimalSeparator();
            Currencies currencies = new Currencies();
            Problems problems = new Problems(input.name, limits.problemsKeptMax(), problemListener);
            long[] counts = table.forEach((v, line) -> {
                String orderId = v[id].strip();
                if (orderId.isEmpty()) {
                    throw new RowProblem("order_id is empty");
                }
                String code = currencies.code(v[currency]);
                int exponent = currencies.exponent(code);
                long totalMinor = Amounts.parseMinor("amount_total", v[total], exponent, decimal);
                long paidMinor = Amounts.parseMinor("amount_paid", v[paid], exponent, decimal);
                long refundedMinor = Amounts.parseMinor("amount_refunded", v[refunded], exponent, decimal);
                String chargedBackText = CsvTable.valueOrNull(v, chargedBack);
                long chargedBackMinor = chargedBackText == null ? 0
                        : Amounts.parseMinor("amount_charged_back", chargedBackText, exponent, decimal);
                if (totalMinor < 0 || paidMinor < 0 || refundedMinor < 0 || chargedBackMinor < 0) {
                    throw new RowProblem("amounts must not be negative");
                }
                if (refundedMinor > paidMinor) {
                    throw new RowProblem("amount_refunded " + v[refunded].strip() + " is more than amount_paid "
                            + v[paid].strip());
                }
                Instant at = pattern == null ? Times.isoOrLocal("created_at", v[created], mapping.zone())
                        : Times.pattern("created_at", v[created], pattern, mapping.zone());
                orders.accept(new StoreOrder(orderId, at, status(v[status]), code, totalMinor, paidMinor,
                        refundedMinor, chargedBackMinor, CsvTable.valueOrNull(v, reference), line));
            }, problems);
            input.finished(progress);
            return problems.summary("orders", counts[0], counts[1], input.size);
        }
    }

    private StoreOrderStatus status(String text) {
        String word = text.strip();
        StoreOrderStatus mapped = mapping.statuses().get(word.toLowerCase(Locale.ROOT));
        if (mapped != null) {
            return mapped;
        }
        return StoreOrderStatus.parse(word).orElseThrow(() -> new RowProblem("status '" + word
                + "' is unknown (ours: pending, authorized, partially_paid, paid, partially_refunded, refunded, "
                + "cancelled, fulfilled; map others with status.<word>=<ours>)"));
    }
}
