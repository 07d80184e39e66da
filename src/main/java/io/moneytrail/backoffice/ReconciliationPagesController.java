package io.moneytrail.backoffice;

import io.moneytrail.money.Dates;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.reconrun.ExceptionStatus;
import io.moneytrail.reconrun.ReconExceptions;
import io.moneytrail.reconrun.ReconFile;
import io.moneytrail.reconrun.ReconFiles;
import io.moneytrail.reconrun.ReconRun;
import io.moneytrail.reconrun.ReconRuns;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.RequestContextUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code /admin/reconciliation}: upload provider reports and bank statements (through the same
 * importer as the API's {@code POST /v1/reconciliation/files}: a file is checked before it is
 * kept, and the same file again is the one already kept), start a run over a period with one or
 * several provider reports of one format and optionally a bank statement (the API's run
 * service), the runs with their figures, the files, and the exceptions queue. A run's page
 * ({@code /admin/reconciliation/runs/{id}}) shows its inputs, its counts and its discrepancies,
 * each linking to its exception. A file or a run the service refuses is a message on the page.
 */
@Controller
class ReconciliationPagesController {

    static final int ROWS_MAX = 100;
    static final int RUNS_SHOWN = 20;
    static final int FILES_SHOWN = 30;
    static final int DISCREPANCIES_PAGE = 100;
    static final List<String> PROVIDER_FORMATS = List.of("stripe", "yookassa", "sandbox");
    static final List<String> BANK_FORMATS = List.of("camt053", "mt940", "1c");

    private final ReconFiles files;
    private final ReconRuns runs;
    private final ReconExceptions exceptions;
    private final ActionAudit audit;
    private final MessageSource messages;
    private final ObjectMapper json;
    private final Clock clock;

    ReconciliationPagesController(ReconFiles files, ReconRuns runs, ReconExceptions exceptions, ActionAudit audit,
                                  MessageSource messages, ObjectMapper json, Clock clock) {
        this.files = files;
        this.runs = runs;
        this.exceptions = exceptions;
        this.audit = audit;
        this.messages = messages;
        this.json = json;
        this.clock = clock;
    }

    /** A run as a page shows it: the record and the figures read out of its counts. */
    public record RunRow(ReconRun run, Long matched, Long unmatched, Long discrepancies, Long problems,
                         List<String> files) {
        /** The matched share, when the run had our orders in scope (else there is nothing to share). */
        public Double rate() {
            return matched != null && unmatched != null && matched + unmatched == 0 ? null : run.matchedRate();
        }

        public String period() {
            return run.periodFrom().equals(run.periodTo()) ? run.periodFrom().toString()
                    : run.periodFrom() + " – " + run.periodTo();
        }
    }

    /** One class of discrepancy in a run: how many and the difference per currency. */
    public record ClassRow(String discrepancyClass, long count, Map<String, Long> differences) {
    }

