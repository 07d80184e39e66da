package io.moneytrail.reconrun;

import io.moneytrail.access.Actor;
import io.moneytrail.access.AuditTrail;
import io.moneytrail.ledger.AdjustmentDecided;
import io.moneytrail.ledger.AdjustmentProposals;
import io.moneytrail.ledger.Journal;
import io.moneytrail.ledger.JournalEntry;
import io.moneytrail.ledger.Posting;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.money.Check;
import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.reconciliation.Discrepancy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * The exceptions queue: every discrepancy a run finds becomes (or updates) one exception keyed
 * by a stable fingerprint; people move it through {@link ExceptionStatus#TABLE}; every action
 * is kept in {@code recon_exception_events}. A run does not reopen a resolved or ignored
 * exception unless its evidence (amounts and currencies on both sides) changed.
 */
@Service
public class ReconExceptions {

    static final String REASON_MAX_HINT = "1 to 500 characters";
    private static final int REASON_CHARS_MAX = 500;

    private final JdbcClient jdbc;
    private final Journal journal;
    private final ObjectMapper json;
    private final Clock clock;

    private final AuditTrail audit;

    /** How a linked adjustment's reference (and its journal source id) starts: then the exception's id. */
    public static final String ADJUSTMENT_REFERENCE = "recon_exception:";

    private final AdjustmentProposals proposals;

    ReconExceptions(JdbcClient jdbc, Journal journal, ObjectMapper json, Clock clock, AuditTrail audit,
                    AdjustmentProposals proposals) {
        this.proposals = proposals;
        this.audit = audit;
        this.jdbc = jdbc;
        this.journal = journal;
        this.json = json;
        this.clock = clock;
    }

    /** The class and the ids on both sides: what makes two discrepancies the same one. */
    public static String fingerprint(Discrepancy d) {
        return sha256(String.join("|", d.kind().wireName(), n(d.orderId()), n(d.providerPaymentId()),
                n(d.providerChargeId()), n(d.providerRefundId()), n(d.payoutId()), n(d.bankRef())));
    }

    /** The amounts and currencies on both sides: a change here is new evidence. */
    public static String evidenceHash(Discrepancy d) {
        return sha256(String.join("|", d.kind().wireName(), n(d.currency()), String.valueOf(d.oursMinor()),
                String.valueOf(d.theirsMinor()), n(d.theirsCurrency())));
    }

    Map<String, Object> evidence(Discrepancy d) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("class", d.kind().wireName());
        map.put("severity", d.kind().severity().name().toLowerCase());
        map.put("leg", d.kind().leg().name().toLowerCase());
        map.put("order_id", d.orderId());
        map.put("provider_payment_id", d.providerPaymentId());
        map.put("provider_charge_id", d.providerChargeId());
        map.put("provider_refund_id", d.providerRefundId());
        map.put("payout_id", d.payoutId());
        map.put("bank_ref", d.bankRef());
        map.put("currency", d.currency());
        map.put("ours", d.oursMinor());
        map.put("theirs", d.theirsMinor());
        map.put("theirs_currency", d.theirsCurrency());
        map.put("difference", d.differenceMinor());
        map.put("rule", d.rule());
        map.put("explanation", d.explanation());
        map.put("source", d.source());
        return map;
    }

    String evidenceJson(Discrepancy d) {
        return json.writeValueAsString(evidence(d));
    }

    /**
     * Records that {@code runId} found {@code d}: opens a new exception, or updates the one
     * with the same fingerprint (reopening it, with an event saying why, when it was resolved
     * or ignored and the evidence changed). Runs in the caller's transaction. Returns its id.
     */
    @Transactional
    public String record(Discrepancy d, String evidenceJson, String runId) {
        Instant now = clock.instant();
        String fingerprint = fingerprint(d);
        String hash = evidenceHash(d);
        String newId = Ids.next("rx_");
        int inserted = jdbc.sql("""
                        insert into recon_exceptions (id, fingerprint, class, severity, status, order_id, evidence,
                                                      evidence_hash, first_run_id, last_run_id, created_at, updated_at)
                        values (:id, :fingerprint, :class, :severity, 'open', :order, cast(:evidence as jsonb), :hash,
                                :run, :run, :now, :now)
                        on conflict (fingerprint) do nothing
                        """)
                .param("id", newId).param("fingerprint", fingerprint).param("class", d.kind().wireName())
                .param("severity", d.kind().severity().name().toLowerCase()).param("order", d.orderId())
                .param("evidence", evidenceJson).param("hash", hash).param("run", runId)
                .param("now", Timestamp.from(now)).update();
        if (inserted == 1) {
            event(newId, "opened", null, ExceptionStatus.OPEN, null, "reconciliation run", d.explanation(), runId,
                    null, now);
            return newId;
        }
        ReconException existing = jdbc.sql("select * from recon_exceptions where fingerprint = :f for update")
                .param("f", fingerprint).query(ReconExceptions::map).single();
        return seenAgain(existing, d, evidenceJson, hash, runId, now);
    }

    /** A known exception found again: touched, or updated with an event when its evidence changed. */
    private String seenAgain(ReconException existing, Discrepancy d, String evidenceJson, String hash, String runId,
                             Instant now) {
        if (existing.evidenceHash().equals(hash)) {
            jdbc.sql("update recon_exceptions set last_run_id = :run where id = :id").param("run", runId)
                    .param("id", existing.id()).update();
            return existing.id();
        }
        String why = "evidence changed: " + describe(existing.evidenceJson()) + " -> " + describe(evidence(d));
        ExceptionStatus status = existing.status();
        if (ExceptionStatus.TABLE.allows(status, ExceptionStatus.Action.REOPEN)) {
            status = ExceptionStatus.TABLE.next(status, ExceptionStatus.Action.REOPEN);
            event(existing.id(), "reopened", existing.status(), status, null, "reconciliation run", why, runId, null,
                    now);
        } else {
            event(existing.id(), "evidence_changed", existing.status(), status, null, "reconciliation run", why, runId,
                    null, now);
        }
        jdbc.sql("""
                        update recon_exceptions set status = :status, evidence = cast(:evidence as jsonb),
                               evidence_hash = :hash, last_run_id = :run, updated_at = :now
                        where id = :id
                        """)
                .param("status", status.wire()).param("evidence", evidenceJson).param("hash", hash)
                .param("run", runId).param("now", Timestamp.from(now)).param("id", existing.id()).update();
        return existing.id();
    }

    /** How many discrepancies one set-wise statement carries. */
    static final int CHUNK = 1_000;

    /**
     * Records what a run found, as {@link #record} does one at a time, in set-wise statements:
     * per chunk, new exceptions and their "opened" events in one statement, known ones whose
     * evidence is unchanged touched in one update. Only those whose evidence changed go one
     * by one, as they need an event saying what changed. The discrepancies must have distinct
     * fingerprints. Runs in the caller's transaction; returns the exception ids in order.
     */
    @Transactional
    public List<String> recordAll(List<Discrepancy> found, List<String> evidenceJson, String runId) {
        Check.that(found.size() == evidenceJson.size(), "one evidence per discrepancy");
        List<String> ids = new ArrayList<>(found.size());
        for (int from = 0; from < found.size(); from += CHUNK) {
            int to = Math.min(found.size(), from + CHUNK);
            ids.addAll(recordChunk(found.subList(from, to), evidenceJson.subList(from, to), runId));
        }
        return ids;
    }

    private List<String> recordChunk(List<Discrepancy> found, List<String> evidenceJson, String runId) {
        Instant now = clock.instant();
        int n = found.size();
        String[] newIds = new String[n];
        String[] fingerprints = new String[n];
        String[] classes = new String[n];
        String[] severities = new String[n];
        String[] orderIds = new String[n];
        String[] evidence = new String[n];
        String[] hashes = new String[n];
        String[] explanations = new String[n];
        for (int i = 0; i < n; i++) {
            Discrepancy d = found.get(i);
            newIds[i] = Ids.next("rx_");
            fingerprints[i] = fingerprint(d);
            classes[i] = d.kind().wireName();
            severities[i] = d.kind().severity().name().toLowerCase(Locale.ROOT);
            orderIds[i] = d.orderId();
            evidence[i] = evidenceJson.get(i);
            hashes[i] = evidenceHash(d);
            explanations[i] = d.explanation();
        }
        Set<String> opened = new HashSet<>(jdbc.sql("""
                        with input as (
                            select * from unnest(cast(:ids as text[]), cast(:fingerprints as text[]),
                                                 cast(:classes as text[]), cast(:severities as text[]),
                                                 cast(:orders as text[]), cast(:evidence as text[]),
                                                 cast(:hashes as text[]), cast(:explanations as text[]))
                                as x(id, fingerprint, class, severity, order_id, evidence, evidence_hash, explanation)
                        ), inserted as (
                            insert into recon_exceptions (id, fingerprint, class, severity, status, order_id, evidence,
                                                          evidence_hash, first_run_id, last_run_id, created_at,
                                                          updated_at)
                            select id, fingerprint, class, severity, 'open', order_id, cast(evidence as jsonb),
                                   evidence_hash, :run, :run, :now, :now
                            from input
                            on conflict (fingerprint) do nothing
                            returning id, fingerprint
                        ), events as (
                            insert into recon_exception_events (exception_id, action, from_status, to_status, actor,
                                                                reason, run_id, occurred_at)
                            select i.id, 'opened', null, 'open', 'reconciliation run', x.explanation, :run, :now
                            from inserted i join input x on x.fingerprint = i.fingerprint
                        )
                        select fingerprint from inserted
                        """)
                .param("ids", newIds).param("fingerprints", fingerprints).param("classes", classes)
                .param("severities", severities).param("orders", orderIds).param("evidence", evidence)
                .param("hashes", hashes).param("explanations", explanations).param("run", runId)
                .param("now", Timestamp.from(now)).query(String.class).list());
        Map<String, ReconException> known = new HashMap<>();
        if (opened.size() < n) {
            String[] others = Arrays.stream(fingerprints).filter(f -> !opened.contains(f))
                    .toArray(String[]::new);
            jdbc.sql("select * from recon_exceptions where fingerprint = any(cast(:f as text[])) order by id for update")
                    .param("f", others).query(ReconExceptions::map).list()
                    .forEach(e -> known.put(e.fingerprint(), e));
        }
        List<String> ids = new ArrayList<>(n);
        List<String> unchanged = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (opened.contains(fingerprints[i])) {
                ids.add(newIds[i]);
                continue;
            }
            ReconException existing = known.get(fingerprints[i]);
            Check.that(existing != null, "an exception that was not opened already exists");
            if (existing.evidenceHash().equals(hashes[i])) {
                unchanged.add(existing.id());
                ids.add(existing.id());
            } else {
                ids.add(seenAgain(existing, found.get(i), evidence[i], hashes[i], runId, now));
            }
        }
        if (!unchanged.isEmpty()) {
            jdbc.sql("update recon_exceptions set last_run_id = :run where id = any(cast(:ids as text[]))")
                    .param("run", runId).param("ids", unchanged.toArray(new String[0])).update();
        }
        return ids;
    }

    private String describe(String evidenceJson) {
        Map<?, ?> map = json.readValue(evidenceJson, Map.class);
        return describe(map);
    }

    private static String describe(Map<?, ?> evidence) {
        return "ours " + evidence.get("ours") + " " + evidence.get("currency") + ", theirs " + evidence.get("theirs")
                + " " + (evidence.get("theirs_currency") == null ? evidence.get("currency") : evidence.get("theirs_currency"));
    }

    /**
     * Moves an exception by {@code action}, keeping who and why. Resolve and ignore need a
     * reason; a resolution may carry balanced ledger lines, posted as an adjustment and linked.
     * The action is recorded in the audit log with its reason, in the same transaction.
     *
     * @param who the authenticated actor (never a name from a request body)
     */
    @Transactional
    public ReconException act(String id, ExceptionStatus.Action action, String reason, Actor who,
                              List<Posting> adjustment) {
        String actor = AuditTrail.label(who);
        String apiKeyId = who.kind() == Actor.Kind.KEY ? who.id() : null;
        ReconException current = jdbc.sql("select * from recon_exceptions where id = :id for update").param("id", id)
                .query(ReconExceptions::map).optional().orElseThrow(() -> MoneytrailException.notFound("id", id));
        ExceptionStatus next = ExceptionStatus.TABLE.next(current.status(), action);
        boolean needsReason = action == ExceptionStatus.Action.RESOLVE || action == ExceptionStatus.Action.IGNORE;
        if (needsReason && (reason == null || reason.isBlank())) {
            throw MoneytrailException.invalid("parameter_missing", "reason", "say why (" + REASON_MAX_HINT + ")");
        }
        if (reason != null && reason.length() > REASON_CHARS_MAX) {
            throw MoneytrailException.invalid("parameter_too_long", "reason", "reason is " + REASON_MAX_HINT);
        }
        if (adjustment != null && !adjustment.isEmpty() && action != ExceptionStatus.Action.RESOLVE) {
            throw MoneytrailException.invalid("parameter_invalid", "adjustment",
                    "only a resolution may carry a ledger adjustment");
        }
        String pending = pendingProposal(id).orElse(null);
        if (pending != null && (action == ExceptionStatus.Action.RESOLVE || action == ExceptionStatus.Action.IGNORE)) {
            throw MoneytrailException.state("resolution_pending", "exception " + id + " waits for the approval of its"
                    + " linked adjustment " + pending + " (four-eyes rule); it is resolved when that is approved");
        }
        Instant now = clock.instant();
        String entryId = null;
        if (adjustment != null && !adjustment.isEmpty()) {
            String reference = ADJUSTMENT_REFERENCE + id + ":" + now.toEpochMilli();
            if (proposals.needsApproval(adjustment)) {
                return proposeResolution(current, reference, adjustment, reason, who, apiKeyId, actor, now);
            }
            JournalEntry entry = journal.post(PostingRules.adjustment(reference,
                    current.orderId(), adjustment, actor, reason, now));
            entryId = entry.id();
        }
        String actionWord = action == ExceptionStatus.Action.ACKNOWLEDGE ? "acknowledged"
                : action == ExceptionStatus.Action.RESOLVE ? "resolved"
                : action == ExceptionStatus.Action.IGNORE ? "ignored" : "reopened";
        event(id, actionWord, current.status(), next, apiKeyId, actor, reason, null, entryId, now);
        jdbc.sql("""
                        update recon_exceptions set status = :status, updated_at = :now,
                               resolution = case when :terminal then :reason else resolution end,
                               ledger_entry_id = coalesce(:entry, ledger_entry_id)
                        where id = :id
                        """)
                .param("status", next.wire()).param("now", Timestamp.from(now)).param("terminal", needsReason)
                .param("reason", reason).param("entry", entryId).param("id", id).update();
        audit.record("reconciliation.exception." + action.name().toLowerCase(java.util.Locale.ROOT),
                "reconciliation_exception", id, AuditTrail.Outcome.SUCCEEDED, reason,
                entryId == null ? Map.of() : Map.of("ledger_entry", entryId));
        return find(id).orElseThrow();
    }

    /**
     * A resolution whose linked adjustment is above the four-eyes threshold: the adjustment is
     * proposed, the exception stays as it is (acknowledged) with its resolution pending; another
     * person's approval resolves it ({@link #resolutionDecided}).
     */
    private ReconException proposeResolution(ReconException current, String reference, List<Posting> adjustment,
                                             String reason, Actor who, String apiKeyId, String actor, Instant now) {
        AdjustmentProposals.Proposal proposal = proposals.propose(reference, current.orderId(), adjustment, reason,
                null, who);
        event(current.id(), "resolution_proposed", current.status(), current.status(), apiKeyId, actor, reason, null,
                null, now, proposal.id());
        jdbc.sql("update recon_exceptions set pending_proposal_id = :proposal, updated_at = :now where id = :id")
                .param("proposal", proposal.id()).param("now", Timestamp.from(now)).param("id", current.id()).update();
        audit.record("reconciliation.exception.propose_resolution", "reconciliation_exception", current.id(),
                AuditTrail.Outcome.SUCCEEDED, reason, Map.of("proposal", proposal.id(), "amount",
                        AdjustmentProposals.amount(adjustment), "threshold", proposals.threshold()));
        return find(current.id()).orElseThrow();
    }

    /** The proposal an exception's resolution waits for, if any. */
    public Optional<String> pendingProposal(String id) {
        return jdbc.sql("select pending_proposal_id from recon_exceptions where id = :id").param("id", id)
                .query((rs, n) -> Optional.ofNullable(rs.getString(1))).optional().flatMap(o -> o);
    }

    /**
     * The linked adjustment of a pending resolution was decided, in the deciding transaction:
     * approved, the exception is resolved with the posted entry (its reason the proposer's, its
     * actor the approver); rejected, the exception stays acknowledged without a pending resolution.
     */
    @Transactional
    void resolutionDecided(AdjustmentDecided decided) {
        Optional<ReconException> waiting = jdbc.sql(
                        "select * from recon_exceptions where pending_proposal_id = :proposal for update")
                .param("proposal", decided.proposalId()).query(ReconExceptions::map).optional();
        if (waiting.isEmpty()) {
            return;
        }
        ReconException current = waiting.get();
        Instant now = clock.instant();
        String actor = AuditTrail.label(decided.decidedBy());
        String apiKeyId = decided.decidedBy().kind() == Actor.Kind.KEY ? decided.decidedBy().id() : null;
        boolean resolves = decided.approved() && current.status() == ExceptionStatus.ACKNOWLEDGED;
        ExceptionStatus next = resolves ? ExceptionStatus.TABLE.next(current.status(), ExceptionStatus.Action.RESOLVE)
                : current.status();
        String action = resolves ? "resolved" : decided.approved() ? "adjustment_approved" : "resolution_rejected";
        event(current.id(), action, current.status(), next, apiKeyId, actor, decided.reason(), null,
                decided.journalEntryId(), now, decided.proposalId());
        jdbc.sql("""
                        update recon_exceptions set status = :status, updated_at = :now, pending_proposal_id = null,
                               resolution = case when :resolves then :reason else resolution end,
                               ledger_entry_id = coalesce(:entry, ledger_entry_id)
                        where id = :id
                        """)
                .param("status", next.wire()).param("now", Timestamp.from(now)).param("resolves", resolves)
                .param("reason", decided.reason()).param("entry", decided.journalEntryId())
                .param("id", current.id()).update();
        if (decided.approved()) {
            audit.record("reconciliation.exception.resolve", "reconciliation_exception", current.id(),
                    AuditTrail.Outcome.SUCCEEDED, decided.reason(), Map.of("ledger_entry", decided.journalEntryId(),
                            "proposal", decided.proposalId()));
        }
    }

    private void event(String exceptionId, String action, ExceptionStatus from, ExceptionStatus to, String apiKeyId,
                       String actor, String reason, String runId, String entryId, Instant at) {
        event(exceptionId, action, from, to, apiKeyId, actor, reason, runId, entryId, at, null);
    }

    private void event(String exceptionId, String action, ExceptionStatus from, ExceptionStatus to, String apiKeyId,
                       String actor, String reason, String runId, String entryId, Instant at, String proposalId) {
        jdbc.sql("""
                        insert into recon_exception_events (exception_id, action, from_status, to_status, api_key_id,
                                                            actor, reason, run_id, ledger_entry_id, occurred_at,
                                                            proposal_id)
                        values (:exception, :action, :from, :to, :key, :actor, :reason, :run, :entry, :at, :proposal)
                        """)
                .param("exception", exceptionId).param("action", action)
                .param("from", from == null ? null : from.wire()).param("to", to.wire()).param("key", apiKeyId)
                .param("actor", actor == null || actor.isBlank() ? null : actor).param("reason", reason)
                .param("run", runId).param("entry", entryId).param("at", Timestamp.from(at))
                .param("proposal", proposalId).update();
    }

    public Optional<ReconException> find(String id) {
        return jdbc.sql("select * from recon_exceptions where id = :id").param("id", id)
                .query(ReconExceptions::map).optional();
    }

    public List<ReconException.Event> events(String id) {
        return jdbc.sql("select * from recon_exception_events where exception_id = :id order by id")
                .param("id", id)
                .query((rs, n) -> new ReconException.Event(rs.getLong("id"), rs.getString("action"),
                        rs.getString("from_status"), rs.getString("to_status"), rs.getString("api_key_id"),
                        rs.getString("actor"), rs.getString("reason"), rs.getString("run_id"),
                        rs.getString("ledger_entry_id"), rs.getTimestamp("occurred_at").toInstant(),
                        rs.getString("proposal_id")))
                .list();
    }

    /** Newest first, by id; filtered by status, class and order. */
    public List<ReconException> list(ExceptionStatus status, String discrepancyClass, String orderId,
                                     String startingAfter, int limit) {
        return jdbc.sql("""
                        select * from recon_exceptions
                        where (cast(:status as text) is null or status = :status)
                          and (cast(:class as text) is null or class = :class)
                          and (cast(:order as text) is null or order_id = :order)
                          and (cast(:after as text) is null or id < :after)
                        order by id desc limit :limit
                        """)
                .param("status", status == null ? null : status.wire()).param("class", discrepancyClass)
                .param("order", orderId).param("after", startingAfter).param("limit", limit)
                .query(ReconExceptions::map).list();
    }

    static ReconException map(ResultSet rs, int n) throws SQLException {
        return new ReconException(rs.getString("id"), rs.getString("fingerprint"), rs.getString("class"),
                rs.getString("severity"), ExceptionStatus.valueOf(rs.getString("status").toUpperCase()),
                rs.getString("order_id"), rs.getString("evidence"), rs.getString("evidence_hash"),
                rs.getString("first_run_id"), rs.getString("last_run_id"), rs.getString("resolution"),
                rs.getString("ledger_entry_id"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static String n(String value) {
        return value == null ? "" : value;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
