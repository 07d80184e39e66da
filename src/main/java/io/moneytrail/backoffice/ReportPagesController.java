package io.moneytrail.backoffice;

import io.moneytrail.ledger.Balances;
import io.moneytrail.ledger.LedgerReports;
import io.moneytrail.money.Money;
import io.moneytrail.payment.PaymentStatistics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.ObjectMapper;

/**
 * The reports beside the sales report, each a chart (Chart.js, its data inline in the page, the
 * {@code <canvas>} rendered by the server), the table under it and a CSV download, by day, week
 * or month in the store's time zone ({@link Periods}):
 * <ul>
 * <li>{@code /admin/reports/providers} — by provider, from the ledger: sales, returns and VAT of
 * the orders paid through it, what was captured and refunded through it, its fees and
 * chargebacks (its clearing account's movements by kind of entry), and the net (sales − returns
 * − fees);</li>
 * <li>{@code /admin/reports/payments} — the payment success rate per period and provider, and
 * the top decline reasons;</li>
 * <li>{@code /admin/reports/outstanding} — what is outstanding now: authorised and not captured,
 * paid and not fulfilled (the customer advances' balance in the ledger), refunds pending.</li>
 * </ul>
 */
@Controller
class ReportPagesController {

    static final int DECLINE_REASONS_MAX = 10;

    private final LedgerReports ledger;
    private final Balances balances;
    private final PaymentStatistics payments;
    private final BackofficeProperties properties;
    private final MessageSource messages;
    private final ObjectMapper json;
    private final Clock clock;

    ReportPagesController(LedgerReports ledger, Balances balances, PaymentStatistics payments,
                          BackofficeProperties properties, MessageSource messages, ObjectMapper json, Clock clock) {
        this.ledger = ledger;
        this.balances = balances;
        this.payments = payments;
        this.properties = properties;
        this.messages = messages;
        this.json = json;
        this.clock = clock;
    }

    /** One period, provider and currency; minor units, each positive in its usual direction. */
    public record ProviderRow(LocalDate period, String provider, String currency, long sales, long returns, long vat,
                              long captured, long refunded, long fees, long chargebacks) {
        public long net() {
            return sales - returns - fees;
        }

        ProviderRow plus(ProviderRow o) {
            return new ProviderRow(null, provider, currency, sales + o.sales, returns + o.returns, vat + o.vat,
                    captured + o.captured, refunded + o.refunded, fees + o.fees, chargebacks + o.chargebacks);
        }
    }

    /** One line of what is outstanding. */
    public record OutstandingRow(String what, String provider, String currency, Long count, long amount) {
    }

    // ---------------------------------------------------------------- by provider

    @GetMapping("/admin/reports/providers")
    String providers(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                     @RequestParam(required = false) String by, Model model, Locale locale) {
        Periods grouping = Periods.parse(by);
        LocalDate[] period = grouping.period(from, to, clock, properties.timeZone());
        List<ProviderRow> rows = providerRows(period[0], period[1], grouping);
        common(model, grouping, period);
        model.addAttribute("rows", rows);
        Map<String, ProviderRow> totals = new TreeMap<>();
        rows.forEach(r -> totals.merge(r.provider() + " " + r.currency(), r, ProviderRow::plus));
        model.addAttribute("totals", List.copyOf(totals.values()));
        model.addAttribute("chart", chart("bar", rows, grouping.starts(period[0], period[1]), grouping,
                r -> providerName(r.provider(), locale) + " " + r.currency(), ProviderRow::currency, ProviderRow::net,
                false));
        return "admin/report-providers";
    }

    @GetMapping("/admin/reports/providers.csv")
    ResponseEntity<byte[]> providersCsv(@RequestParam(required = false) String from,
                                        @RequestParam(required = false) String to,
                                        @RequestParam(required = false) String by) {
        Periods grouping = Periods.parse(by);
        LocalDate[] period = grouping.period(from, to, clock, properties.timeZone());
        StringBuilder csv = new StringBuilder(grouping.unit() + ",provider,currency,sales_minor,returns_minor,vat_minor,"
                + "captured_minor,refunded_minor,fees_minor,chargebacks_minor,net_minor\r\n");
        for (ProviderRow r : providerRows(period[0], period[1], grouping)) {
            csv.append(r.period()).append(',').append(Csv.cell(r.provider())).append(',').append(r.currency())
                    .append(',').append(r.sales()).append(',').append(r.returns()).append(',').append(r.vat())
                    .append(',').append(r.captured()).append(',').append(r.refunded()).append(',').append(r.fees())
                    .append(',').append(r.chargebacks()).append(',').append(r.net()).append("\r\n");
        }
        return Csv.download("providers-" + grouping.unit() + "-" + period[0] + "-" + period[1], csv);
    }

