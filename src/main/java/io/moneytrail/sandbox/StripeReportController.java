package io.moneytrail.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Stripe dialect's balance-change report on the sandbox's own API (Bearer sandbox key), for
 * operators and the simulation: {@code GET /sandbox/api/reports/stripe/balance_change_from_activity
 * ?from=2026-05-01&to=2026-06-01} (from inclusive, to exclusive; dates or instants). Its columns are
 * Stripe's defaults plus those reconciliation needs to tie every row to a payment
 * ({@link #COLUMNS}); Stripe's own Reporting API is served too ({@link StripeReportingController}).
 */
@RestController
@RequestMapping("/sandbox/api/reports/stripe")
@ConditionalOnSandbox
class StripeReportController {

    static final List<String> COLUMNS = List.of("balance_transaction_id", "created_utc", "created",
            "available_on_utc", "available_on", "currency", "gross", "fee", "net", "reporting_category", "source_id",
            "description", "customer_facing_amount", "customer_facing_currency", "automatic_payout_id", "charge_id",
            "payment_intent_id", "payment_metadata[order_id]", "payment_metadata[payment_id]");

    private final StripeReports reports;

    StripeReportController(StripeReports reports) {
        this.reports = reports;
    }

    @GetMapping("/balance_change_from_activity")
    ResponseEntity<byte[]> balanceChange(@RequestParam(name = "from", required = false) String from,
                                         @RequestParam(name = "to", required = false) String to) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (!start.isBefore(end) || end.getEpochSecond() - start.getEpochSecond() > StripeReports.INTERVAL_SECONDS_MAX) {
            throw SandboxException.badRequest("parameter_invalid", "from must be before to, at most 92 days apart");
        }
        try {
            return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                    .body(reports.csv(start, end, COLUMNS));
        } catch (StripeError e) {
            throw SandboxException.badRequest("report_too_large", e.getMessage());
        }
    }

    private static Instant instant(String name, String text) {
        if (text == null || text.isBlank()) {
            throw SandboxException.badRequest("parameter_missing", name + " is required (2026-05-01 or an instant)");
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
        } catch (DateTimeException e) {
            throw SandboxException.badRequest("parameter_invalid", name + " '" + text + "' is not a date or an instant");
        }
    }
}
