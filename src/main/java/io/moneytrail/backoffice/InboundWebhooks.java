package io.moneytrail.backoffice;

import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.webhook.WebhookInbox;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The inbound half of {@code /admin/events}: what providers sent us (newest first, rejected ones
 * included), each with its verification (a rejected one with why) and its processing (processed,
 * unmatched, failed, with the attempts and the last error), filtered by status, in keyset pages;
 * and a retry of a stored event that is not processed yet, through the inbox's own retry.
 */
@Controller
class InboundWebhooks {

    static final int ROWS_MAX = 50;
    static final List<String> STATUSES = List.of("received", "processed", "unmatched", "failed", "rejected");

    private final WebhookInbox inbox;
    private final MessageSource messages;
    private final ActionAudit audit;

    InboundWebhooks(WebhookInbox inbox, MessageSource messages, ActionAudit audit) {
        this.inbox = inbox;
        this.audit = audit;
        this.messages = messages;
    }

    /** Adds the inbound list to the events page's model. */
    static void addTo(Model model, WebhookInbox inbox, String status, String after) {
        if (status != null && !STATUSES.contains(status)) {
            throw MoneytrailException.invalid("parameter_invalid", "in_status", "an inbound webhook's status is one of "
                    + String.join(", ", STATUSES));
        }
        if (after != null && !Ids.hasPrefix(after, Ids.WEBHOOK)) {
            throw MoneytrailException.invalid("parameter_invalid", "in_after", "an inbound webhook's id starts with "
                    + Ids.WEBHOOK);
        }
        List<WebhookInbox.StoredEvent> page = inbox.list(status, after, ROWS_MAX + 1);
        boolean more = page.size() > ROWS_MAX;
        List<WebhookInbox.StoredEvent> shown = more ? page.subList(0, ROWS_MAX) : page;
        model.addAttribute("inbound", shown);
        model.addAttribute("inStatus", status);
        model.addAttribute("inStatuses", STATUSES);
        model.addAttribute("inNext", more ? shown.get(shown.size() - 1).id() : null);
        model.addAttribute("inFirst", after == null);
        model.addAttribute("inAfter", after);
    }

    /** Whether an operator may ask for another attempt: stored, verified and not processed. */
    static boolean retryable(WebhookInbox.StoredEvent event) {
        return !"processed".equals(event.status()) && !"rejected".equals(event.status());
    }

    @PostMapping("/admin/events/inbound/{id}/retry")
    String retry(@PathVariable String id, RedirectAttributes redirect, Locale locale) {
        if (!Ids.hasPrefix(id, Ids.WEBHOOK)) {
            throw MoneytrailException.notFound("id", id);
        }
        var receipt = inbox.retry(id);
        if (receipt.isEmpty()) {
            redirect.addFlashAttribute("problem", messages.getMessage("eventsx.retry.not", new Object[] {id}, locale));
        } else {
            audit.recordPage("backoffice.webhook.retry", "inbound_webhook", id,
                    java.util.Map.of("status", receipt.get().status().name().toLowerCase(Locale.ROOT)));
            redirect.addFlashAttribute("notice", messages.getMessage("eventsx.retry.done",
                    new Object[] {id, receipt.get().status().name().toLowerCase(Locale.ROOT),
                            receipt.get().detail() == null ? "" : receipt.get().detail()}, locale));
        }
        return "redirect:/admin/events#inbound";
    }
}
