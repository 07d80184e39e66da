package io.moneytrail.api;

import io.moneytrail.access.Actors;
import io.moneytrail.access.AuditTrail;
import io.moneytrail.ledger.AdjustmentProposals;
import io.moneytrail.ledger.Balances;
import io.moneytrail.ledger.ChartOfAccounts;
import io.moneytrail.ledger.Journal;
import io.moneytrail.ledger.JournalEntry;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.ledger.Posting;
import io.moneytrail.money.Dates;
import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.Order;
import io.moneytrail.order.OrderService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Ledger")
class LedgerController {

    private final ChartOfAccounts accounts;
    private final Balances balances;
    private final Journal journal;
    private final OrderService orders;
    private final AdjustmentProposals proposals;
    private final Clock clock;

    LedgerController(ChartOfAccounts accounts, Balances balances, Journal journal, OrderService orders,
                     AdjustmentProposals proposals, Clock clock) {
        this.proposals = proposals;
        this.accounts = accounts;
        this.balances = balances;
        this.journal = journal;
        this.orders = orders;
        this.clock = clock;
    }

    record AccountView(String object, String code, String type, String name) {
    }

    record BalanceView(String currency, long debits, long credits, long balance) {
    }

    record AccountBalanceView(String object, String account, String asOf, List<BalanceView> balances) {
    }

    record TrialBalanceView(String object, String asOf, boolean balanced, List<Map<String, Object>> accounts,
                            Map<String, Long> totals) {
    }

    record LineView(String account, long debit, long credit, String currency) {
    }

    record EntryView(String id, String object, String sourceType, String sourceId, String order, String effectiveAt,
                     String recordedAt, String description, String reverses, String actor, String reason,
                     List<LineView> lines) {
    }

    record TrailStepView(EntryView entry, Map<String, Long> runningBalances) {
    }

    record MoneyTrailView(String object, String order, String currency, String status, String paymentStatus,
                          List<TrailStepView> entries, Map<String, Long> balances) {
    }

    record AdjustmentLine(String account, String direction, Long amount, String currency) {
    }

    record Adjustment(List<AdjustmentLine> lines, String reason, String actor, String order, String effectiveAt,
                      String reference) {
    }

    record Decision(String reason) {
    }

    record ProposalView(String id, String object, String status, String reference, String order, long amount,
                        String currency, List<LineView> lines, String reason, String effectiveAt, String proposedBy,
                        String proposedAt, String decidedBy, String decidedAt, String decisionReason,
                        String journalEntry, Long approvalAbove) {
    }

    @GetMapping("/v1/ledger/accounts")
    @Operation(summary = "The chart of accounts")
    Views.ListView<AccountView> accounts() {
        return Views.list(accounts.all().stream()
                .map(a -> new AccountView("ledger_account", a.code(), a.type().wire(), a.name())).toList(), false,
                "/v1/ledger/accounts");
    }

    @GetMapping("/v1/ledger/accounts/{code}/balance")
    @Operation(summary = "An account's balance per currency (debit positive), now or as of an instant")
    AccountBalanceView balance(@PathVariable String code, @RequestParam(name = "as_of", required = false) String asOf) {
        if (accounts.find(code).isEmpty()) {
            throw MoneytrailException.notFound("account", code);
        }
        Instant at = asOf(asOf);
        return new AccountBalanceView("balance", code, at.toString(), balances.account(code, at).stream()
                .map(b -> new BalanceView(b.currency(), b.debitsMinor(), b.creditsMinor(), b.balanceMinor())).toList());
    }

