package io.moneytrail.ledger;

import io.moneytrail.access.AuditTrail;
import io.moneytrail.database.TransactionBuffer;
import io.moneytrail.money.ErrorType;
import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.OrderSummaries;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * The journal: posts balanced, immutable entries, idempotently by source. Posting runs in
 * the caller's transaction (a capture and its entry commit together or not at all).
 */
@Service
public class Journal {

    static final String ENTRY_ID_PREFIX = "je_";
    static final String SOURCE_REVERSAL = "reversal";

    private final JdbcClient jdbc;
    private final Accounts accounts;
    private final Clock clock;

    private final AuditTrail audit;
    private final ObjectMapper json;
    private final OrderSummaries orders;

    /** Entries of new sources, written with the commit's buffered statement ({@link #postNew}). */
    private final TransactionBuffer<Object[]> fresh;

    Journal(JdbcClient jdbc, Accounts accounts, Clock clock, AuditTrail audit, ObjectMapper json,
            OrderSummaries orders) {
        this.orders = orders;
        this.audit = audit;
        this.json = json;
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.clock = clock;
        this.fresh = new TransactionBuffer<>(jdbc, this::insertFresh);
    }

    /**
     * Posts the entry of a source that cannot have been posted yet (a money fact recorded in this
     * transaction: its source id was just made), in the caller's transaction, without a statement
     * of its own: the entry and its lines are written just before the commit, with the other
     * buffered rows in one statement ({@link TransactionBuffer}). The checks are those of
     * {@link #post}: accounts here, balance at commit (V8); a source posted already is not
     * skipped but refused (the unique source), which rolls the transaction back. Outside a
     * transaction it is written at once. Reads of the journal in the transaction see it
     * ({@link #flushNew}).
     */
    public void postNew(NewEntry entry) {
        for (int i = 0; i < entry.lines().size(); i++) {
            accounts.require(entry.lines().get(i).account(), "lines[" + i + "][account]");
        }
        List<Object[]> lines = new ArrayList<>(entry.lines().size());
        for (Posting line : entry.lines()) {
            lines.add(new Object[] {line.account(), line.amount().amountMinor(), line.amount().currencyCode()});
        }
        Instant orderCreatedAt = orderCreatedAt(entry);
        Long psp = entry.providerMinor();
        fresh.add(new Object[] {Ids.next(ENTRY_ID_PREFIX), entry.sourceType(), entry.sourceId(),
                java.util.HexFormat.of().formatHex(entry.fingerprint()), entry.orderId(),
                entry.effectiveAt().toString(), clock.instant().toString(), entry.description(), entry.reverses(),
                entry.actor(), entry.reason(), lines, orderCreatedAt == null ? null : orderCreatedAt.toString(),
                psp == null ? null : entry.currency().getCurrencyCode(), psp});
    }

    /**
     * The creation instant of the entry's order (V36): as its poster gave it; else, for an entry of
     * an order that is no reversal (a reversal takes the reversed entry's in its insert), one lookup
     * (an operator's adjustment, a fee: the payment path gives it).
     */
    private Instant orderCreatedAt(NewEntry entry) {
        Instant given = entry.orderCreatedAt();
        if (given != null || entry.orderId() == null || entry.reverses() != null) {
            return given;
        }
        return orders.createdAt(List.of(entry.orderId())).get(entry.orderId());
    }

    /** Writes the entries {@link #postNew} holds back in this transaction (before a read of the journal). */
    public void flushNew() {
        fresh.flush();
    }

    /** The insert of {@link #postNew}'s entries and all their lines, as part of one statement. */
    private TransactionBuffer.Piece insertFresh(List<Object[]> entries, String prefix) {
        return new TransactionBuffer.Piece(List.of(prefix + """
                entries as (
                    insert into journal_entries (id, source_type, source_id, fingerprint, order_id, effective_at,
                                                 recorded_at, description, reverses, actor, reason, order_created_at,
                                                 psp_currency, psp_minor)
                    select x.e->>0, x.e->>1, x.e->>2, decode(x.e->>3, 'hex'), x.e->>4, (x.e->>5)::timestamptz,
                           (x.e->>6)::timestamptz, x.e->>7, x.e->>8, x.e->>9, x.e->>10, (x.e->>12)::timestamptz,
                           x.e->>13, (x.e->>14)::bigint
                    from json_array_elements(cast(:%1$sentries as json)) with ordinality as x(e, n)
                    order by x.n
                )""".formatted(prefix), prefix + """
                lines as (
                    insert into journal_lines (entry_id, line_no, account_code, amount_minor, currency, effective_at)
                    select x.e->>0, l.n - 1, l.line->>0, (l.line->>1)::bigint, l.line->>2, (x.e->>5)::timestamptz
                    from json_array_elements(cast(:%1$sentries as json)) as x(e)
                    cross join json_array_elements(x.e->11) with ordinality as l(line, n)
                )""".formatted(prefix)), Map.of(prefix + "entries", json.writeValueAsString(entries)));
    }

