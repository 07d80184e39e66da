package io.moneytrail.backoffice;

import io.moneytrail.ledger.Balances;
import io.moneytrail.money.MoneytrailException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/reports}: sales by day, every figure taken from the ledger — each is the
 * movement of one account over the day (its balance at the day's end minus at its start, in the
 * store's time zone): sales ({@code income:sales}), returns ({@code income:sales_returns}), VAT
 * collected ({@code liabilities:vat_payable}), provider fees ({@code expenses:psp_fees}),
 * customer advances (paid, not yet fulfilled: {@code liabilities:customer_advances}), and net
 * (sales − returns − fees). A chart (Chart.js, its data inline in the page), the table, and the
 * same rows as CSV.
 */
@Controller
class ReportsController {

    static final int DAYS_MAX = 62;
    static final int DAYS_DEFAULT = 7;
    static final List<String> ACCOUNTS = List.of("income:sales", "income:sales_returns", "liabilities:vat_payable",
            "expenses:psp_fees", "liabilities:customer_advances");

    private final Balances balances;
    private final BackofficeProperties properties;
    private final Clock clock;

    ReportsController(Balances balances, BackofficeProperties properties, Clock clock) {
        this.balances = balances;
        this.properties = properties;
        this.clock = clock;
    }

    /** One day in one currency; amounts in minor units, each positive in its account's normal direction. */
    public record Row(LocalDate day, String currency, long sales, long returns, long vat, long fees, long advances) {
        public long net() {
            return sales - returns - fees;
        }
    }

    @GetMapping("/admin/reports")
    String report(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                  @RequestParam(required = false) String by, Model model) {
        Periods grouping = Periods.parse(by);
        LocalDate[] period = grouping.period(from, to, clock, properties.timeZone());
        List<Row> rows = rows(period[0], period[1], grouping);
        model.addAttribute("by", grouping.unit());
        model.addAttribute("periods", grouping);
        model.addAttribute("units", Periods.UNITS);
        model.addAttribute("from", period[0]);
        model.addAttribute("to", period[1]);
        model.addAttribute("rows", rows);
        model.addAttribute("totals", totals(rows));
        model.addAttribute("chart", chartJson(rows));
        return "admin/reports";
    }

    @GetMapping(value = "/admin/reports/sales.csv")
    ResponseEntity<byte[]> csv(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                               @RequestParam(required = false) String by) {
        Periods grouping = Periods.parse(by);
        LocalDate[] period = grouping.period(from, to, clock, properties.timeZone());
        StringBuilder csv = new StringBuilder(grouping.unit() + ",currency,sales_minor,returns_minor,vat_minor,fees_minor,"
                + "advances_minor,net_minor\r\n");
        for (Row row : rows(period[0], period[1], grouping)) {
            csv.append(row.day()).append(',').append(row.currency()).append(',').append(row.sales()).append(',')
                    .append(row.returns()).append(',').append(row.vat()).append(',').append(row.fees()).append(',')
                    .append(row.advances()).append(',').append(row.net()).append("\r\n");
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"sales-" + period[0] + "-"
                        + period[1] + ".csv\"")
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .body(csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The chart's data: days, and per currency the net in major units (numbers and ISO dates
     * only, so the JSON is built by hand safely).
     */
    static String chartJson(List<Row> rows) {
        List<String> days = rows.stream().map(r -> "\"" + r.day() + "\"").distinct().toList();
        Map<String, List<String>> series = new java.util.TreeMap<>();
        for (Row r : rows) {
            int exponent = io.moneytrail.money.Money.currency(r.currency()).getDefaultFractionDigits();
            series.computeIfAbsent(r.currency(), c -> new ArrayList<>())
                    .add(java.math.BigDecimal.valueOf(r.net(), Math.max(exponent, 0)).toPlainString());
        }
        StringBuilder json = new StringBuilder("{\"labels\":[").append(String.join(",", days)).append("],\"series\":[");
        List<String> parts = new ArrayList<>();
        series.forEach((currency, values) -> parts.add("{\"currency\":\"" + currency + "\",\"net\":["
                + String.join(",", values) + "]}"));
        return json.append(String.join(",", parts)).append("]}").toString();
    }

    /** Per currency, the period's sums. */
    static List<Row> totals(List<Row> rows) {
        Map<String, Row> sums = new java.util.TreeMap<>();
        for (Row r : rows) {
            sums.merge(r.currency(), r, (a, b) -> new Row(null, a.currency(), a.sales() + b.sales(),
                    a.returns() + b.returns(), a.vat() + b.vat(), a.fees() + b.fees(), a.advances() + b.advances()));
        }
        return List.copyOf(sums.values());
    }

    List<Row> rows(LocalDate from, LocalDate to) {
        return rows(from, to, Periods.parse(null));
    }

    /** Rows per period of the grouping (its first day, within [from, to]) and currency. */
    List<Row> rows(LocalDate from, LocalDate to, Periods grouping) {
        ZoneId zone = properties.timeZone();
        List<LocalDate> days = grouping.starts(from, to);
        // balances at each day boundary ("before the boundary": entries effective at or before it minus 1 µs)
        List<Map<String, Map<String, Long>>> at = new ArrayList<>();
        for (int i = 0; i <= days.size(); i++) {
            Instant boundary = (i < days.size() ? days.get(i) : to.plusDays(1)).atStartOfDay(zone).toInstant()
                    .minus(Duration.of(1, ChronoUnit.MICROS));
            Map<String, Map<String, Long>> byAccount = new HashMap<>();
            for (String account : ACCOUNTS) {
                Map<String, Long> byCurrency = new HashMap<>();
                balances.account(account, boundary).forEach(b -> byCurrency.put(b.currency(), b.balanceMinor()));
                byAccount.put(account, byCurrency);
            }
            at.add(byAccount);
        }
        TreeSet<String> currencies = new TreeSet<>();
        at.forEach(m -> m.values().forEach(c -> currencies.addAll(c.keySet())));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < days.size(); i++) {
            for (String currency : currencies) {
                Map<String, Map<String, Long>> start = at.get(i);
                Map<String, Map<String, Long>> end = at.get(i + 1);
                rows.add(new Row(days.get(i), currency,
                        -moved(start, end, "income:sales", currency),
                        moved(start, end, "income:sales_returns", currency),
                        -moved(start, end, "liabilities:vat_payable", currency),
                        moved(start, end, "expenses:psp_fees", currency),
                        -moved(start, end, "liabilities:customer_advances", currency)));
            }
        }
        return rows;
    }

    private static long moved(Map<String, Map<String, Long>> start, Map<String, Map<String, Long>> end,
                              String account, String currency) {
        return end.get(account).getOrDefault(currency, 0L) - start.get(account).getOrDefault(currency, 0L);
    }
}
