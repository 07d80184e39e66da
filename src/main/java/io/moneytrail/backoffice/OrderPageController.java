package io.moneytrail.backoffice;

import io.moneytrail.access.Actor;
import io.moneytrail.access.Actors;
import io.moneytrail.access.AuditLog;
import io.moneytrail.access.AuditRecord;
import io.moneytrail.access.BackofficeRules;
import io.moneytrail.ledger.Balances;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.Order;
import io.moneytrail.order.OrderSearch;
import io.moneytrail.order.OrderService;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.PaymentStatus;
import io.moneytrail.order.Timeline;
import io.moneytrail.payment.Payment;
import io.moneytrail.payment.PaymentLookups;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.webhook.Outbox;
import io.moneytrail.webhook.OutboxDelivery;
import io.moneytrail.webhook.OutboxEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/orders/{id}}: lines, payments, refunds, the timeline (its fragment is polled), the
 * money trail, outbound events and the audit rows of the order, with the actions the user may take.
 */
@Controller
class OrderPageController {

    static final int EVENTS_MAX = 100;
    static final int AUDIT_ROWS_MAX = 100;
    /** The objects of one order whose audit rows are shown: the order, its payments and refunds. */
    static final int AUDIT_OBJECTS_MAX = 20;

    private final OrderService orders;
    private final PaymentQueries payments;
    private final PaymentLookups lookups;
    private final Timeline timeline;
    private final Balances balances;
    private final Outbox outbox;
    private final AuditLog audit;

    OrderPageController(OrderService orders, PaymentQueries payments, PaymentLookups lookups, Timeline timeline,
                        Balances balances, Outbox outbox, AuditLog audit) {
        this.orders = orders;
        this.payments = payments;
        this.lookups = lookups;
        this.timeline = timeline;
        this.balances = balances;
        this.outbox = outbox;
        this.audit = audit;
    }

    @GetMapping("/admin/orders/{id}")
    String order(@PathVariable String id, Model model) {
        Order order = orders.get(id);
        List<Payment> attempts = payments.ofOrder(id);
        model.addAttribute("order", order);
        model.addAttribute("payments", attempts);
        model.addAttribute("refunds", lookups.refundsOfOrder(id));
        model.addAttribute("timeline", timeline.of(id));
        Actor me = Actors.current().orElseThrow();
        boolean books = BackofficeRules.allows(me.role(), "GET", "/admin/orders/" + id + "/ledger");
        model.addAttribute("books", books);
        if (books) {
            List<Balances.TrailStep> trail = balances.moneyTrail(id);
            model.addAttribute("trail", trail);
            Set<String> accounts = new LinkedHashSet<>();
            trail.forEach(step -> step.entry().lines().forEach(line -> accounts.add(line.account())));
            model.addAttribute("accounts", List.copyOf(accounts));
        }
        List<OutboxEvent> events = outbox.list(null, id, null, EVENTS_MAX);
        model.addAttribute("events", events);
        model.addAttribute("deliveries", events.stream().collect(java.util.stream.Collectors.toMap(
                OutboxEvent::id, e -> outbox.deliveries(e.id()))));
        if (BackofficeRules.allows(me.role(), "GET", "/admin/audit-log")) {
            model.addAttribute("audit", auditOf(order, attempts));
        }
        return "admin/order";
    }

    /** The fragment the order page polls: the timeline as it is now. */
    @GetMapping("/admin/orders/{id}/timeline")
    String timeline(@PathVariable String id, Model model) {
        orders.requireExists(id);
        model.addAttribute("timeline", timeline.of(id));
        model.addAttribute("orderId", id);
        return "admin/order :: timeline";
    }

    private List<AuditRecord> auditOf(Order order, List<Payment> attempts) {
        List<String> objects = new ArrayList<>();
        objects.add(order.id());
        attempts.forEach(p -> objects.add(p.id()));
        lookups.refundsOfOrder(order.id()).forEach(r -> objects.add(r.id()));
        List<AuditRecord> rows = new ArrayList<>();
        for (String object : objects.subList(0, Math.min(objects.size(), AUDIT_OBJECTS_MAX))) {
            rows.addAll(audit.list(new AuditLog.Filter(null, object, null, null, null), null, AUDIT_ROWS_MAX));
        }
        rows.sort(Comparator.comparing(AuditRecord::id).reversed());
        return rows.size() > AUDIT_ROWS_MAX ? rows.subList(0, AUDIT_ROWS_MAX) : rows;
    }

}