    /**
     * Posts an entry. Posting the same source again returns the existing entry when its
     * content is the same, and is a {@code source_already_posted} error when it differs.
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public JournalEntry post(NewEntry entry) {
        for (int i = 0; i < entry.lines().size(); i++) {
            accounts.require(entry.lines().get(i).account(), "lines[" + i + "][account]");
        }
        byte[] fingerprint = entry.fingerprint();
        String id = Ids.next(ENTRY_ID_PREFIX);
        List<Object[]> lines = new ArrayList<>(entry.lines().size());
        for (Posting line : entry.lines()) {
            lines.add(new Object[] {line.account(), line.amount().amountMinor(), line.amount().currencyCode()});
        }
        Instant orderCreatedAt = orderCreatedAt(entry);
        Long psp = entry.providerMinor();
        // One statement: the entry and, if it was inserted (not already posted), all its lines,
        // numbered 0..n-1; the lines' statement-level checks (V4, V16) run once. A reversal of an
        // order's entry takes that entry's order creation instant.
        Optional<Instant[]> inserted = jdbc.sql("""
                        with e as (
                            insert into journal_entries (id, source_type, source_id, fingerprint, order_id,
                                                         effective_at, recorded_at, description, reverses, actor,
                                                         reason, order_created_at, psp_currency, psp_minor)
                            values (:id, :type, :source, :fingerprint, :order, :effective, :recorded, :description,
                                    :reverses, :actor, :reason,
                                    coalesce(:orderCreated, (select r.order_created_at from journal_entries r
                                                             where r.id = :reverses and r.order_id = :order)),
                                    :pspCurrency, :psp)
                            on conflict (source_type, source_id) do nothing
                            returning id, effective_at, recorded_at
                        ), l as (
                            insert into journal_lines (entry_id, line_no, account_code, amount_minor, currency,
                                                       effective_at)
                            select e.id, x.n - 1, x.line->>0, (x.line->>1)::bigint, x.line->>2, e.effective_at
                            from e cross join json_array_elements(cast(:lines as json)) with ordinality as x(line, n)
                        )
                        select effective_at, recorded_at from e
                        """)
                .param("id", id).param("type", entry.sourceType()).param("source", entry.sourceId())
                .param("fingerprint", fingerprint).param("order", entry.orderId())
                .param("effective", Timestamp.from(entry.effectiveAt()))
                .param("recorded", Timestamp.from(clock.instant())).param("description", entry.description())
                .param("reverses", entry.reverses()).param("actor", entry.actor()).param("reason", entry.reason())
                .param("orderCreated", orderCreatedAt == null ? null : Timestamp.from(orderCreatedAt), Types.TIMESTAMP)
                .param("pspCurrency", psp == null ? null : entry.currency().getCurrencyCode(), Types.VARCHAR)
                .param("psp", psp, Types.BIGINT)
                .param("lines", json.writeValueAsString(lines))
                .query((rs, n) -> new Instant[] {rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()})
                .optional();
        if (inserted.isEmpty()) {
            byte[] existing = jdbc.sql("select fingerprint from journal_entries where source_type = :type and source_id = :source")
                    .param("type", entry.sourceType()).param("source", entry.sourceId()).query(byte[].class).single();
            if (!Arrays.equals(existing, fingerprint)) {
                throw new MoneytrailException(ErrorType.INVALID_REQUEST, 409, "source_already_posted", null,
                        entry.sourceType() + " " + entry.sourceId() + " is already posted with different content;"
                                + " correct it with a reversing entry");
            }
            return bySource(entry.sourceType(), entry.sourceId()).orElseThrow();
        }
        List<JournalEntry.Line> posted = new ArrayList<>(entry.lines().size());
        for (int i = 0; i < entry.lines().size(); i++) {
            Posting line = entry.lines().get(i);
            posted.add(new JournalEntry.Line(i, line.account(), line.amount().amountMinor(),
                    line.amount().currencyCode()));
        }
        return new JournalEntry(id, entry.sourceType(), entry.sourceId(), entry.orderId(), inserted.get()[0],
                inserted.get()[1], entry.description(), entry.reverses(), entry.actor(), entry.reason(), posted);
    }

    /**
     * Posts an operator's adjustment ({@link PostingRules#adjustment}) and records it in the audit
     * log with its reason, in one transaction. A repeat of the same reference is recorded too.
     */
    @Transactional
    public JournalEntry adjust(NewEntry adjustment) {
        JournalEntry posted = post(adjustment);
        audit.record("ledger.adjustment.create", "journal_entry", posted.id(), AuditTrail.Outcome.SUCCEEDED,
                adjustment.reason(), Map.of("reference", adjustment.sourceId()));
        return posted;
    }