    @GetMapping("/v1/ledger/trial-balance")
    @Operation(summary = "Every account's balance; the totals are zero in every currency")
    TrialBalanceView trialBalance(@RequestParam(name = "as_of", required = false) String asOf) {
        Balances.TrialBalance trial = balances.trialBalance(asOf(asOf));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Balances.Balance b : trial.accounts()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("account", b.account());
            row.put("currency", b.currency());
            row.put("debits", b.debitsMinor());
            row.put("credits", b.creditsMinor());
            row.put("balance", b.balanceMinor());
            rows.add(row);
        }
        return new TrialBalanceView("trial_balance", trial.asOf().toString(), trial.balanced(), rows,
                trial.totalsByCurrency());
    }

    @GetMapping("/v1/ledger/entries")
    @Operation(summary = "Journal entries, oldest first, filtered by order, account and effective time")
    Views.ListView<EntryView> entries(@RequestParam(required = false) String order,
                                      @RequestParam(required = false) String account,
                                      @RequestParam(required = false) String from,
                                      @RequestParam(required = false) String to,
                                      @RequestParam(required = false) Integer limit,
                                      @RequestParam(name = "starting_after", required = false) String startingAfter) {
        int pageSize = Pages.limit(limit);
        Instant fromAt = from == null ? null : instant(from, "from", false);
        Instant toAt = to == null ? null : instant(to, "to", false);
        List<JournalEntry> page = balances.entries(Pages.id(order, Ids.ORDER, "order"), account, fromAt, toAt,
                Pages.cursor(startingAfter, "je_"), pageSize + 1);
        return Views.list(page.stream().limit(pageSize).map(LedgerController::entry).toList(), page.size() > pageSize,
                "/v1/ledger/entries");
    }

    @GetMapping("/v1/orders/{id}/ledger")
    @Operation(summary = "The order's money trail: every entry touching it, with running balances")
    MoneyTrailView moneyTrail(@PathVariable String id) {
        Order order = orders.get(id);
        List<TrailStepView> steps = balances.moneyTrail(id).stream()
                .map(step -> new TrailStepView(entry(step.entry()), step.runningBalances())).toList();
        Map<String, Long> last = steps.isEmpty() ? Map.of() : steps.get(steps.size() - 1).runningBalances();
        return new MoneyTrailView("money_trail", id, order.currencyCode(), order.status().wire(),
                order.money().paymentStatus().wire(), steps, last);
    }

    @PostMapping("/v1/ledger/adjustments")
    @Operation(summary = "An operator's balanced adjustment, with why; who is the authenticated key. Idempotent by"
            + " reference. Above MONEYTRAIL_LEDGER_APPROVAL_ABOVE (minor units) it is not posted: 202 with a"
            + " proposal (status proposed) that another key or user approves")
    ResponseEntity<?> adjust(@RequestBody Adjustment body) {
        refuseActor(body == null ? null : body.actor());
        if (body == null || body.lines() == null || body.lines().isEmpty()) {
            throw MoneytrailException.invalid("parameter_missing", "lines", "an adjustment needs balanced lines");
        }
        if (body.reason() == null || body.reason().isBlank() || body.reason().length() > 500) {
            throw MoneytrailException.invalid("parameter_missing", "reason", "say why (1 to 500 characters)");
        }
        List<Posting> lines = postings(body.lines(), accounts, "lines");
        if (body.order() != null) {
            orders.get(body.order());
        }
        String reference = body.reference() == null ? Ids.next("adj_") : body.reference();
        if (reference.length() > 200) {
            throw MoneytrailException.invalid("parameter_too_long", "reference", "reference is at most 200 characters");
        }
        String actor = AuditTrail.label(Actors.current().orElseThrow());
        Instant given = body.effectiveAt() == null ? null : instant(body.effectiveAt(), "effective_at", false);
        if (proposals.needsApproval(lines)) {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(proposal(proposals.propose(reference, body.order(),
                    lines, body.reason(), given, Actors.current().orElseThrow())));
        }
        Instant effective;
        if (given != null) {
            effective = given;
        } else {
            // a retry of the same reference without an explicit time is the same adjustment
            effective = journal.bySource(PostingRules.SOURCE_ADJUSTMENT, reference).map(JournalEntry::effectiveAt)
                    .orElse(clock.instant());
        }
        return ResponseEntity.ok(entry(journal.adjust(PostingRules.adjustment(reference, body.order(), lines, actor,
                body.reason(), effective))));
    }

    @GetMapping("/v1/ledger/adjustments")
    @Operation(summary = "Adjustment proposals under the four-eyes rule, newest first, filtered by status")
    Views.ListView<ProposalView> proposals(@RequestParam(required = false) String status,
                                           @RequestParam(required = false) Integer limit,
                                           @RequestParam(name = "starting_after", required = false) String startingAfter) {
        if (status != null && !List.of("proposed", "approved", "rejected").contains(status)) {
            throw MoneytrailException.invalid("parameter_invalid", "status", "status is proposed, approved or rejected");
        }
        int size = Pages.limit(limit);
        List<AdjustmentProposals.Proposal> page = proposals.list(status,
                Pages.cursor(startingAfter, AdjustmentProposals.ID_PREFIX), size + 1);
        return Views.list(page.stream().limit(size).map(this::proposal).toList(), page.size() > size,
                "/v1/ledger/adjustments");
    }

    @GetMapping("/v1/ledger/adjustments/{id}")
    @Operation(summary = "One adjustment proposal and how it was decided")
    ProposalView proposal(@PathVariable String id) {
        return proposal(proposals.find(id).orElseThrow(() -> MoneytrailException.notFound("id", id)));
    }

    @PostMapping("/v1/ledger/adjustments/{id}/approve")
    @Operation(summary = "Approve a proposed adjustment and post it; the proposer may not (403 approver_is_proposer),"
            + " a decided one is 409 proposal_already_decided")
    ProposalView approve(@PathVariable String id) {
        return proposal(proposals.approve(id, Actors.current().orElseThrow()));
    }

    @PostMapping("/v1/ledger/adjustments/{id}/reject")
    @Operation(summary = "Reject a proposed adjustment, with a reason; nothing is posted")
    ProposalView reject(@PathVariable String id, @RequestBody(required = false) Decision body) {
        return proposal(proposals.reject(id, body == null ? null : body.reason(), Actors.current().orElseThrow()));
    }

    private ProposalView proposal(AdjustmentProposals.Proposal p) {
        return new ProposalView(p.id(), "ledger_adjustment", p.status(), p.reference(), p.orderId(), p.amountMinor(),
                p.currency(), p.lines().stream().map(l -> new LineView(l.account(),
                        Math.max(l.amount().amountMinor(), 0), Math.max(-l.amount().amountMinor(), 0),
                        l.amount().currencyCode())).toList(), p.reason(),
                p.effectiveAt() == null ? null : p.effectiveAt().toString(), p.proposedBy(), p.proposedAt().toString(),
                p.decidedBy(), p.decidedAt() == null ? null : p.decidedAt().toString(), p.decisionReason(),
                p.journalEntryId(), proposals.threshold());
    }

    /**
     * Who acted is the authenticated key or user, never a name in the body: a body that still names
     * an {@code actor} is refused rather than silently ignored, so no client believes it recorded one.
     */
    static void refuseActor(String actor) {
        if (actor != null) {
            throw MoneytrailException.invalid("parameter_unknown", "actor",
                    "actor is not accepted: who acted is the authenticated API key or user; remove actor");
        }
    }

    /** Balanced-or-not adjustment lines as postings, each checked (the journal checks the balance). */
    static List<Posting> postings(List<AdjustmentLine> given, ChartOfAccounts accounts, String param) {
        if (given.size() > 100) {
            throw MoneytrailException.invalid("too_many_lines", param, "at most 100 lines");
        }
        List<Posting> lines = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            AdjustmentLine line = given.get(i);
            String at = param + "[" + i + "]";
            if (line == null || line.account() == null) {
                throw MoneytrailException.invalid("parameter_missing", at + "[account]", "account is required");
            }
            accounts.require(line.account(), at + "[account]");
            if (line.amount() == null || line.amount() <= 0 || line.amount() > Money.AMOUNT_MINOR_MAX) {
                throw MoneytrailException.invalid("amount_invalid", at + "[amount]",
                        "amount must be a positive integer in minor units");
            }
            Money amount = new Money(line.amount(), currency(line.currency(), at + "[currency]"));
            if ("debit".equals(line.direction())) {
                lines.add(Posting.debit(line.account(), amount));
            } else if ("credit".equals(line.direction())) {
                lines.add(Posting.credit(line.account(), amount));
            } else {
                throw MoneytrailException.invalid("parameter_invalid", at + "[direction]", "direction is debit or credit");
            }
        }
        return lines;
    }

    static EntryView entry(JournalEntry entry) {
        return new EntryView(entry.id(), "journal_entry", entry.sourceType(), entry.sourceId(), entry.orderId(),
                entry.effectiveAt().toString(), entry.recordedAt().toString(), entry.description(), entry.reverses(),
                entry.actor(), entry.reason(), entry.lines().stream()
                .map(l -> new LineView(l.account(), Math.max(l.amountMinor(), 0), Math.max(-l.amountMinor(), 0),
                        l.currency())).toList());
    }

    private static java.util.Currency currency(String code, String param) {
        try {
            return Money.currency(code);
        } catch (MoneytrailException e) {
            throw MoneytrailException.invalid("currency_invalid", param, e.getMessage());
        }
    }

    private Instant asOf(String value) {
        return value == null ? clock.instant() : instant(value, "as_of", true);
    }

    /**
     * An instant given as ISO-8601 ({@code 2026-11-27T12:00:00Z}), epoch seconds, or a date
     * ({@code 2026-11-27}: its end when {@code endOfDay}, else its start, in UTC).
     */
    static Instant instant(String value, String param, boolean endOfDay) {
        try {
            if (value.matches("\\d{1,12}")) {
                return Dates.inRange(Instant.ofEpochSecond(Long.parseLong(value)), param);
            }
            if (value.matches("\\d{4}-\\d{2}-\\d{2}")) {
                LocalDate date = Dates.inRange(LocalDate.parse(value), param);
                Instant start = date.atStartOfDay().toInstant(ZoneOffset.UTC);
                return endOfDay ? date.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusNanos(1000) : start;
            }
            return Dates.inRange(Instant.parse(value), param);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw MoneytrailException.invalid("parameter_invalid", param,
                    param + " must be an ISO-8601 instant (2026-11-27T12:00:00Z), a date (2026-11-27) or epoch seconds");
        }
    }
}
