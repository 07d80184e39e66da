package io.moneytrail.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * YooKassa's registries, as the YooKassa dialect writes them for a window of Moscow days: the
 * payment registry (one row per captured payment: amount, net of YooKassa's fee, time) and the
 * refund registry (one row per succeeded refund), semicolon-separated UTF-8 with a BOM, amounts
 * with a dot, times {@code dd.MM.yyyy HH:mm:ss} in Moscow time: the format Moneytrail's
 * {@code YooKassaRegistryImporter} reads. {@code Номер заказа} is the payment's
 * {@code metadata.order_id}.
 */
@Component
@ConditionalOnSandbox
class YooKassaRegistry {

    static final String PAYMENTS_HEADER = "Идентификатор платежа;Сумма платежа;Валюта платежа;"
            + "Сумма за вычетом комиссии;Время платежа;Идентификатор платежного средства;Описание;Тип платежа;"
            + "Номер заказа\n";
    static final String REFUNDS_HEADER = "Идентификатор возврата;Идентификатор платежа;Сумма возврата;"
            + "Валюта возврата;Время возврата;Номер заказа\n";
    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    static final Duration WINDOW_MAX = Duration.ofDays(92);
    static final int ROWS_MAX = 100_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss").withZone(MOSCOW);

    private final SandboxStore store;
    private final YooKassaObjects objects;

    YooKassaRegistry(SandboxStore store, YooKassaObjects objects) {
        this.store = store;
        this.objects = objects;
    }

    byte[] payments(String from, String to) {
        StringBuilder csv = new StringBuilder("\uFEFF").append(PAYMENTS_HEADER);
        Map<String, YooKassaObjects.Data> data = new HashMap<>();
        for (SandboxStore.Movement m : movements(from, to)) {
            if (!"charge".equals(m.type())) {
                continue;
            }
            YooKassaObjects.Data d = data(m.paymentId(), data);
            csv.append(m.paymentId()).append(';')
                    .append(YooKassaObjects.value(m.amount(), m.currency())).append(';')
                    .append(m.currency()).append(';')
                    .append(YooKassaObjects.value(m.amount() - objects.fee(m.amount()), m.currency())).append(';')
                    .append(TIME.format(m.created())).append(';')
                    .append(m.paymentId()).append(';')
                    .append(cell(d.description())).append(';')
                    .append("bank_card").append(';')
                    .append(cell(d.orderId())).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    byte[] refunds(String from, String to) {
        StringBuilder csv = new StringBuilder("\uFEFF").append(REFUNDS_HEADER);
        Map<String, YooKassaObjects.Data> data = new HashMap<>();
        for (SandboxStore.Movement m : movements(from, to)) {
            if (!"refund".equals(m.type())) {
                continue;
            }
            csv.append(m.id()).append(';')
                    .append(m.paymentId()).append(';')
                    .append(YooKassaObjects.value(-m.amount(), m.currency())).append(';')
                    .append(m.currency()).append(';')
                    .append(TIME.format(m.created())).append(';')
                    .append(cell(data(m.paymentId(), data).orderId())).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private List<SandboxStore.Movement> movements(String fromText, String toText) {
        Instant from = day("from", fromText);
        Instant to = day("to", toText);
        if (!from.isBefore(to) || Duration.between(from, to).compareTo(WINDOW_MAX) > 0) {
            throw SandboxException.badRequest("parameter_invalid", "from must be before to, at most " + WINDOW_MAX.toDays()
                    + " days apart");
        }
        List<SandboxStore.Movement> movements = store.movements(YooKassaObjects.DIALECT, from, to, ROWS_MAX + 1);
        if (movements.size() > ROWS_MAX) {
            throw SandboxException.badRequest("report_too_large", "more than " + ROWS_MAX
                    + " operations in the window; ask for a shorter one");
        }
        return movements;
    }

    private YooKassaObjects.Data data(String paymentId, Map<String, YooKassaObjects.Data> known) {
        return known.computeIfAbsent(paymentId, id -> store.findPayment(id).map(YooKassaObjects.Data::of)
                .orElse(new YooKassaObjects.Data(null, null)));
    }

    /** A Moscow date (the registry's days), as the instant it starts. */
    private static Instant day(String name, String text) {
        if (text == null || text.isBlank()) {
            throw SandboxException.badRequest("parameter_missing", name + " is required (a date, 2026-05-01)");
        }
        try {
            return LocalDate.parse(text).atStartOfDay(MOSCOW).toInstant();
        } catch (DateTimeException e) {
            throw SandboxException.badRequest("parameter_invalid", name + " '" + text + "' is not a date (2026-05-01)");
        }
    }

    /** Free text in a cell: the separator, quotes and line breaks become spaces. */
    private static String cell(String text) {
        return text == null ? "" : text.replaceAll("[;\"\\r\\n]", " ");
    }
}
