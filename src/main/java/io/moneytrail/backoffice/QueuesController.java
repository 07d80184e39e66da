package io.moneytrail.backoffice;

import io.moneytrail.ledger.Balances;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.reconrun.ExceptionStatus;
import io.moneytrail.reconrun.ReconExceptions;
import io.moneytrail.webhook.Outbox;
import io.moneytrail.webhook.OutboxEvent;
import io.moneytrail.webhook.WebhookInbox;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The lists the dashboard's numbers lead to, read through their modules' APIs: the reviews
 * ({@code /admin/reviews}), outbound events with redelivery of parked ones ({@code /admin/events}),
 * the reconciliation exceptions ({@code /admin/reconciliation}) and the trial balance as of a date
 * ({@code /admin/ledger}).
 */
@Controller
class QueuesController {

    static final int ROWS_MAX = 100;
    /** Outbound events on one page of /admin/events (the inbound webhooks follow them). */
    static final int OUTBOUND_ROWS = 20;

    private final PaymentQueries payments;
    private final Outbox outbox;
    private final WebhookInbox inbox;
    private final ReconExceptions exceptions;
    private final Balances balances;
    private final BackofficeProperties properties;
    private final MessageSource messages;
    private final Clock clock;

    QueuesController(PaymentQueries payments, Outbox outbox, ReconExceptions exceptions, Balances balances,
                     BackofficeProperties properties, MessageSource messages, Clock clock, WebhookInbox inbox) {
        this.inbox = inbox;
        this.payments = payments;
        this.outbox = outbox;
        this.exceptions = exceptions;
        this.balances = balances;
        this.properties = properties;
        this.messages = messages;
        this.clock = clock;
    }

    @GetMapping("/admin/reviews")
    String reviews(Model model) {
        PaymentQueries.Reviews reviews = payments.reviews(ROWS_MAX);
        model.addAttribute("reviews", reviews);
        return "admin/reviews";
    }

    @GetMapping("/admin/events")
    String events(@RequestParam(required = false) String after,
                  @RequestParam(name = "in_status", required = false) String inStatus,
                  @RequestParam(name = "in_after", required = false) String inAfter, Model model) {
        InboundWebhooks.addTo(model, inbox, OrderListController.blank(inStatus), OrderListController.blank(inAfter));
        // each section pages on its own, and its links keep the other's place: the outbound events are
        // OUTBOUND_ROWS a page so that the inbound section below is in reach
        List<OutboxEvent> page = outbox.list(null, null, OrderListController.blank(after), OUTBOUND_ROWS + 1);
        boolean more = page.size() > OUTBOUND_ROWS;
        List<OutboxEvent> shown = more ? page.subList(0, OUTBOUND_ROWS) : page;
        model.addAttribute("outAfter", OrderListController.blank(after));
        model.addAttribute("events", shown);
        model.addAttribute("deliveries", shown.stream().collect(Collectors.toMap(OutboxEvent::id,
                e -> outbox.deliveries(e.id()))));
        model.addAttribute("next", more ? shown.get(shown.size() - 1).id() : null);
        model.addAttribute("parked", outbox.parkedDeliveries());
        return "admin/events";
    }

    @PostMapping("/admin/events/{id}/redeliver")
    String redeliver(@PathVariable String id, RedirectAttributes redirect, Locale locale) {
        outbox.get(id);
        int again = outbox.redeliver(id);
        redirect.addFlashAttribute("notice", messages.getMessage("events.redelivered", new Object[] {id, again},
                locale));
        return "redirect:/admin/events";
    }

    @GetMapping("/admin/ledger")
    String ledger(@RequestParam(name = "as_of", required = false) String asOf, Model model) {
        Instant at = clock.instant();
        String day = OrderListController.blank(asOf);
        if (day != null) {
            try {
                at = LocalDate.parse(day).plusDays(1).atStartOfDay(properties.timeZone()).toInstant();
            } catch (DateTimeParseException e) {
                throw MoneytrailException.invalid("parameter_invalid", "as_of", "a date is YYYY-MM-DD: " + asOf);
            }
        }
        model.addAttribute("asOf", day);
        model.addAttribute("trial", balances.trialBalance(at));
        LocalDate today = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
        model.addAttribute("exportFrom", today.withDayOfMonth(1));
        model.addAttribute("exportTo", today);
        model.addAttribute("exportFormats", LedgerPagesController.formats());
        return "admin/ledger";
    }
}