    List<ProviderRow> providerRows(LocalDate from, LocalDate to, Periods grouping) {
        ZoneId zone = properties.timeZone();
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
        Map<List<Object>, long[]> sums = new TreeMap<>(ReportPagesController::compareKeys);
        for (LedgerReports.RevenueMovement m : ledger.revenueByProvider(start, end, grouping.unit(), zone)) {
            long[] s = sums.computeIfAbsent(key(clip(m.period(), from), m.provider(), m.currency()), k -> new long[7]);
            switch (m.account()) {
                case "income:sales" -> s[0] -= m.movedMinor();
                case "income:sales_returns" -> s[1] += m.movedMinor();
                default -> s[2] -= m.movedMinor();
            }
        }
        for (LedgerReports.ProviderMovement m : ledger.providerMovements(start, end, grouping.unit(), zone)) {
            long[] s = sums.computeIfAbsent(key(clip(m.period(), from), m.provider(), m.currency()), k -> new long[7]);
            switch (m.sourceType()) {
                case "payment_transaction" -> {
                    if (m.reversal()) { // a reversed capture credits the provider, a reversed refund debits it
                        s[3] -= m.creditsMinor();
                        s[4] -= m.debitsMinor();
                    } else {
                        s[3] += m.debitsMinor();
                        s[4] += m.creditsMinor();
                    }
                }
                case "provider_fee" -> s[5] += m.creditsMinor() - m.debitsMinor();
                case "chargeback", "chargeback_reversal" -> s[6] += m.creditsMinor() - m.debitsMinor();
                default -> {
                    // payouts and adjustments move the provider's account but are neither sales nor fees;
                    // an operator's reversal counts as the kind of entry it reverses (a reversed fee lowers fees)
                }
            }
        }
        List<ProviderRow> rows = new ArrayList<>();
        sums.forEach((k, s) -> rows.add(new ProviderRow((LocalDate) k.get(0), (String) k.get(1), (String) k.get(2),
                s[0], s[1], s[2], s[3], s[4], s[5], s[6])));
        return rows;
    }

    // ---------------------------------------------------------------- payments

    @GetMapping("/admin/reports/payments")
    String payments(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                    @RequestParam(required = false) String by, Model model) {
        Periods grouping = Periods.parse(by);
        LocalDate[] period = grouping.period(from, to, clock, properties.timeZone());
        List<PaymentStatistics.Outcomes> rows = outcomes(period[0], period[1], grouping);
        common(model, grouping, period);
        model.addAttribute("rows", rows);
        Map<String, PaymentStatistics.Outcomes> totals = new TreeMap<>();
        rows.forEach(r -> totals.merge(r.provider(), r, (a, b) -> new PaymentStatistics.Outcomes(null, a.provider(),
                a.attempts() + b.attempts(), a.succeeded() + b.succeeded(), a.declined() + b.declined(),
                a.abandoned() + b.abandoned(), a.inFlight() + b.inFlight())));
        model.addAttribute("totals", List.copyOf(totals.values()));
        List<PaymentStatistics.DeclineReason> reasons = declines(period[0], period[1]);
        long declined = reasons.stream().mapToLong(PaymentStatistics.DeclineReason::count).sum();
        model.addAttribute("reasons", reasons);
        model.addAttribute("declined", declined);
        model.addAttribute("chart", rateChart(rows, grouping.starts(period[0], period[1]), grouping));
        model.addAttribute("declineChart", declineChart(reasons));
        return "admin/report-payments";
    }

    @GetMapping("/admin/reports/payments.csv")
    ResponseEntity<byte[]> paymentsCsv(@RequestParam(required = false) String from,
                                       @RequestParam(required = false) String to,
                                       @RequestParam(required = false) String by) {
        Periods grouping = Periods.parse(by);
        LocalDate[] period = grouping.period(from, to, clock, properties.timeZone());
        StringBuilder csv = new StringBuilder(grouping.unit()
                + ",provider,attempts,succeeded,declined,abandoned,in_flight,success_rate\r\n");
        for (PaymentStatistics.Outcomes r : outcomes(period[0], period[1], grouping)) {
            csv.append(r.period()).append(',').append(Csv.cell(r.provider())).append(',').append(r.attempts())
                    .append(',').append(r.succeeded()).append(',').append(r.declined()).append(',')
                    .append(r.abandoned()).append(',').append(r.inFlight()).append(',')
                    .append(r.successRate() == null ? "" : BigDecimal.valueOf(r.successRate())
                            .setScale(4, java.math.RoundingMode.HALF_UP).toPlainString())
                    .append("\r\n");
        }
        return Csv.download("payments-" + grouping.unit() + "-" + period[0] + "-" + period[1], csv);
    }

