package io.moneytrail.api;

import io.moneytrail.checkout.funnel.FunnelQuery;
import io.moneytrail.checkout.funnel.FunnelReport;
import io.moneytrail.checkout.funnel.FunnelReports;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/reports/funnel}: the checkout funnel of the journeys started in a period (UTC days). */
@RestController
@Tag(name = "Reports")
class FunnelReportController {

    private final FunnelReports reports;

    FunnelReportController(FunnelReports reports) {
        this.reports = reports;
    }

    @GetMapping("/v1/reports/funnel")
    @Operation(summary = "The checkout funnel of the journeys (checkout sessions, and orders paid through the API"
            + " without one) that started from..to (UTC dates, both included, at most 366 days): each step's count"
            + " and conversion from the step before, decline reasons, time from first view to paid, abandonment by"
            + " the last step reached (definitions: docs/checkout.md, \"Funnel\")")
    Map<String, Object> funnel(
            @Parameter(required = true, description = "first day (UTC), YYYY-MM-DD") @RequestParam(required = false) String from,
            @Parameter(required = true, description = "last day (UTC), YYYY-MM-DD, included") @RequestParam(required = false) String to,
            @Parameter(description = "only this provider's steps (a configured provider's name)")
            @RequestParam(required = false) String provider,
            @Parameter(schema = @Schema(allowableValues = {"desktop", "mobile", "tablet", "unknown"}),
                    description = "only journeys that started on this device class")
            @RequestParam(required = false) String device) {
        FunnelQuery query = reports.query(from, to, provider, device, ZoneOffset.UTC);
        return view(reports.report(query));
    }

    static Map<String, Object> view(FunnelReport report) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("object", "funnel_report");
        view.put("from", report.query().from().toString());
        view.put("to", report.query().to().toString());
        view.put("time_zone", "UTC");
        view.put("provider", report.query().provider());
        view.put("device", report.query().device() == null ? null : report.query().device().wire());
        Map<String, Object> journeys = new LinkedHashMap<>();
        journeys.put("checkout_sessions", report.checkoutSessions());
        journeys.put("api_orders", report.apiOrders());
        journeys.put("sessions_not_viewed", report.sessionsNotViewed());
        view.put("journeys", journeys);
        view.put("steps", report.steps().stream().map(s -> {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("step", s.step());
            step.put("count", s.count());
            step.put("checkout_sessions", s.checkoutSessions());
            step.put("api_orders", s.apiOrders());
            step.put("from", s.from());
            step.put("conversion", s.conversion());
            return step;
        }).toList());
        view.put("decline_reasons", report.declineReasons().stream().map(r -> {
            Map<String, Object> reason = new LinkedHashMap<>();
            reason.put("reason", r.reason());
            reason.put("declines", r.declines());
            reason.put("journeys", r.journeys());
            reason.put("codes", r.codes().stream().map(c -> {
                Map<String, Object> code = new LinkedHashMap<>();
                code.put("provider", c.provider());
                code.put("code", c.code());
                code.put("declines", c.declines());
                return code;
            }).toList());
            return reason;
        }).toList());
        Map<String, Object> time = new LinkedHashMap<>();
        time.put("sessions", report.timeToPaid().sessions());
        time.put("median_seconds", report.timeToPaid().medianSeconds());
        time.put("p90_seconds", report.timeToPaid().p90Seconds());
        view.put("time_to_paid", time);
        view.put("abandoned_by_last_step", report.abandonedByLastStep().stream()
                .map(l -> Map.of("step", l.step(), "sessions", l.sessions())).toList());
        return view;
    }
}