    @GetMapping("/admin/reconciliation")
    String page(@RequestParam(required = false) String status, Model model) {
        ExceptionStatus filter;
        try {
            filter = status == null || status.isBlank() ? ExceptionStatus.OPEN
                    : ExceptionStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MoneytrailException.invalid("parameter_invalid", "status", "no such exception status: " + status);
        }
        model.addAttribute("status", filter.name().toLowerCase(Locale.ROOT));
        model.addAttribute("statuses", Arrays.stream(ExceptionStatus.values())
                .map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
        model.addAttribute("exceptions", exceptions.list(filter, null, null, null, ROWS_MAX));
        model.addAttribute("runs", runs.list(null, RUNS_SHOWN).stream().map(this::row).toList());
        List<ReconFile> recent = files.list(null, null, FILES_SHOWN);
        model.addAttribute("files", recent);
        model.addAttribute("providerFiles", recent.stream().filter(f -> "provider".equals(f.kind())).toList());
        model.addAttribute("bankFiles", recent.stream().filter(f -> "bank".equals(f.kind())).toList());
        model.addAttribute("providerFormats", PROVIDER_FORMATS);
        model.addAttribute("bankFormats", BANK_FORMATS);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        model.addAttribute("runFrom", today.withDayOfMonth(1).minusMonths(1));
        model.addAttribute("runTo", today.withDayOfMonth(1).minusDays(1));
        return "admin/reconciliation";
    }

    @PostMapping("/admin/reconciliation/files")
    String upload(@RequestParam(required = false) String kind, @RequestParam(required = false) String format,
                  @RequestParam(name = "file", required = false) List<MultipartFile> uploads,
                  RedirectAttributes redirect, Locale locale) {
        List<MultipartFile> chosen = uploads == null ? List.of()
                : uploads.stream().filter(f -> f != null && !f.isEmpty()).toList();
        if (chosen.isEmpty()) {
            redirect.addFlashAttribute("problem", messages.getMessage("reconx.upload.none", null, locale));
            return "redirect:/admin/reconciliation#upload";
        }
        String wanted = format == null || format.isBlank() ? "detect" : format.strip();
        List<String> done = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (MultipartFile upload : chosen) {
            String name = upload.getOriginalFilename() == null || upload.getOriginalFilename().isBlank()
                    ? null : upload.getOriginalFilename();
            try (InputStream in = upload.getInputStream()) {
                ReconFile file = files.importStream(kind == null ? "" : kind.strip(), wanted, name, in, upload.getSize());
                done.add(messages.getMessage("reconx.upload.done", new Object[] {file.name(), file.id(), file.format(),
                        file.rows(), file.rowsRejected()}, locale));
            } catch (MoneytrailException e) {
                refused.add(messages.getMessage("reconx.upload.refused", new Object[] {name == null ? "?" : name,
                        e.getMessage()}, locale));
            } catch (IOException e) {
                refused.add(messages.getMessage("reconx.upload.refused", new Object[] {name == null ? "?" : name,
                        e.getMessage()}, locale));
            }
        }
        if (!done.isEmpty()) {
            redirect.addFlashAttribute("notices", done);
        }
        if (!refused.isEmpty()) {
            redirect.addFlashAttribute("problems", refused);
        }
        return "redirect:/admin/reconciliation#upload";
    }

    @PostMapping("/admin/reconciliation/runs")
    String run(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
               @RequestParam(name = "provider_file", required = false) List<String> providerFiles,
               @RequestParam(name = "bank_file", required = false) String bankFile,
               RedirectAttributes redirect, Locale locale) {
        try {
            List<String> chosen = providerFiles == null ? List.of()
                    : providerFiles.stream().filter(id -> id != null && !id.isBlank()).map(String::strip).toList();
            if (chosen.isEmpty()) {
                throw MoneytrailException.invalid("parameter_missing", "provider_file",
                        messages.getMessage("reconx.run.noProvider", null, locale));
            }
            String bank = OrderListController.blank(bankFile);
            ReconRun run = runs.run(date(from, "from"), date(to, "to"), chosen, bank, "backoffice");
            audit.recordPage("backoffice.reconciliation.run", "reconciliation_run", run.id(), Map.of("provider_files", chosen, "bank_file", bank == null ? "" : bank));
            redirect.addFlashAttribute("notice", messages.getMessage("reconx.run.done", new Object[] {run.id()}, locale));
            return "redirect:/admin/reconciliation/runs/" + run.id();
        } catch (MoneytrailException e) {
            redirect.addFlashAttribute("problem", messages.getMessage("reconx.run.refused", new Object[] {e.getMessage()},
                    locale));
            return "redirect:/admin/reconciliation#run";
        }
    }

    @GetMapping("/admin/reconciliation/runs/{id}")
    String runPage(@PathVariable String id, @RequestParam(required = false) Integer after,
                   @RequestParam(name = "class", required = false) String discrepancyClass, Model model) {
        String only = OrderListController.blank(discrepancyClass);
        ReconRun run = runs.find(id).orElseThrow(() -> MoneytrailException.notFound("id", id));
        model.addAttribute("r", row(run));
        JsonNode counts = json.readTree(run.countsJson());
        List<ClassRow> classes = new ArrayList<>();
        counts.path("by_class").properties().forEach(e -> {
            Map<String, Long> differences = new LinkedHashMap<>();
            counts.path("difference_by_class").path(e.getKey()).properties()
                    .forEach(d -> differences.put(d.getKey(), d.getValue().asLong()));
            classes.add(new ClassRow(e.getKey(), e.getValue().asLong(), differences));
        });
        model.addAttribute("classes", classes);
        Map<String, String> engine = new LinkedHashMap<>();
        counts.path("engine").properties().forEach(e -> engine.put(e.getKey(), e.getValue().asText()));
        model.addAttribute("engine", engine);
        model.addAttribute("internalChecked", counts.has("internal_orders_checked")
                ? counts.path("internal_orders_checked").asLong() : null);
        List<Map<String, String>> inputs = new ArrayList<>();
        JsonNode in = json.readTree(run.inputsJson());
        List<JsonNode> described = new ArrayList<>();
        if (in.has("provider_files")) {
            in.path("provider_files").forEach(described::add);
        } else if (in.path("provider_file").isObject()) {
            described.add(in.path("provider_file"));
        }
        if (in.path("bank_file").isObject()) {
            described.add(in.path("bank_file"));
        }
        for (JsonNode file : described) {
            Map<String, String> row = new LinkedHashMap<>();
            for (String field : List.of("id", "kind", "format", "name", "sha256", "bytes")) {
                row.put(field, file.path(field).asText(""));
            }
            inputs.add(row);
        }
        model.addAttribute("inputs", inputs);
        List<ReconRuns.RunDiscrepancy> page = runs.discrepancies(id, only, after, DISCREPANCIES_PAGE + 1);
        model.addAttribute("only", only);
        boolean more = page.size() > DISCREPANCIES_PAGE;
        List<ReconRuns.RunDiscrepancy> shown = more ? page.subList(0, DISCREPANCIES_PAGE) : page;
        model.addAttribute("discrepancies", shown);
        model.addAttribute("next", more ? shown.get(shown.size() - 1).seq() : null);
        model.addAttribute("first", after == null);
        return "admin/recon-run";
    }

    /** A file too large for the upload limits: a message on the page, not an error page. */
    @ExceptionHandler(MultipartException.class)
    String tooLarge(MultipartException e, jakarta.servlet.http.HttpServletRequest request,
                    RedirectAttributes redirect) {
        Locale locale = RequestContextUtils.getLocale(request);
        redirect.addFlashAttribute("problem", messages.getMessage("reconx.upload.tooLarge",
                new Object[] {files.bytesMax()}, locale));
        return "redirect:/admin/reconciliation#upload";
    }

    private RunRow row(ReconRun run) {
        JsonNode counts = json.readTree(run.countsJson());
        JsonNode inputs = json.readTree(run.inputsJson());
        List<String> names = new ArrayList<>();
        if (inputs.has("provider_files")) {
            inputs.path("provider_files").forEach(f -> names.add(f.path("name").asText("")));
        } else if (inputs.path("provider_file").isObject()) {
            names.add(inputs.path("provider_file").path("name").asText(""));
        }
        if (inputs.path("bank_file").isObject()) {
            names.add(inputs.path("bank_file").path("name").asText(""));
        }
        return new RunRow(run, number(counts, "matched"), number(counts, "unmatched"), number(counts, "discrepancies"),
                number(counts, "problems"), names);
    }

    private static Long number(JsonNode counts, String field) {
        return counts.has(field) ? counts.path(field).asLong() : null;
    }

    private static LocalDate date(String value, String param) {
        if (value == null || value.isBlank()) {
            throw MoneytrailException.invalid("parameter_missing", param, param + " is required (a date, 2026-05-01)");
        }
        try {
            return Dates.inRange(LocalDate.parse(value.strip()), param);
        } catch (DateTimeParseException e) {
            throw MoneytrailException.invalid("parameter_invalid", param, param + " must be a date like 2026-05-01");
        }
    }
}