    @GetMapping("/admin/reports/declines.csv")
    ResponseEntity<byte[]> declinesCsv(@RequestParam(required = false) String from,
                                       @RequestParam(required = false) String to,
                                       @RequestParam(required = false) String by) {
        Periods grouping = Periods.parse(by);
        LocalDate[] period = grouping.period(from, to, clock, properties.timeZone());
        StringBuilder csv = new StringBuilder("provider,failure_code,count,example_message\r\n");
        for (PaymentStatistics.DeclineReason r : declines(period[0], period[1])) {
            csv.append(Csv.cell(r.provider())).append(',').append(Csv.cell(r.code())).append(',').append(r.count())
                    .append(',').append(Csv.cell(r.example())).append("\r\n");
        }
        return Csv.download("declines-" + period[0] + "-" + period[1], csv);
    }

    private List<PaymentStatistics.Outcomes> outcomes(LocalDate from, LocalDate to, Periods grouping) {
        ZoneId zone = properties.timeZone();
        List<PaymentStatistics.Outcomes> rows = new ArrayList<>();
        for (PaymentStatistics.Outcomes o : payments.outcomes(from.atStartOfDay(zone).toInstant(),
                to.plusDays(1).atStartOfDay(zone).toInstant(), grouping.unit(), zone)) {
            rows.add(new PaymentStatistics.Outcomes(clip(o.period(), from), o.provider(), o.attempts(), o.succeeded(),
                    o.declined(), o.abandoned(), o.inFlight()));
        }
        return rows;
    }

    private List<PaymentStatistics.DeclineReason> declines(LocalDate from, LocalDate to) {
        ZoneId zone = properties.timeZone();
        return payments.declineReasons(from.atStartOfDay(zone).toInstant(),
                to.plusDays(1).atStartOfDay(zone).toInstant(), DECLINE_REASONS_MAX);
    }

    // ---------------------------------------------------------------- outstanding

    @GetMapping("/admin/reports/outstanding")
    String outstanding(Model model, Locale locale) {
        List<OutstandingRow> rows = outstandingRows();
        model.addAttribute("rows", rows);
        model.addAttribute("asOf", clock.instant());
        // the chart: one bar per kind of outstanding, a dataset per currency (major units)
        List<String> kinds = List.of("authorized", "advances", "refunds");
        Map<String, double[]> byCurrency = new TreeMap<>();
        for (OutstandingRow r : rows) {
            byCurrency.computeIfAbsent(r.currency(), c -> new double[kinds.size()])[kinds.indexOf(r.what())]
                    += major(r.amount(), r.currency());
        }
        List<Map<String, Object>> datasets = new ArrayList<>();
        byCurrency.forEach((currency, values) -> datasets.add(dataset(currency,
                java.util.Arrays.stream(values).boxed().map(v -> (Object) v).toList())));
        model.addAttribute("chart", chartJson("bar", kinds.stream()
                .map(k -> messages.getMessage("reportsx.outstanding." + k, null, locale)).toList(), datasets, false));
        return "admin/report-outstanding";
    }

    @GetMapping("/admin/reports/outstanding.csv")
    ResponseEntity<byte[]> outstandingCsv() {
        StringBuilder csv = new StringBuilder("outstanding,provider,currency,count,amount_minor\r\n");
        for (OutstandingRow r : outstandingRows()) {
            csv.append(r.what()).append(',').append(Csv.cell(r.provider())).append(',').append(r.currency())
                    .append(',').append(r.count() == null ? "" : r.count()).append(',').append(r.amount())
                    .append("\r\n");
        }
        return Csv.download("outstanding-" + LocalDate.ofInstant(clock.instant(), properties.timeZone()), csv);
    }

    List<OutstandingRow> outstandingRows() {
        List<OutstandingRow> rows = new ArrayList<>();
        payments.authorizedNotCaptured().forEach(o -> rows.add(new OutstandingRow("authorized", o.provider(),
                o.currency(), o.count(), o.amountMinor())));
        balances.account("liabilities:customer_advances", clock.instant()).forEach(b -> {
            if (b.balanceMinor() != 0) {
                rows.add(new OutstandingRow("advances", "", b.currency(), null, -b.balanceMinor()));
            }
        });
        payments.refundsPending().forEach(o -> rows.add(new OutstandingRow("refunds", o.provider(), o.currency(),
                o.count(), o.amountMinor())));
        return rows;
    }

