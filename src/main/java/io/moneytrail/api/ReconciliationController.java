package io.moneytrail.api;

import io.moneytrail.access.Actors;
import io.moneytrail.ledger.ChartOfAccounts;
import io.moneytrail.ledger.Posting;
import io.moneytrail.money.Dates;
import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.reconrun.ExceptionStatus;
import io.moneytrail.reconrun.ReconException;
import io.moneytrail.reconrun.ReconExceptions;
import io.moneytrail.reconrun.ReconFile;
import io.moneytrail.reconrun.ReconFiles;
import io.moneytrail.reconrun.ReconRun;
import io.moneytrail.reconrun.ReconRuns;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Reconciliation against the database: files, runs, their discrepancies and the exceptions queue. */
@RestController
@Tag(name = "Reconciliation")
class ReconciliationController {

    private final ReconFiles files;
    private final ReconRuns runs;
    private final ReconExceptions exceptions;
    private final ChartOfAccounts accounts;
    private final ObjectMapper json;

    ReconciliationController(ReconFiles files, ReconRuns runs, ReconExceptions exceptions, ChartOfAccounts accounts,
                             ObjectMapper json) {
        this.files = files;
        this.runs = runs;
        this.exceptions = exceptions;
        this.accounts = accounts;
        this.json = json;
    }

    record FileView(String id, String object, String kind, String format, String name, String sha256, long bytes,
                    long rows, long rowsRejected, JsonNode problems, long created, String uploadedAt) {
    }

    /**
     * @param providerFiles several reports of one provider read together (YooKassa's payment and refund
     *                      registries); with {@code provider_file} too, that one comes first
     */
    record StartRun(String from, String to, String providerFile, List<String> providerFiles, String bankFile) {
    }

    record RunView(String id, String object, String periodFrom, String periodTo, String trigger, String status,
                   Double matchedRate, JsonNode inputs, JsonNode counts, String error, String startedAt,
                   String finishedAt) {
    }

    record RunDiscrepancyView(String object, int position, String discrepancyClass, String severity, String leg,
                              String order, String exception, JsonNode evidence) {
    }

    record ExceptionView(String id, String object, String status, String discrepancyClass, String severity,
                         String order, JsonNode evidence, String firstRun, String lastRun, String resolution,
                         String ledgerEntry, String createdAt, String updatedAt, List<EventView> history,
                         String pendingAdjustment) {
    }

    record EventView(String action, String fromStatus, String toStatus, String apiKey, String actor, String reason,
                     String run, String ledgerEntry, String occurredAt, String proposal) {
    }

    record AdjustmentBody(List<LedgerController.AdjustmentLine> lines) {
    }

    record Act(String reason, String actor, AdjustmentBody adjustment) {
    }

    @PostMapping(ApiRequestFilter.FILE_UPLOAD_PATH)
    @Operation(summary = "Import a provider report or bank statement: the raw file is the body (streamed, any content"
            + " type); query kind=provider|bank, format (or detect), name. The same file again returns its record")
    FileView upload(HttpServletRequest request) throws IOException {
        // the query is read by hand: a form content type must not make the container parse the body
        MultiValueMap<String, String> query = UriComponentsBuilder.newInstance()
                .query(request.getQueryString()).build(true).getQueryParams();
        String kind = decoded(query.getFirst("kind"));
        if (kind == null) {
            throw MoneytrailException.invalid("parameter_missing", "kind", "kind is required: provider or bank");
        }
        ReconFile file = files.importStream(kind, decoded(query.getFirst("format")), decoded(query.getFirst("name")),
                request.getInputStream(), request.getContentLengthLong());
        return file(file);
    }

