package io.moneytrail.api;

import io.moneytrail.access.AuditLog;
import io.moneytrail.access.AuditRecord;
import io.moneytrail.access.AuditTrail;
import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The audit log, for admins: who did what to which object, when, and how it ended. */
@RestController
@Tag(name = "Audit log")
class AuditLogController {

    static final String PATH = "/v1/audit_log";
    private static final int FILTER_CHARS_MAX = 200;

    private final AuditLog log;
    private final ObjectMapper json;

    AuditLogController(AuditLog log, ObjectMapper json) {
        this.log = log;
        this.json = json;
    }

    record ActorView(String kind, String id, String name, String role) {
    }

    record TargetView(String type, String id) {
    }

    record AuditView(String id, String object, long created, String occurredAt, ActorView actor, String action,
                     TargetView target, String requestId, String httpMethod, String httpPath, Integer httpStatus,
                     String outcome, String reason, JsonNode details) {
    }

    @GetMapping(PATH)
    @Operation(summary = "The audit log, newest first; filter by actor (key id), object (target id), action and"
            + " time (from inclusive, to exclusive)")
    Views.ListView<AuditView> list(@RequestParam(required = false) String actor,
                                   @RequestParam(required = false) String object,
                                   @RequestParam(required = false) String action,
                                   @RequestParam(required = false) String from,
                                   @RequestParam(required = false) String to,
                                   @RequestParam(required = false) Integer limit,
                                   @RequestParam(name = "starting_after", required = false) String startingAfter) {
        int pageSize = Pages.limit(limit);
        if (startingAfter != null && !Ids.hasPrefix(startingAfter, AuditTrail.ID_PREFIX)) {
            throw MoneytrailException.invalid("parameter_invalid", "starting_after",
                    "starting_after must be an audit log id (aud_...)");
        }
        Instant fromAt = from == null ? null : LedgerController.instant(from, "from", false);
        Instant toAt = to == null ? null : LedgerController.instant(to, "to", false);
        AuditLog.Filter filter = new AuditLog.Filter(text(actor, "actor"), text(object, "object"),
                text(action, "action"), fromAt, toAt);
        List<AuditRecord> page = log.list(filter, startingAfter, pageSize + 1);
        return Views.list(page.stream().limit(pageSize).map(this::view).toList(), page.size() > pageSize, PATH);
    }

    private static String text(String value, String param) {
        if (value != null && (value.isBlank() || value.length() > FILTER_CHARS_MAX
                || value.chars().anyMatch(Character::isISOControl))) {
            throw MoneytrailException.invalid("parameter_invalid", param,
                    param + " must be 1 to " + FILTER_CHARS_MAX + " printable characters");
        }
        return value;
    }

    private AuditView view(AuditRecord r) {
        return new AuditView(r.id(), "audit_log_entry", r.occurredAt().getEpochSecond(), r.occurredAt().toString(),
                new ActorView(r.actorKind(), r.actorId(), r.actorName(), r.actorRole()), r.action(),
                r.objectType() == null && r.objectId() == null ? null : new TargetView(r.objectType(), r.objectId()),
                r.requestId(), r.httpMethod(), r.httpPath(), r.httpStatus(), r.outcome(), r.reason(),
                json.readTree(r.details()));
    }
}
