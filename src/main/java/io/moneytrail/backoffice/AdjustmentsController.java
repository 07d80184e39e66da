package io.moneytrail.backoffice;

import io.moneytrail.access.Actor;
import io.moneytrail.access.Actors;
import io.moneytrail.access.AuditTrail;
import io.moneytrail.ledger.AdjustmentProposals;
import io.moneytrail.ledger.ChartOfAccounts;
import io.moneytrail.ledger.Journal;
import io.moneytrail.ledger.JournalEntry;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.ledger.Posting;
import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.OrderService;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Ledger adjustments in the back office ({@code /admin/ledger/adjustments}): a form that posts a
 * two-line adjustment, or, above {@code MONEYTRAIL_LEDGER_APPROVAL_ABOVE}, proposes it; the
 * proposals waiting and decided; approve and reject through a confirmation with a one-time key.
 * The same service as the API's ({@link AdjustmentProposals}) decides and writes the audit rows;
 * the proposer gets no approve button and the service refuses them anyway.
 */
@Controller
class AdjustmentsController {

    static final int ROWS_MAX = 50;

    private final AdjustmentProposals proposals;
    private final Journal journal;
    private final ChartOfAccounts accounts;
    private final OrderService orders;
    private final MessageSource messages;
    private final Clock clock;

    AdjustmentsController(AdjustmentProposals proposals, Journal journal, ChartOfAccounts accounts,
                          OrderService orders, MessageSource messages, Clock clock) {
        this.proposals = proposals;
        this.journal = journal;
        this.accounts = accounts;
        this.orders = orders;
        this.messages = messages;
        this.clock = clock;
    }

    @GetMapping("/admin/ledger/adjustments")
    String list(Model model) {
        model.addAttribute("waiting", proposals.list("proposed", null, ROWS_MAX));
        model.addAttribute("decided", proposals.list(null, null, ROWS_MAX).stream().filter(p -> !p.proposed())
                .toList());
        model.addAttribute("accounts", accounts.all());
        model.addAttribute("threshold", proposals.threshold());
        model.addAttribute("key", UUID.randomUUID().toString());
        return "admin/adjustments";
    }

    @PostMapping("/admin/ledger/adjustments")
    String propose(@RequestParam String debit, @RequestParam String credit, @RequestParam String amount,
                   @RequestParam String currency, @RequestParam(required = false) String reason,
                   @RequestParam(required = false) String order, @RequestParam String key, HttpSession session,
                   RedirectAttributes redirect, Locale locale) {
        try {
            String why = reason == null ? "" : reason.strip();
            if (why.isEmpty() || why.length() > OrderActionsController.REASON_LENGTH_MAX) {
                throw MoneytrailException.invalid("parameter_missing", "reason", "say why (1 to 500 characters)");
            }
            accounts.require(debit, "debit");
            accounts.require(credit, "credit");
            if (debit.equals(credit)) {
                throw MoneytrailException.invalid("parameter_invalid", "credit", "debit and credit are one account");
            }
            java.util.Currency cur = Money.currency(currency.strip().toUpperCase(Locale.ROOT));
            long minor = OrderActionsController.minor(amount.strip(), cur.getCurrencyCode(), true);
            String orderId = OrderListController.blank(order);
            if (orderId != null) {
                orders.get(orderId);
            }
            if (!OrderActionsController.markUsed(session, key)) {
                redirect.addFlashAttribute("notice", messages.getMessage("action.already", null, locale));
                return "redirect:/admin/ledger/adjustments";
            }
            Money money = new Money(minor, cur);
            List<Posting> lines = List.of(Posting.debit(debit, money), Posting.credit(credit, money));
            Actor me = Actors.current().orElseThrow();
            String reference = "backoffice:" + key; // a form sent twice is one adjustment
            if (proposals.needsApproval(lines)) {
                AdjustmentProposals.Proposal p = proposals.propose(reference, orderId, lines, why, null, me);
                redirect.addFlashAttribute("notice", messages.getMessage("adjust.proposed",
                        new Object[] {p.id()}, locale));
            } else {
                JournalEntry entry = journal.adjust(PostingRules.adjustment(reference, orderId, lines,
                        AuditTrail.label(me), why, clock.instant()));
                redirect.addFlashAttribute("notice", messages.getMessage("adjust.posted",
                        new Object[] {entry.id()}, locale));
            }
        } catch (MoneytrailException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/admin/ledger/adjustments";
    }

    @GetMapping("/admin/ledger/adjustments/{id}/{decision:approve|reject}")
    String confirm(@PathVariable String id, @PathVariable String decision, Model model, Locale locale) {
        AdjustmentProposals.Proposal p = proposals.find(id).orElseThrow(() -> MoneytrailException.notFound("id", id));
        Formats fmt = (Formats) model.getAttribute("fmt");
        model.addAttribute("p", p);
        model.addAttribute("decision", decision);
        model.addAttribute("own", p.proposedBy(Actors.current().orElseThrow()));
        model.addAttribute("sentence", sentence(p, decision, fmt, locale));
        model.addAttribute("key", UUID.randomUUID().toString());
        return "admin/adjustment-confirm";
    }

    @PostMapping("/admin/ledger/adjustments/{id}/{decision:approve|reject}")
    String decide(@PathVariable String id, @PathVariable String decision,
                  @RequestParam(required = false) String reason, @RequestParam String key, HttpSession session,
                  RedirectAttributes redirect, Locale locale) {
        if (!OrderActionsController.markUsed(session, key)) {
            redirect.addFlashAttribute("notice", messages.getMessage("action.already", null, locale));
            return "redirect:/admin/ledger/adjustments";
        }
        Actor me = Actors.current().orElseThrow();
        try {
            AdjustmentProposals.Proposal p = decision.equals("approve") ? proposals.approve(id, me)
                    : proposals.reject(id, reason == null ? null : reason.strip(), me);
            redirect.addFlashAttribute("notice", messages.getMessage("adjust.done." + decision,
                    new Object[] {p.id(), p.journalEntryId()}, locale));
        } catch (MoneytrailException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/admin/ledger/adjustments";
    }

    private String sentence(AdjustmentProposals.Proposal p, String decision, Formats fmt, Locale locale) {
        String debit = p.lines().stream().filter(l -> l.amount().amountMinor() > 0).map(Posting::account)
                .reduce((a, b) -> a + ", " + b).orElse("");
        String credit = p.lines().stream().filter(l -> l.amount().amountMinor() < 0).map(Posting::account)
                .reduce((a, b) -> a + ", " + b).orElse("");
        return messages.getMessage("adjust.confirm." + decision, new Object[] {fmt.money(p.amountMinor(),
                p.currency()), debit, credit, p.proposedBy()}, locale);
    }
}