    // ---------------------------------------------------------------- shared

    private void common(Model model, Periods grouping, LocalDate[] period) {
        model.addAttribute("by", grouping.unit());
        model.addAttribute("units", Periods.UNITS);
        model.addAttribute("periods", grouping);
        model.addAttribute("from", period[0]);
        model.addAttribute("to", period[1]);
    }

    private static LocalDate clip(LocalDate groupStart, LocalDate from) {
        return groupStart.isBefore(from) ? from : groupStart;
    }

    private static List<Object> key(LocalDate period, String provider, String currency) {
        return List.of(period, provider == null ? "" : provider, currency);
    }

    @SuppressWarnings("unchecked")
    private static int compareKeys(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = ((Comparable<Object>) a.get(i)).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private String providerName(String provider, Locale locale) {
        return provider == null || provider.isEmpty() ? messages.getMessage("reportsx.noProvider", null, locale)
                : provider;
    }

    static double major(long minor, String currency) {
        int exponent = Money.currency(currency).getDefaultFractionDigits();
        return BigDecimal.valueOf(minor, Math.max(exponent, 0)).doubleValue();
    }

    /** A chart of one money figure per period, a dataset per series (provider and currency). */
    private <R> String chart(String type, List<R> rows, List<LocalDate> labels, Periods grouping,
                             Function<R, String> series, Function<R, String> currency,
                             java.util.function.ToLongFunction<R> value, boolean percent) {
        Map<String, Object[]> data = new TreeMap<>();
        for (R row : rows) {
            Object[] values = data.computeIfAbsent(series.apply(row), s -> new Object[labels.size()]);
            int i = labels.indexOf(periodOf(row));
            double v = major(value.applyAsLong(row), currency.apply(row));
            values[i] = values[i] == null ? v : (Double) values[i] + v;
        }
        List<Map<String, Object>> datasets = new ArrayList<>();
        data.forEach((name, values) -> datasets.add(dataset(name, java.util.Arrays.asList(values))));
        return chartJson(type, labels.stream().map(grouping::label).toList(), datasets, percent);
    }

    private LocalDate periodOf(Object row) {
        if (row instanceof ProviderRow r) {
            return r.period();
        }
        return ((PaymentStatistics.Outcomes) row).period();
    }

    private String rateChart(List<PaymentStatistics.Outcomes> rows, List<LocalDate> labels, Periods grouping) {
        Map<String, Object[]> data = new TreeMap<>();
        for (PaymentStatistics.Outcomes row : rows) {
            Object[] values = data.computeIfAbsent(row.provider(), s -> new Object[labels.size()]);
            values[labels.indexOf(row.period())] = row.successRate() == null ? null
                    : BigDecimal.valueOf(row.successRate() * 100).setScale(1, java.math.RoundingMode.HALF_UP)
                            .doubleValue();
        }
        List<Map<String, Object>> datasets = new ArrayList<>();
        data.forEach((name, values) -> datasets.add(dataset(name, java.util.Arrays.asList(values))));
        return chartJson("bar", labels.stream().map(grouping::label).toList(), datasets, true);
    }

    private String declineChart(List<PaymentStatistics.DeclineReason> reasons) {
        List<String> labels = reasons.stream().map(r -> (r.code().isEmpty() ? "–" : r.code()) + " (" + r.provider()
                + ")").toList();
        return chartJson("bar", labels, List.of(dataset("declines", reasons.stream()
                .map(r -> (Object) r.count()).toList())), false);
    }

    private static Map<String, Object> dataset(String label, List<Object> data) {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("label", label);
        set.put("data", data);
        return set;
    }

    /** The chart's data as JSON that is safe inside a {@code <script>} element. */
    private String chartJson(String type, List<String> labels, List<Map<String, Object>> datasets, boolean percent) {
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("type", type);
        chart.put("labels", labels);
        chart.put("datasets", datasets);
        chart.put("percent", percent);
        return json.writeValueAsString(chart).replace("<", "\\u003c").replace(">", "\\u003e")
                .replace("&", "\\u0026");
    }

    /** CSV cells and downloads. */
    static final class Csv {

        private Csv() {
        }

        /** A text cell, quoted when it holds a comma, quote or line break; a leading formula sign is neutralised. */
        static String cell(String value) {
            if (value == null) {
                return "";
            }
            String v = value;
            if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
                v = "'" + v;
            }
            if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
                return "\"" + v.replace("\"", "\"\"") + "\"";
            }
            return v;
        }

        static ResponseEntity<byte[]> download(String name, StringBuilder csv) {
            return ResponseEntity.ok()
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".csv\"")
                    .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                    .body(csv.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