    /**
     * Posts the mirror image of an entry, linked to it. An entry can be reversed once: asking
     * again with the same actor and reason (a retry) returns the reversal already posted,
     * and asking with another is {@code entry_already_reversed}.
     */
    @Transactional
    public JournalEntry reverse(String entryId, String actor, String reason) {
        JournalEntry original = find(entryId).orElseThrow(() -> MoneytrailException.notFound("entry", entryId));
        if (original.reverses() != null) {
            throw MoneytrailException.state("entry_is_reversal", "entry " + entryId + " is itself a reversal");
        }
        // the original's row lock serialises two reversals of it; the loser sees the winner's
        jdbc.sql("select id from journal_entries where id = :id for update").param("id", entryId)
                .query(String.class).single();
        Optional<JournalEntry> done = bySource(SOURCE_REVERSAL, entryId);
        if (done.isPresent()) {
            JournalEntry reversal = done.get();
            if (Objects.equals(reversal.actor(), actor) && Objects.equals(reversal.reason(), reason)) {
                return reversal;
            }
            throw new MoneytrailException(ErrorType.INVALID_REQUEST, 409, "entry_already_reversed", null,
                    "entry " + entryId + " was already reversed by " + reversal.id() + " (" + reversal.actor() + ": "
                            + reversal.reason() + ")");
        }
        List<Posting> mirrored = new ArrayList<>();
        for (JournalEntry.Line line : original.lines()) {
            mirrored.add(new Posting(line.account(),
                    io.moneytrail.money.Money.of(-line.amountMinor(), line.currency())));
        }
        return post(new NewEntry(SOURCE_REVERSAL, entryId, original.orderId(), clock.instant(),
                "reversal of " + entryId + ": " + reason, mirrored, entryId, actor, reason));
    }

    public Optional<JournalEntry> find(String id) {
        return load("where e.id = :key", Map.of("key", id)).stream().findFirst();
    }

    public Optional<JournalEntry> bySource(String sourceType, String sourceId) {
        return load("where e.source_type = :type and e.source_id = :source",
                Map.of("type", sourceType, "source", sourceId)).stream().findFirst();
    }

    public List<JournalEntry> ofOrder(String orderId) {
        return load("where e.order_id = :order", Map.of("order", orderId));
    }

    /** Entries with their lines, in (effective time, id) order; every entry is re-checked when built. */
    List<JournalEntry> load(String where, Map<String, ?> params) {
        flushNew();
        var spec = jdbc.sql("""
                select e.id, e.source_type, e.source_id, e.order_id, e.effective_at, e.recorded_at, e.description,
                       e.reverses, e.actor, e.reason, l.line_no, l.account_code, l.amount_minor, l.currency
                from journal_entries e join journal_lines l on l.entry_id = e.id
                """ + where + " order by e.effective_at, e.id, l.line_no");
        for (Map.Entry<String, ?> param : params.entrySet()) {
            spec = spec.param(param.getKey(), param.getValue());
        }
        Map<String, List<Object[]>> rows = new LinkedHashMap<>();
        spec.query(rs -> {
            rows.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Object[] {
                    rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
                    rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getString(8), rs.getString(9),
                    rs.getString(10), rs.getInt(11), rs.getString(12), rs.getLong(13), rs.getString(14)});
        });
        List<JournalEntry> entries = new ArrayList<>(rows.size());
        rows.forEach((id, lines) -> {
            Object[] head = lines.get(0);
            List<JournalEntry.Line> parsed = lines.stream().map(r -> new JournalEntry.Line((Integer) r[9],
                    (String) r[10], (Long) r[11], (String) r[12])).toList();
            entries.add(new JournalEntry(id, (String) head[0], (String) head[1], (String) head[2],
                    (java.time.Instant) head[3], (java.time.Instant) head[4], (String) head[5], (String) head[6],
                    (String) head[7], (String) head[8], parsed));
        });
        return entries;
    }
}
