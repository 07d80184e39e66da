package io.moneytrail.backoffice;

import io.moneytrail.checkout.DeviceClass;
import io.moneytrail.checkout.funnel.FunnelQuery;
import io.moneytrail.checkout.funnel.FunnelReport;
import io.moneytrail.checkout.funnel.FunnelReports;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/reports/funnel}: the checkout funnel (the API's {@code /v1/reports/funnel}, the
 * same {@link FunnelReports}) for days in the store's time zone: a funnel chart (Chart.js, its
 * data inline in the page), the steps' table, the decline reasons, the time from first view to
 * paid and where abandoned sessions stopped; the same as CSV.
 */
@Controller
class FunnelPageController {

    static final int DAYS_DEFAULT = 7;

    private final FunnelReports reports;
    private final BackofficeProperties properties;
    private final Clock clock;

    FunnelPageController(FunnelReports reports, BackofficeProperties properties, Clock clock) {
        this.reports = reports;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/admin/reports/funnel")
    String page(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                @RequestParam(required = false) String provider, @RequestParam(required = false) String device,
                Model model) {
        FunnelReport report = reports.report(query(from, to, provider, device));
        model.addAttribute("report", report);
        model.addAttribute("q", report.query());
        model.addAttribute("providers", reports.providers());
        model.addAttribute("devices", Arrays.stream(DeviceClass.values()).map(FunnelPageController::wire).toList());
        model.addAttribute("chart", chartJson(report));
        model.addAttribute("pathSteps", report.steps().subList(0, 6));
        return "admin/funnel";
    }

    @GetMapping("/admin/reports/funnel.csv")
    ResponseEntity<byte[]> csv(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                               @RequestParam(required = false) String provider,
                               @RequestParam(required = false) String device) {
        FunnelReport report = reports.report(query(from, to, provider, device));
        FunnelQuery q = report.query();
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"funnel-" + q.from() + "-" + q.to()
                        + (q.provider() == null ? "" : "-" + q.provider())
                        + (q.device() == null ? "" : "-" + wire(q.device())) + ".csv\"")
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .body(csv(report).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One table, {@code section} saying what a row is: {@code step} (value: journeys reaching it, then
     * checkout sessions, API orders, the step before and the conversion), {@code decline_reason}
     * (value: declines; journeys), {@code abandoned_last_step} (value: sessions) and
     * {@code time_to_paid} (sessions, median_seconds, p90_seconds).
     */
    static String csv(FunnelReport report) {
        StringBuilder csv = new StringBuilder("section,name,value,checkout_sessions,api_orders,journeys,from_step,"
                + "conversion\r\n");
        for (FunnelReport.Step s : report.steps()) {
            csv.append("step,").append(s.step()).append(',').append(s.count()).append(',').append(s.checkoutSessions())
                    .append(',').append(s.apiOrders()).append(",,").append(s.from() == null ? "" : s.from()).append(',')
                    .append(s.conversion() == null ? "" : s.conversion()).append("\r\n");
        }
        for (FunnelReport.DeclineReason r : report.declineReasons()) {
            csv.append("decline_reason,").append(r.reason()).append(',').append(r.declines()).append(",,,")
                    .append(r.journeys()).append(",,\r\n");
        }
        for (FunnelReport.LastStep l : report.abandonedByLastStep()) {
            csv.append("abandoned_last_step,").append(l.step()).append(',').append(l.sessions()).append(",,,,,\r\n");
        }
        FunnelReport.TimeToPaid t = report.timeToPaid();
        csv.append("time_to_paid,sessions,").append(t.sessions()).append(",,,,,\r\n");
        csv.append("time_to_paid,median_seconds,").append(t.medianSeconds() == null ? "" : t.medianSeconds())
                .append(",,,,,\r\n");
        csv.append("time_to_paid,p90_seconds,").append(t.p90Seconds() == null ? "" : t.p90Seconds()).append(",,,,,\r\n");
        return csv.toString();
    }

    /** The chart's data: the nine steps' names and counts (names are fixed identifiers, numbers are numbers). */
    static String chartJson(FunnelReport report) {
        List<String> steps = new ArrayList<>();
        List<String> counts = new ArrayList<>();
        for (FunnelReport.Step s : report.steps()) {
            steps.add("\"" + s.step() + "\"");
            counts.add(Long.toString(s.count()));
        }
        return "{\"steps\":[" + String.join(",", steps) + "],\"counts\":[" + String.join(",", counts) + "]}";
    }

    private FunnelQuery query(String from, String to, String provider, String device) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), properties.timeZone());
        String end = to == null || to.isBlank() ? today.toString() : to;
        String start = from == null || from.isBlank()
                ? safeMinus(end, DAYS_DEFAULT - 1) : from;
        return reports.query(start, end, provider, device, properties.timeZone());
    }

    /** The default start: a week before {@code to}, or {@code to} itself when it is not a date (refused next). */
    private static String safeMinus(String to, int days) {
        try {
            return LocalDate.parse(to.strip()).minusDays(days).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return to;
        }
    }

    static String wire(DeviceClass device) {
        return device.name().toLowerCase(Locale.ROOT);
    }
}
