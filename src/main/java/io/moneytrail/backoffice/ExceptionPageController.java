package io.moneytrail.backoffice;

import io.moneytrail.access.Actors;
import io.moneytrail.ledger.ChartOfAccounts;
import io.moneytrail.ledger.Posting;
import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.reconrun.ExceptionStatus;
import io.moneytrail.reconrun.ReconException;
import io.moneytrail.reconrun.ReconExceptions;
import jakarta.servlet.http.HttpSession;
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
import tools.jackson.databind.ObjectMapper;

/**
 * One reconciliation exception ({@code /admin/reconciliation/exceptions/{id}}): its evidence, its
 * history, and the actions its status allows — acknowledge, then resolve (with a reason and,
 * optionally, a linked two-line ledger adjustment) or ignore (with a reason). Each form carries a
 * one-time key; the action is the API's service method ({@link ReconExceptions#act}), which keeps
 * the history and writes the audit row.
 */
@Controller
class ExceptionPageController {

    private final ReconExceptions exceptions;
    private final ChartOfAccounts accounts;
    private final MessageSource messages;
    private final ObjectMapper json;

    ExceptionPageController(ReconExceptions exceptions, ChartOfAccounts accounts, MessageSource messages,
                            ObjectMapper json) {
        this.exceptions = exceptions;
        this.accounts = accounts;
        this.messages = messages;
        this.json = json;
    }

    @GetMapping("/admin/reconciliation/exceptions/{id}")
    String exception(@PathVariable String id, Model model) {
        ReconException x = exceptions.find(id).orElseThrow(() -> MoneytrailException.notFound("id", id));
        model.addAttribute("x", x);
        model.addAttribute("status", x.status().wire());
        model.addAttribute("evidence", json.writerWithDefaultPrettyPrinter()
                .writeValueAsString(json.readTree(x.evidenceJson())));
        model.addAttribute("history", exceptions.events(id));
        String currency = json.readTree(x.evidenceJson()).path("currency").asText("");
        model.addAttribute("currency", currency.matches("[A-Z]{3}") ? currency : "EUR");
        model.addAttribute("accounts", accounts.all());
        model.addAttribute("canAcknowledge", x.status() == ExceptionStatus.OPEN);
        String pending = exceptions.pendingProposal(id).orElse(null);
        model.addAttribute("pending", pending);
        // a resolution waiting for its adjustment's approval is decided by that approval, not here
        model.addAttribute("canDecide", x.status() == ExceptionStatus.ACKNOWLEDGED && pending == null);
        model.addAttribute("key", UUID.randomUUID().toString());
        return "admin/exception";
    }

    @PostMapping("/admin/reconciliation/exceptions/{id}/{action:acknowledge|resolve|ignore}")
    String act(@PathVariable String id, @PathVariable String action, @RequestParam(required = false) String reason,
               @RequestParam(required = false) String debit, @RequestParam(required = false) String credit,
               @RequestParam(required = false) String amount, @RequestParam(required = false) String currency,
               @RequestParam String key, HttpSession session, RedirectAttributes redirect, Locale locale) {
        String back = "redirect:/admin/reconciliation/exceptions/" + id;
        try {
            String why = OrderListController.blank(reason);
            List<Posting> lines = null;
            if (action.equals("resolve") && OrderListController.blank(amount) != null) {
                accounts.require(debit, "debit");
                accounts.require(credit, "credit");
                if (debit.equals(credit)) {
                    throw MoneytrailException.invalid("parameter_invalid", "credit", "debit and credit are one account");
                }
                java.util.Currency cur = Money.currency(currency == null ? "" : currency.strip()
                        .toUpperCase(Locale.ROOT));
                Money money = new Money(OrderActionsController.minor(amount.strip(), cur.getCurrencyCode(), true), cur);
                lines = List.of(Posting.debit(debit, money), Posting.credit(credit, money));
            }
            if (!OrderActionsController.markUsed(session, key)) {
                redirect.addFlashAttribute("notice", messages.getMessage("action.already", null, locale));
                return back;
            }
            ReconException done = exceptions.act(id, ExceptionStatus.Action.valueOf(action.toUpperCase(Locale.ROOT)),
                    why, Actors.current().orElseThrow(), lines);
            String pending = lines == null ? null : exceptions.pendingProposal(id).orElse(null);
            if (pending != null) {
                redirect.addFlashAttribute("notice", messages.getMessage("recon.done.proposed",
                        new Object[] {pending}, locale));
                return back;
            }
            redirect.addFlashAttribute("notice", messages.getMessage("recon.done." + action,
                    new Object[] {done.ledgerEntryId()}, locale)
                    + (lines != null ? " " + messages.getMessage("recon.done.linked",
                    new Object[] {done.ledgerEntryId()}, locale) : ""));
        } catch (MoneytrailException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return back;
    }
}
