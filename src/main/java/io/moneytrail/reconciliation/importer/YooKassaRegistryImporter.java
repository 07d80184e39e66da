package io.moneytrail.reconciliation.importer;

import io.moneytrail.reconciliation.ImportLimits;
import io.moneytrail.reconciliation.ImportProblem;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.Progress;
import io.moneytrail.reconciliation.ProviderRow;
import io.moneytrail.reconciliation.ProviderRowKind;
import io.moneytrail.reconciliation.UnusableInputException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * YooKassa's daily registries, semicolon-separated UTF-8 (a BOM allowed), amounts with a dot
 * and no thousands separator, times {@code dd.MM.yyyy HH:mm:ss} in Moscow time (converted to
 * UTC here).
 *
 * <p>Payment registry, required columns: {@code Идентификатор платежа; Сумма платежа;
 * Валюта платежа; Сумма за вычетом комиссии} (or {@code Сумма платежа за вычетом комиссии
 * НКО}) {@code ; Время платежа}. Optional: {@code Номер заказа} (or a column named like the
 * order metadata key), {@code Описание, Тип платежа, Идентификатор платежного средства}
 * (read, not needed). The fee is amount minus net.
 *
 * <p>Refund registry, required: {@code Идентификатор возврата; Идентификатор платежа; Сумма
 * возврата; Валюта возврата; Время возврата}; optional {@code Номер заказа}. YooKassa keeps its
 * fee on refunds, so a refund's fee is zero.
 *
 * <p>YooKassa pays the day's net out in one transfer; the registry has no payout ids, so the
 * engine groups rows into one implied payout per Moscow day ({@code yookassa:YYYY-MM-DD}).
 */
public final class YooKassaRegistryImporter {

    static final String PAYMENT_ID = "Идентификатор платежа";
    static final String REFUND_ID = "Идентификатор возврата";
    static final List<String> PAYMENT_REQUIRED = List.of(PAYMENT_ID, "Сумма платежа", "Валюта платежа", "Время платежа");
    static final List<String> REFUND_REQUIRED = List.of(REFUND_ID, PAYMENT_ID, "Сумма возврата", "Валюта возврата",
            "Время возврата");
    private static final String NET = "Сумма за вычетом комиссии";
    private static final String NET_NKO = "Сумма платежа за вычетом комиссии НКО";

    private final ImportLimits limits;
    private final String orderMetadataKey;

    public YooKassaRegistryImporter(ImportLimits limits, String orderMetadataKey) {
        this.limits = limits;
        this.orderMetadataKey = orderMetadataKey;
    }

    public ImportSummary read(Path file, Consumer<ProviderRow> rows, Consumer<ImportProblem> problemListener,
                              Progress progress) {
        try (Input input = Input.open(file, limits, progress)) {
            CsvTable table = new CsvTable(input, input.utf8(), ';', "UTF-8");
            Currencies currencies = new Currencies();
            Problems problems = new Problems(input.name, limits.problemsKeptMax(), problemListener);
            int orderRef = table.has("Номер заказа") ? table.index("Номер заказа") : table.optional(orderMetadataKey);
            long[] counts;
            if (table.has(REFUND_ID)) {
                table.require(REFUND_REQUIRED, "YooKassa refund registry");
                int id = table.index(REFUND_ID);
                int payment = table.index(PAYMENT_ID);
                int amount = table.index("Сумма возврата");
                int currency = table.index("Валюта возврата");
                int time = table.index("Время возврата");
                counts = table.forEach((v, line) -> {
                    String code = currencies.code(v[currency]);
                    long minor = Amounts.parseMinor("Сумма возврата", v[amount], currencies.exponent(code));
                    if (minor <= 0) {
                        throw new RowProblem("Сумма возврата must be positive");
                    }
                    Instant at = Times.moscow("Время возврата", v[time]);
                    rows.accept(new ProviderRow(ProviderRowKind.REFUND, required(v[id], REFUND_ID),
                            required(v[payment], PAYMENT_ID), null, CsvTable.valueOrNull(v, orderRef), -minor, 0,
                            -minor, code, at, impliedPayout(at), line));
                }, problems);
            } else {
                table.require(PAYMENT_REQUIRED, "YooKassa payment registry");
                if (!table.has(NET) && !table.has(NET_NKO)) {
                    throw new UnusableInputException(input.name, 1, "not a YooKassa payment registry header: missing column "
                            + NET + " (or " + NET_NKO + ")");
                }
                int id = table.index(PAYMENT_ID);
                int amount = table.index("Сумма платежа");
                int currency = table.index("Валюта платежа");
                int net = table.has(NET) ? table.index(NET) : table.index(NET_NKO);
                int time = table.index("Время платежа");
                counts = table.forEach((v, line) -> {
                    String code = currencies.code(v[currency]);
                    int exponent = currencies.exponent(code);
                    long gross = Amounts.parseMinor("Сумма платежа", v[amount], exponent);
                    long netMinor = Amounts.parseMinor("Сумма за вычетом комиссии", v[net], exponent);
                    if (gross <= 0 || netMinor > gross) {
                        throw new RowProblem("Сумма платежа must be positive and not less than the net amount");
                    }
                    Instant at = Times.moscow("Время платежа", v[time]);
                    String paymentId = required(v[id], PAYMENT_ID);
                    rows.accept(new ProviderRow(ProviderRowKind.CHARGE, paymentId, paymentId, null,
                            CsvTable.valueOrNull(v, orderRef), gross, gross - netMinor, netMinor, code, at,
                            impliedPayout(at), line));
                }, problems);
            }
            input.finished(progress);
            return problems.summary("yookassa", counts[0], counts[1], input.size);
        }
    }

    /** YooKassa settles each Moscow day's operations in one transfer. */
    static String impliedPayout(Instant at) {
        return "yookassa:" + at.atZone(Times.MOSCOW).toLocalDate();
    }

    private static String required(String value, String column) {
        String v = value.strip();
        if (v.isEmpty()) {
            throw new RowProblem(column + " is empty");
        }
        return v;
    }
}
