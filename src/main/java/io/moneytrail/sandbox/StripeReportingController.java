package io.moneytrail.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stripe's Reporting API as the dialect speaks it: {@code POST /v1/reporting/report_runs} with
 * {@code report_type=balance_change_from_activity.itemized.1|2|3}, {@code parameters[interval_start]},
 * {@code parameters[interval_end]} (unix seconds) and optional {@code parameters[columns][]};
 * the run succeeds at once and its {@code result.url} downloads the CSV (Bearer key) from
 * {@code /v1/files/{id}/contents}. Runs keep no state: the run's and file's ids encode the
 * interval and the columns, so the file is written when it is downloaded.
 */
@RestController
@RequestMapping("/sandbox/stripe/v1")
@ConditionalOnSandbox
class StripeReportingController {

    private final StripeReports reports;
    private final StripeDialect dialect;
    private final StripeDialectProperties properties;
    private final Clock clock;

    StripeReportingController(StripeReports reports, StripeDialect dialect, StripeDialectProperties properties,
                              Clock clock) {
        this.reports = reports;
        this.dialect = dialect;
        this.properties = properties;
        this.clock = clock;
    }

    /** What a run asks for; its id is {@code frr_<type>_<start>_<end>_<column bits>}. */
    record Run(int type, long start, long end, long columns) {

        String id() {
            return "frr_" + type + "_" + start + "_" + end + "_" + Long.toString(columns, 36);
        }

        String fileId() {
            return "file_" + id().substring("frr_".length());
        }

        static Run parse(String id, String prefix) {
            String[] parts = id.startsWith(prefix) ? id.substring(prefix.length()).split("_") : new String[0];
            try {
                if (parts.length == 4) {
                    return new Run(Integer.parseInt(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                            Long.parseLong(parts[3], 36));
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw StripeError.noSuch(prefix.equals("frr_") ? "reporting.report_run" : "file", id, "id");
        }

        List<String> columnNames() {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < StripeReports.COLUMNS.size(); i++) {
                if ((columns & (1L << i)) != 0) {
                    names.add(StripeReports.COLUMNS.get(i));
                }
            }
            return names;
        }
    }

    @PostMapping("/reporting/report_runs")
    ResponseEntity<byte[]> create(HttpServletRequest request) {
        StripeForm form = StripeAuth.authenticated(request, properties.secretKey());
        String type = form.required("report_type");
        if (!StripeReports.REPORT_TYPES.contains(type)) {
            throw StripeError.invalid("parameter_invalid_string", "The sandbox's Stripe dialect runs only "
                    + StripeReports.REPORT_TYPES + ".", "report_type");
        }
        long start = required(form, "parameters[interval_start]");
        long end = required(form, "parameters[interval_end]");
        if (end <= start || end - start > StripeReports.INTERVAL_SECONDS_MAX) {
            throw StripeError.invalid("parameter_invalid_integer", "interval_end must be after interval_start, at most"
                    + " 92 days later.", "parameters[interval_end]");
        }
        List<String> asked = new ArrayList<>(form.hash("parameters[columns]").values());
        List<String> columns = asked.isEmpty() ? StripeReports.DEFAULT_COLUMNS : asked;
        long bits = 0;
        for (String column : columns) {
            int index = StripeReports.COLUMNS.indexOf(column);
            if (index < 0) {
                throw StripeError.invalid("parameter_invalid_string", "The sandbox cannot write column " + column
                        + "; it writes " + StripeReports.COLUMNS + ".", "parameters[columns]");
            }
            bits |= 1L << index;
        }
        Run run = new Run(type.charAt(type.length() - 1) - '0', start, end, bits);
        return StripeApiController.json(render(run));
    }

    @GetMapping("/reporting/report_runs/{id}")
    ResponseEntity<byte[]> run(HttpServletRequest request, @PathVariable String id) {
        StripeAuth.authenticated(request, properties.secretKey());
        return StripeApiController.json(render(Run.parse(id, "frr_")));
    }

    @GetMapping("/files/{id}/contents")
    ResponseEntity<byte[]> contents(HttpServletRequest request, @PathVariable String id) {
        StripeAuth.authenticated(request, properties.secretKey());
        Run run = Run.parse(id, "file_");
        byte[] csv = reports.csv(Instant.ofEpochSecond(run.start()), Instant.ofEpochSecond(run.end()),
                run.columnNames());
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8)).body(csv);
    }

    private Map<String, Object> render(Run run) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("id", run.fileId());
        file.put("object", "file");
        file.put("created", now);
        file.put("expires_at", now + 7 * 86_400);
        file.put("filename", run.id() + ".csv");
        file.put("purpose", "finance_report_run");
        file.put("size", 0);
        file.put("title", "balance_change_from_activity.itemized." + run.type());
        file.put("type", "csv");
        file.put("url", dialect.publicBase() + "/stripe/v1/files/" + run.fileId() + "/contents");
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("columns", run.columnNames());
        parameters.put("interval_end", run.end());
        parameters.put("interval_start", run.start());
        parameters.put("timezone", "Etc/UTC");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", run.id());
        json.put("object", "reporting.report_run");
        json.put("created", now);
        json.put("error", null);
        json.put("livemode", false);
        json.put("parameters", parameters);
        json.put("report_type", "balance_change_from_activity.itemized." + run.type());
        json.put("result", file);
        json.put("status", "succeeded");
        json.put("succeeded_at", now);
        return json;
    }

    private static long required(StripeForm form, String path) {
        Long value = form.integer(path);
        if (value == null) {
            throw StripeError.missingParam(path);
        }
        return value;
    }

    @ExceptionHandler(StripeError.class)
    ResponseEntity<byte[]> stripeError(StripeError e) {
        return StripeApiController.answer(e.status(), e.body());
    }
}
