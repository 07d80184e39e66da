package io.moneytrail.ledger;

import io.moneytrail.access.Actor;
import io.moneytrail.access.AuditTrail;
import io.moneytrail.money.ErrorType;
import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Ledger adjustments under the four-eyes rule. An adjustment whose debits exceed
 * {@code moneytrail.ledger.approval-above} is not posted: it is kept as a proposal
 * ({@code lap_…}, status {@code proposed}) and posted to the journal only when a second actor
 * (another user or key, never the proposer) approves it. A proposal is decided once: approved
 * (with the journal entry it posted) or rejected (with why); deciding it again is a 409
 * {@code proposal_already_decided}. Proposing, approving and rejecting are each written to the
 * audit log in the transaction of the change; a decision is published as {@link AdjustmentDecided}
 * in that transaction too (a reconciliation exception waits on its linked adjustment's approval).
 */
@Service
public class AdjustmentProposals {

    public static final String ID_PREFIX = "lap_";
    static final int REASON_CHARS_MAX = 500;

    /** A proposal and how it was decided (the decision fields are null while it is proposed). */
    public record Proposal(String id, String reference, String orderId, String currency, long amountMinor,
                           List<Posting> lines, String reason, Instant effectiveAt, String status,
                           String proposedByKind, String proposedById, String proposedBy, Instant proposedAt,
                           String decidedBy, Instant decidedAt, String decisionReason, String journalEntryId) {

        public boolean proposed() {
            return "proposed".equals(status);
        }

        /** Whether {@code actor} is the one who proposed it (who may then not decide it). */
        public boolean proposedBy(Actor actor) {
            return actor.kindName().equals(proposedByKind) && actor.id().equals(proposedById);
        }
    }

    private final JdbcClient jdbc;
    private final Journal journal;
    private final AuditTrail audit;
    private final LedgerProperties properties;
    private final ObjectMapper json;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    AdjustmentProposals(JdbcClient jdbc, Journal journal, AuditTrail audit, LedgerProperties properties,
                        ObjectMapper json, Clock clock, ApplicationEventPublisher events) {
        this.events = events;
        this.jdbc = jdbc;
        this.journal = journal;
        this.audit = audit;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    /** The threshold in minor units, or null when the rule is off. */
    public Long threshold() {
        return properties.approvalAbove();
    }

    /** What an adjustment moves: the sum of its debits. */
    public static long amount(List<Posting> lines) {
        return lines.stream().mapToLong(p -> p.amount().amountMinor()).filter(a -> a > 0).sum();
    }

    /** Whether these lines need a second person's approval. */
    public boolean needsApproval(List<Posting> lines) {
        Long above = threshold();
        return above != null && amount(lines) > above;
    }

    /**
     * Keeps an adjustment as a proposal. Proposing the same reference again with the same content
     * answers the proposal as it is now (a retry); with other content it is a 409
     * {@code reference_already_used}.
     */
    @Transactional
    public Proposal propose(String reference, String orderId, List<Posting> lines, String reason,
                            Instant effectiveAt, Actor who) {
        NewEntry checked = PostingRules.adjustment(reference, orderId, lines, AuditTrail.label(who), reason,
                effectiveAt == null ? clock.instant() : effectiveAt); // checks balance, one currency, line count
        String linesJson = linesJson(lines);
        Optional<Proposal> existing = byReference(reference);
        if (existing.isEmpty() && journal.bySource(PostingRules.SOURCE_ADJUSTMENT, reference).isPresent()) {
            throw MoneytrailException.state("reference_already_used",
                    "an adjustment with reference " + reference + " is already posted");
        }
        if (existing.isEmpty()) {
            String id = Ids.next(ID_PREFIX);
            int inserted = jdbc.sql("""
                            insert into ledger_adjustment_proposals (id, reference, order_id, currency, amount_minor,
                                lines, reason, effective_at, status, proposed_by_kind, proposed_by_id, proposed_by,
                                proposed_at)
                            values (:id, :reference, :order, :currency, :amount, cast(:lines as jsonb), :reason,
                                    :effective, 'proposed', :kind, :actorId, :actor, :now)
                            on conflict (reference) do nothing
                            """)
                    .param("id", id).param("reference", reference).param("order", orderId)
                    .param("currency", checked.currency().getCurrencyCode()).param("amount", amount(lines))
                    .param("lines", linesJson).param("reason", reason)
                    .param("effective", effectiveAt == null ? null : Timestamp.from(effectiveAt))
                    .param("kind", who.kindName()).param("actorId", who.id()).param("actor", AuditTrail.label(who))
                    .param("now", Timestamp.from(clock.instant())).update();
            if (inserted == 1) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("reference", reference);
                details.put("amount", amount(lines));
                details.put("currency", checked.currency().getCurrencyCode());
                details.put("threshold", threshold());
                audit.record("ledger.adjustment.propose", "ledger_adjustment", id, AuditTrail.Outcome.SUCCEEDED,
                        reason, details);
                return find(id).orElseThrow();
            }
            existing = byReference(reference);
        }
        Proposal found = existing.orElseThrow();
        if (!found.reason().equals(reason) || !Objects.equals(found.orderId(), orderId)
                || !json.readTree(linesJson).equals(json.readTree(linesJson(found.lines())))
                || !Objects.equals(found.effectiveAt(), effectiveAt)) {
            throw MoneytrailException.state("reference_already_used", "proposal " + found.id() + " has reference "
                    + reference + " with different content; use another reference");
        }
        return found;
    }

    /**
     * Approves a proposal and posts it (effective when it was asked to be, else now), as one
     * transaction with its audit rows. The proposer may not approve their own (403
     * {@code approver_is_proposer}); a decided proposal is a 409 {@code proposal_already_decided}.
     */
    @Transactional
    public Proposal approve(String id, Actor who) {
        Proposal current = decidable(id, who, "approve");
        Instant now = clock.instant();
        String approver = AuditTrail.label(who);
        JournalEntry entry = journal.adjust(PostingRules.adjustment(current.reference(), current.orderId(),
                current.lines(), current.proposedBy() + ", approved by " + approver, current.reason(),
                current.effectiveAt() == null ? now : current.effectiveAt()));
        jdbc.sql("""
                        update ledger_adjustment_proposals set status = 'approved', decided_by_kind = :kind,
                               decided_by_id = :actorId, decided_by = :actor, decided_at = :now, journal_entry_id = :entry
                        where id = :id
                        """)
                .param("kind", who.kindName()).param("actorId", who.id()).param("actor", approver)
                .param("now", Timestamp.from(now)).param("entry", entry.id()).param("id", id).update();
        audit.record("ledger.adjustment.approve", "ledger_adjustment", id, AuditTrail.Outcome.SUCCEEDED,
                current.reason(), Map.of("journal_entry", entry.id(), "proposed_by", current.proposedBy(),
                        "reference", current.reference()));
        events.publishEvent(new AdjustmentDecided(id, current.reference(), true, entry.id(), who, current.reason()));
        return find(id).orElseThrow();
    }

    /** Rejects a proposal, with why; nothing is posted. Same rules as {@link #approve}. */
    @Transactional
    public Proposal reject(String id, String reason, Actor who) {
        if (reason == null || reason.isBlank() || reason.length() > REASON_CHARS_MAX) {
            throw MoneytrailException.invalid("parameter_missing", "reason", "say why (1 to 500 characters)");
        }
        Proposal current = decidable(id, who, "reject");
        jdbc.sql("""
                        update ledger_adjustment_proposals set status = 'rejected', decided_by_kind = :kind,
                               decided_by_id = :actorId, decided_by = :actor, decided_at = :now,
                               decision_reason = :reason
                        where id = :id
                        """)
                .param("kind", who.kindName()).param("actorId", who.id()).param("actor", AuditTrail.label(who))
                .param("now", Timestamp.from(clock.instant())).param("reason", reason.strip()).param("id", id)
                .update();
        audit.record("ledger.adjustment.reject", "ledger_adjustment", id, AuditTrail.Outcome.SUCCEEDED,
                reason.strip(), Map.of("proposed_by", current.proposedBy(), "reference", current.reference()));
        events.publishEvent(new AdjustmentDecided(id, current.reference(), false, null, who, reason.strip()));
        return find(id).orElseThrow();
    }

    private Proposal decidable(String id, Actor who, String verb) {
        Proposal current = jdbc.sql("select * from ledger_adjustment_proposals where id = :id for update")
                .param("id", id).query(this::map).optional()
                .orElseThrow(() -> MoneytrailException.notFound("id", id));
        if (!current.proposed()) {
            throw MoneytrailException.state("proposal_already_decided", "proposal " + id + " was already "
                    + current.status() + " by " + current.decidedBy() + " at " + current.decidedAt()
                    + "; a proposal is decided once");
        }
        if (current.proposedBy(who)) {
            throw new MoneytrailException(ErrorType.INVALID_REQUEST, 403, "approver_is_proposer", null,
                    "proposal " + id + " was proposed by you; another user or key with the accountant or admin"
                            + " role must " + verb + " it (four-eyes rule)");
        }
        return current;
    }

    public Optional<Proposal> find(String id) {
        return jdbc.sql("select * from ledger_adjustment_proposals where id = :id").param("id", id).query(this::map)
                .optional();
    }

    Optional<Proposal> byReference(String reference) {
        return jdbc.sql("select * from ledger_adjustment_proposals where reference = :r").param("r", reference)
                .query(this::map).optional();
    }

    /** Newest first; {@code status} null for all; keyset by id. */
    public List<Proposal> list(String status, String startingAfter, int limit) {
        return jdbc.sql("""
                        select * from ledger_adjustment_proposals
                        where (cast(:status as text) is null or status = :status)
                          and (cast(:after as text) is null or id < :after)
                        order by id desc limit :limit
                        """)
                .param("status", status).param("after", startingAfter).param("limit", limit).query(this::map).list();
    }

    private String linesJson(List<Posting> lines) {
        List<Object[]> rows = new ArrayList<>();
        for (Posting p : lines) {
            rows.add(new Object[] {p.account(), p.amount().amountMinor(), p.amount().currencyCode()});
        }
        return json.writeValueAsString(rows);
    }

    private Proposal map(ResultSet rs, int n) throws SQLException {
        List<Posting> lines = new ArrayList<>();
        for (JsonNode line : json.readTree(rs.getString("lines"))) {
            lines.add(new Posting(line.get(0).asText(), new Money(line.get(1).asLong(),
                    Money.currency(line.get(2).asText()))));
        }
        Timestamp effective = rs.getTimestamp("effective_at");
        Timestamp decided = rs.getTimestamp("decided_at");
        return new Proposal(rs.getString("id"), rs.getString("reference"), rs.getString("order_id"),
                rs.getString("currency"), rs.getLong("amount_minor"), lines, rs.getString("reason"),
                effective == null ? null : effective.toInstant(), rs.getString("status"),
                rs.getString("proposed_by_kind"), rs.getString("proposed_by_id"), rs.getString("proposed_by"),
                rs.getTimestamp("proposed_at").toInstant(), rs.getString("decided_by"),
                decided == null ? null : decided.toInstant(), rs.getString("decision_reason"),
                rs.getString("journal_entry_id"));
    }
}
