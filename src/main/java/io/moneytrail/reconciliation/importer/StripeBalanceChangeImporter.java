package io.moneytrail.reconciliation.importer;

import io.moneytrail.reconciliation.ImportLimits;
import io.moneytrail.reconciliation.ImportProblem;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.Progress;
import io.moneytrail.reconciliation.ProviderRow;
import io.moneytrail.reconciliation.ProviderRowKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stripe's "balance change from activity" itemized report
 * ({@code balance_change_from_activity.itemized.1|2|3}), CSV in UTF-8.
 *
 * <p>Required (all default columns we use): {@code balance_transaction_id, created_utc,
 * currency, gross, fee, net, reporting_category, source_id}. Other default columns
 * ({@code created, available_on…, description, customer_facing_…}) may be there and are not
 * read. Optional: {@code payment_intent_id}, {@code charge_id}, {@code automatic_payout_id},
 * {@code payment_metadata[KEY]} with KEY the order metadata key (default {@code order_id}).
 * Amounts are decimals in major units; {@code created_utc} is UTC.
 */
public final class StripeBalanceChangeImporter {

    static final List<String> REQUIRED = List.of("balance_transaction_id", "created_utc", "currency", "gross", "fee",
            "net", "reporting_category", "source_id");

    private final ImportLimits limits;
    private final String orderMetadataKey;

    public StripeBalanceChangeImporter(ImportLimits limits, String orderMetadataKey) {
        this.limits = limits;
        this.orderMetadataKey = orderMetadataKey;
    }

    public ImportSummary read(Path file, Consumer<ProviderRow> rows, Consumer<ImportProblem> problemListener,
                              Progress progress) {
        try (Input input = Input.open(file, limits, progress)) {
            CsvTable table = new CsvTable(input, input.utf8(), ',', "UTF-8");
            table.require(REQUIRED, "Stripe balance change from activity report");
            int id = table.index("balance_transaction_id");
            int created = table.index("created_utc");
            int currency = table.index("currency");
            int gross = table.index("gross");
            int fee = table.index("fee");
            int net = table.index("net");
            int category = table.index("reporting_category");
            int source = table.index("source_id");
            int paymentIntent = table.optional("payment_intent_id");
            int charge = table.optional("charge_id");
            int payout = table.optional("automatic_payout_id");
            int orderRef = table.optional("payment_metadata[" + orderMetadataKey + "]");
            Currencies currencies = new Currencies();
            Problems problems = new Problems(input.name, limits.problemsKeptMax(), problemListener);
            long[] counts = table.forEach((v, line) -> {
                String balanceTransaction = required(v[id], "balance_transaction_id");
                String code = currencies.code(required(v[currency], "currency"));
                int exponent = currencies.exponent(code);
                long grossMinor = Amounts.parseMinor("gross", v[gross], exponent);
                long feeMinor = Amounts.parseMinor("fee", v[fee], exponent);
                long netMinor = Amounts.parseMinor("net", v[net], exponent);
                if (grossMinor - feeMinor != netMinor) {
                    throw new RowProblem("net " + v[net] + " is not gross " + v[gross] + " minus fee " + v[fee]);
                }
                Instant at = Times.utc("created_utc", v[created]);
                ProviderRowKind kind = kind(v[category].strip());
                String sourceId = CsvTable.valueOrNull(v, source);
                String chargeId = CsvTable.valueOrNull(v, charge);
                if (chargeId == null && kind == ProviderRowKind.CHARGE && sourceId != null) {
                    chargeId = sourceId; // a charge row's source is the charge itself
                }
                String payoutId = kind == ProviderRowKind.PAYOUT || kind == ProviderRowKind.PAYOUT_REVERSAL
                        ? sourceId : CsvTable.valueOrNull(v, payout);
                rows.accept(new ProviderRow(kind, sourceId != null ? sourceId : balanceTransaction,
                        CsvTable.valueOrNull(v, paymentIntent), chargeId, CsvTable.valueOrNull(v, orderRef),
                        grossMinor, feeMinor, netMinor, code, at, payoutId, line));
            }, problems);
            input.finished(progress);
            return problems.summary("stripe", counts[0], counts[1], input.size);
        }
    }

    private static String required(String value, String column) {
        String v = value.strip();
        if (v.isEmpty()) {
            throw new RowProblem(column + " is empty");
        }
        return v;
    }

    /** Stripe's reporting categories onto ours, in one place. */
    static ProviderRowKind kind(String reportingCategory) {
        switch (reportingCategory) {
            case "charge":
                return ProviderRowKind.CHARGE;
            case "partial_capture_reversal":
                return ProviderRowKind.PARTIAL_CAPTURE_REVERSAL;
            case "refund":
                return ProviderRowKind.REFUND;
            case "refund_failure":
                return ProviderRowKind.REFUND_FAILURE;
            case "dispute":
                return ProviderRowKind.DISPUTE;
            case "dispute_reversal":
                return ProviderRowKind.DISPUTE_REVERSAL;
            case "fee":
                return ProviderRowKind.FEE;
            case "payout":
                return ProviderRowKind.PAYOUT;
            case "payout_reversal":
                return ProviderRowKind.PAYOUT_REVERSAL;
            default:
                return ProviderRowKind.OTHER; // transfers, adjustments, tax, … : counted, not matched
        }
    }
}