    private static String decoded(String value) {
        return value == null ? null : java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    @GetMapping("/v1/reconciliation/files")
    @Operation(summary = "Imported files, newest first")
    Views.ListView<FileView> files(@RequestParam(required = false) String kind,
                                   @RequestParam(required = false) Integer limit,
                                   @RequestParam(name = "starting_after", required = false) String startingAfter) {
        int size = Pages.limit(limit);
        List<ReconFile> page = files.list(kind, Pages.cursor(startingAfter, "rf_"), size + 1);
        return Views.list(page.stream().limit(size).map(this::file).toList(), page.size() > size,
                "/v1/reconciliation/files");
    }

    @GetMapping("/v1/reconciliation/files/{id}")
    @Operation(summary = "One imported file and its row problems")
    FileView file(@PathVariable String id) {
        return file(files.find(id).orElseThrow(() -> MoneytrailException.notFound("id", id)));
    }

    @PostMapping("/v1/reconciliation/runs")
    @Operation(summary = "Run reconciliation over a period (dates, inclusive) with a stored provider report and,"
            + " optionally, a bank statement; synchronous")
    RunView run(@RequestBody StartRun body) {
        if (body == null) {
            throw MoneytrailException.invalid("parameter_missing", "from", "from, to and provider_file are required");
        }
        List<String> providerFiles = new ArrayList<>();
        if (body.providerFile() != null && !body.providerFile().isBlank()) {
            providerFiles.add(body.providerFile());
        }
        if (body.providerFiles() != null) {
            for (String id : body.providerFiles()) {
                if (id == null || id.isBlank()) {
                    throw MoneytrailException.invalid("parameter_invalid", "provider_files",
                            "provider_files lists file ids");
                }
                providerFiles.add(id);
            }
        }
        if (providerFiles.isEmpty()) {
            throw MoneytrailException.invalid("parameter_missing", "provider_file",
                    "provider_file (or provider_files) is required");
        }
        return run(runs.run(date(body.from(), "from"), date(body.to(), "to"), providerFiles, body.bankFile(), "api"));
    }

    @GetMapping("/v1/reconciliation/runs")
    @Operation(summary = "Runs, newest first")
    Views.ListView<RunView> runs(@RequestParam(required = false) Integer limit,
                                 @RequestParam(name = "starting_after", required = false) String startingAfter) {
        int size = Pages.limit(limit);
        List<ReconRun> page = runs.list(Pages.cursor(startingAfter, "rr_"), size + 1);
        return Views.list(page.stream().limit(size).map(this::run).toList(), page.size() > size,
                "/v1/reconciliation/runs");
    }

    @GetMapping("/v1/reconciliation/runs/{id}")
    @Operation(summary = "One run: inputs with checksums, counts, matched rate")
    RunView getRun(@PathVariable String id) {
        return run(runs.find(id).orElseThrow(() -> MoneytrailException.notFound("id", id)));
    }

    @GetMapping("/v1/reconciliation/runs/{id}/discrepancies")
    @Operation(summary = "A run's discrepancies in severity order, each with its evidence and exception")
    Views.ListView<RunDiscrepancyView> discrepancies(@PathVariable String id,
                                                     @RequestParam(name = "class", required = false) String kind,
                                                     @RequestParam(required = false) Integer limit,
                                                     @RequestParam(name = "starting_after", required = false)
                                                     Integer startingAfter) {
        runs.find(id).orElseThrow(() -> MoneytrailException.notFound("id", id));
        int size = Pages.limit(limit);
        List<ReconRuns.RunDiscrepancy> page = runs.discrepancies(id, kind, startingAfter, size + 1);
        return Views.list(page.stream().limit(size).map(d -> new RunDiscrepancyView("reconciliation_discrepancy",
                d.seq(), d.discrepancyClass(), d.severity(), d.leg(), d.orderId(), d.exceptionId(),
                json.readTree(d.evidenceJson()))).toList(), page.size() > size,
                "/v1/reconciliation/runs/" + id + "/discrepancies");
    }

    @GetMapping("/v1/reconciliation/exceptions")
    @Operation(summary = "The exceptions queue, newest first, filtered by status, class and order")
    Views.ListView<ExceptionView> exceptions(@RequestParam(required = false) String status,
                                             @RequestParam(name = "class", required = false) String kind,
                                             @RequestParam(required = false) String order,
                                             @RequestParam(required = false) Integer limit,
                                             @RequestParam(name = "starting_after", required = false)
                                             String startingAfter) {
        int size = Pages.limit(limit);
        ExceptionStatus wanted = status == null ? null : ExceptionStatus.parse(status, "status");
        List<ReconException> page = exceptions.list(wanted, kind, Pages.id(order, Ids.ORDER, "order"),
                Pages.cursor(startingAfter, "rx_"), size + 1);
        return Views.list(page.stream().limit(size).map(e -> exception(e, null)).toList(), page.size() > size,
                "/v1/reconciliation/exceptions");
    }

    @GetMapping("/v1/reconciliation/exceptions/{id}")
    @Operation(summary = "One exception with its whole history")
    ExceptionView getException(@PathVariable String id) {
        ReconException found = exceptions.find(id).orElseThrow(() -> MoneytrailException.notFound("id", id));
        return exception(found, exceptions.events(id));
    }

    @PostMapping("/v1/reconciliation/exceptions/{id}/acknowledge")
    @Operation(summary = "Acknowledge an open exception (someone is on it)")
    ExceptionView acknowledge(@PathVariable String id, @RequestBody(required = false) Act body,
                              HttpServletRequest request) {
        return act(id, ExceptionStatus.Action.ACKNOWLEDGE, body, request);
    }

    @PostMapping("/v1/reconciliation/exceptions/{id}/resolve")
    @Operation(summary = "Resolve an acknowledged exception with a reason and, where money is involved, balanced"
            + " ledger lines posted as a linked adjustment; above the four-eyes threshold the adjustment is proposed"
            + " (202, pending_adjustment) and the exception is resolved when another person approves it")
    ResponseEntity<ExceptionView> resolve(@PathVariable String id, @RequestBody(required = false) Act body,
                                          HttpServletRequest request) {
        ExceptionView acted = act(id, ExceptionStatus.Action.RESOLVE, body, request);
        // a linked adjustment above the four-eyes threshold is only proposed: the resolution waits for its approval
        return ResponseEntity.status(acted.pendingAdjustment() != null ? 202 : 200).body(acted);
    }

    @PostMapping("/v1/reconciliation/exceptions/{id}/ignore")
    @Operation(summary = "Ignore an acknowledged exception, with a reason")
    ExceptionView ignore(@PathVariable String id, @RequestBody(required = false) Act body,
                         HttpServletRequest request) {
        return act(id, ExceptionStatus.Action.IGNORE, body, request);
    }

    private ExceptionView act(String id, ExceptionStatus.Action action, Act body, HttpServletRequest request) {
        Act given = body == null ? new Act(null, null, null) : body;
        LedgerController.refuseActor(given.actor());
        List<Posting> lines = null;
        if (given.adjustment() != null) {
            if (given.adjustment().lines() == null || given.adjustment().lines().isEmpty()) {
                throw MoneytrailException.invalid("parameter_missing", "adjustment[lines]",
                        "an adjustment needs balanced lines");
            }
            lines = LedgerController.postings(given.adjustment().lines(), accounts, "adjustment[lines]");
        }
        ReconException acted = exceptions.act(id, action, given.reason(), Actors.current().orElseThrow(), lines);
        return exception(acted, exceptions.events(id));
    }

    private FileView file(ReconFile file) {
        return new FileView(file.id(), "reconciliation_file", file.kind(), file.format(), file.name(), file.sha256(),
                file.bytes(), file.rows(), file.rowsRejected(), json.readTree(file.problemsJson()),
                file.uploadedAt().getEpochSecond(), file.uploadedAt().toString());
    }

    private RunView run(ReconRun run) {
        return new RunView(run.id(), "reconciliation_run", run.periodFrom().toString(), run.periodTo().toString(),
                run.trigger(), run.status(), run.matchedRate(), json.readTree(run.inputsJson()),
                json.readTree(run.countsJson()), run.error(), run.startedAt().toString(),
                run.finishedAt() == null ? null : run.finishedAt().toString());
    }

    private ExceptionView exception(ReconException e, List<ReconException.Event> events) {
        return new ExceptionView(e.id(), "reconciliation_exception", e.status().wire(), e.discrepancyClass(),
                e.severity(), e.orderId(), json.readTree(e.evidenceJson()), e.firstRunId(), e.lastRunId(),
                e.resolution(), e.ledgerEntryId(), e.createdAt().toString(), e.updatedAt().toString(),
                events == null ? null : events.stream().map(v -> new EventView(v.action(), v.fromStatus(),
                        v.toStatus(), v.apiKeyId(), v.actor(), v.reason(), v.runId(), v.ledgerEntryId(),
                        v.occurredAt().toString(), v.proposalId())).toList(),
                exceptions.pendingProposal(e.id()).orElse(null));
    }

    private static LocalDate date(String value, String param) {
        if (value == null || value.isBlank()) {
            throw MoneytrailException.invalid("parameter_missing", param, param + " is required (a date, 2026-05-01)");
        }
        try {
            return Dates.inRange(LocalDate.parse(value), param);
        } catch (DateTimeParseException e) {
            throw MoneytrailException.invalid("parameter_invalid", param, param + " must be a date like 2026-05-01");
        }
    }

}
