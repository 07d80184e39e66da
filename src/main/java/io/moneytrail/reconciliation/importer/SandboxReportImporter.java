package io.moneytrail.reconciliation.importer;

import io.moneytrail.reconciliation.ImportLimits;
import io.moneytrail.reconciliation.ImportProblem;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.Progress;
import io.moneytrail.reconciliation.ProviderRow;
import io.moneytrail.reconciliation.ProviderRowKind;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The sandbox provider's balance report, defined by us: CSV in UTF-8 with the header
 * {@code id,type,payment_id,order_reference,amount,fee,net,currency,created_at,payout_id}.
 * {@code type} is one of {@code charge, refund, refund_failure, dispute, dispute_reversal,
 * fee, payout}; amounts are decimals in major units signed as their effect on the sandbox
 * balance; {@code created_at} is ISO-8601 UTC ({@code 2026-05-01T10:00:00Z}).
 */
public final class SandboxReportImporter {

    public static final List<String> HEADER = List.of("id", "type", "payment_id", "order_reference", "amount", "fee",
            "net", "currency", "created_at", "payout_id");

    private final ImportLimits limits;

    public SandboxReportImporter(ImportLimits limits) {
        this.limits = limits;
    }

    public ImportSummary read(Path file, Consumer<ProviderRow> rows, Consumer<ImportProblem> problemListener,
                              Progress progress) {
        try (Input input = Input.open(file, limits, progress)) {
            CsvTable table = new CsvTable(input, input.utf8(), ',', "UTF-8");
            table.require(HEADER, "sandbox balance report");
            int[] c = HEADER.stream().mapToInt(table::index).toArray();
            Currencies currencies = new Currencies();
            Problems problems = new Problems(input.name, limits.problemsKeptMax(), problemListener);
            long[] counts = table.forEach((v, line) -> {
                String id = v[c[0]].strip();
                if (id.isEmpty()) {
                    throw new RowProblem("id is empty");
                }
                ProviderRowKind kind = kind(v[c[1]].strip());
                String code = currencies.code(v[c[7]]);
                int exponent = currencies.exponent(code);
                long amount = Amounts.parseMinor("amount", v[c[4]], exponent);
                long fee = Amounts.parseMinor("fee", v[c[5]], exponent);
                long net = Amounts.parseMinor("net", v[c[6]], exponent);
                if (amount - fee != net) {
                    throw new RowProblem("net " + v[c[6]] + " is not amount " + v[c[4]] + " minus fee " + v[c[5]]);
                }
                String paymentId = CsvTable.valueOrNull(v, c[2]);
                rows.accept(new ProviderRow(kind, id, paymentId, null, CsvTable.valueOrNull(v, c[3]), amount, fee,
                        net, code, Times.utc("created_at", v[c[8]]),
                        kind == ProviderRowKind.PAYOUT ? id : CsvTable.valueOrNull(v, c[9]), line));
            }, problems);
            input.finished(progress);
            return problems.summary("sandbox", counts[0], counts[1], input.size);
        }
    }

    /** The sandbox's types are Stripe's reporting categories, a subset of them. */
    private static ProviderRowKind kind(String type) {
        ProviderRowKind kind = StripeBalanceChangeImporter.kind(type);
        if (kind == ProviderRowKind.OTHER || kind == ProviderRowKind.PARTIAL_CAPTURE_REVERSAL
                || kind == ProviderRowKind.PAYOUT_REVERSAL) {
            throw new RowProblem("type '" + type + "' is not one of charge, refund, refund_failure, dispute, "
                    + "dispute_reversal, fee, payout");
        }
        return kind;
    }
}
