package io.moneytrail.access;

import io.moneytrail.database.TransactionBuffer;
import io.moneytrail.money.Check;
import io.moneytrail.money.Ids;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes the audit log. A service calls {@link #record} inside the transaction of the change it
 * records, so the row commits with the change or not at all (a change that rolls back leaves no
 * row). The actor is the authenticated one of the current request ({@link Actors}), never
 * anything from a request body; outside a request it is the system acting as the named job.
 *
 * <p>Requests that changed nothing (refused with a 4xx, failed with a 5xx) and state-changing
 * requests no service recorded are written by {@link AuditRequestFilter} once the answer is
 * known; a request whose change was recorded here is not written twice.
 */
@Component
public class AuditTrail {

    public static final String ID_PREFIX = "aud_";
    /** The request attribute holding the request id ({@code req_…}), also sent as {@code Request-Id}. */
    public static final String REQUEST_ID_ATTRIBUTE = AuditTrail.class.getName() + ".requestId";
    /** Request attribute set once a change of this request has been recorded and committed. */
    static final String RECORDED_ATTRIBUTE = AuditTrail.class.getName() + ".recorded";
    /** The actor of changes made outside an API request with no job named. */
    public static final String SYSTEM_JOB = "moneytrail";
    static final int REASON_CHARS_MAX = 2000;

    /** How a recorded action ended. */
    public enum Outcome {
        /** The change was made. */
        SUCCEEDED,
        /** Refused (a 4xx): nothing changed. */
        REFUSED,
        /** Failed on our side (a 5xx) or the provider refused: nothing changed at the provider. */
        FAILED,
        /** Sent to the provider, whose answer is not known yet (the resolver will ask). */
        UNKNOWN;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Clock clock;
    private final ObjectMapper json;
    private final TransactionBuffer<Object[]> pending;

    AuditTrail(JdbcClient jdbc, Clock clock, ObjectMapper json) {
        this.clock = clock;
        this.json = json;
        this.pending = new TransactionBuffer<>(jdbc, this::insertRows);
    }

    /** Records a change that succeeded, in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String action, String objectType, String objectId) {
        record(action, objectType, objectId, Outcome.SUCCEEDED, null, Map.of());
    }

    /** Records a change with its reason (adjustments, exception actions), in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String action, String objectType, String objectId, String reason) {
        record(action, objectType, objectId, Outcome.SUCCEEDED, reason, Map.of());
    }

    /**
     * Records an action in the caller's transaction (required: a row written outside the change's
     * transaction could survive the change's rollback).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String action, String objectType, String objectId, Outcome outcome, String reason,
                       Map<String, ?> details) {
        Check.that(action != null && !action.isBlank(), "an audited action has a name");
        Actor actor = Actors.currentOr(SYSTEM_JOB);
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        String requestId = request == null ? null
                : (String) request.getAttribute(REQUEST_ID_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        String method = null;
        String path = null;
        if (request instanceof ServletRequestAttributes servlet) {
            method = servlet.getRequest().getMethod();
            path = AuditRequestFilter.normalisedPath(servlet.getRequest());
        }
        insert(actor, action, objectType, objectId, requestId, method, path, null, outcome, reason, details);
        if (request != null && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    request.setAttribute(RECORDED_ATTRIBUTE, Boolean.TRUE, RequestAttributes.SCOPE_REQUEST);
                }
            });
        }
    }

    /** Writes one row (with the caller's transaction's other buffered rows at its commit, if there is one, else at once). */
    void insert(Actor actor, String action, String objectType, String objectId, String requestId, String httpMethod,
                String httpPath, Integer httpStatus, Outcome outcome, String reason, Map<String, ?> details) {
        Object[] row = {Ids.next(ID_PREFIX), clock.instant().toString(), actor.kindName(), actor.id(), actor.name(),
                actor.role() == null ? null : actor.role().wireName(), action, objectType, objectId, requestId,
                httpMethod, httpPath, httpStatus, outcome.wire(),
                reason == null || reason.length() <= REASON_CHARS_MAX ? reason : reason.substring(0, REASON_CHARS_MAX),
                json.writeValueAsString(details == null ? Map.of() : details)};
        pending.add(row);
    }

    /** Writes the rows this transaction recorded so far (reads of the log do it first). */
    void flush() {
        pending.flush();
    }

    private TransactionBuffer.Piece insertRows(List<Object[]> rows, String p) {
        return new TransactionBuffer.Piece(List.of("""
                %1$saudit as (
                    insert into audit_log (id, occurred_at, actor_kind, actor_id, actor_name, actor_role, action,
                                           object_type, object_id, request_id, http_method, http_path,
                                           http_status, outcome, reason, details)
                    select x.e->>0, (x.e->>1)::timestamptz, x.e->>2, x.e->>3, x.e->>4, x.e->>5, x.e->>6, x.e->>7,
                           x.e->>8, x.e->>9, x.e->>10, x.e->>11, (x.e->>12)::int, x.e->>13, x.e->>14, (x.e->>15)::jsonb
                    from json_array_elements(cast(:%1$srows as json)) with ordinality as x(e, n)
                    order by x.n
                )""".formatted(p)), Map.of(p + "rows", json.writeValueAsString(rows)));
    }

    /**
     * How an actor is named where a free-text "who" is kept (a journal entry's {@code actor}, an
     * exception's history): {@code name (id, role)}, or {@code id (role)} when the name is the id.
     */
    public static String label(Actor actor) {
        String role = actor.role() == null ? "system" : actor.role().wireName();
        return actor.name().equals(actor.id()) ? actor.id() + " (" + role + ")"
                : actor.name() + " (" + actor.id() + ", " + role + ")";
    }
}
