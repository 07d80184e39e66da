package io.moneytrail.backoffice;

import io.moneytrail.ledger.Balances;
import io.moneytrail.order.OrderSearch;
import io.moneytrail.payment.PaymentLookups;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.reconrun.ExceptionStatus;
import io.moneytrail.reconrun.ReconExceptions;
import io.moneytrail.webhook.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code /admin}: today and the last 7 days in the store's time zone (orders, paid orders,
 * conversion, refunds), and what waits for someone (open reconciliation exceptions, reviews,
 * payments unknown for over an hour, parked outbound deliveries, whether the books balance).
 */
@Controller
class DashboardController {

    /** A payment whose outcome is unknown for longer than this is shown as stuck. */
    static final Duration UNKNOWN_STUCK_AFTER = Duration.ofHours(1);
    /** Counts of queues are exact up to this, then shown as "100+". */
    static final int QUEUE_COUNT_MAX = 100;

    private final OrderSearch orders;
    private final PaymentLookups payments;
    private final PaymentQueries reviews;
    private final ReconExceptions exceptions;
    private final Outbox outbox;
    private final Balances balances;
    private final BackofficeProperties properties;
    private final Clock clock;

    DashboardController(OrderSearch orders, PaymentLookups payments, PaymentQueries reviews,
                        ReconExceptions exceptions, Outbox outbox, Balances balances, BackofficeProperties properties,
                        Clock clock) {
        this.orders = orders;
        this.payments = payments;
        this.reviews = reviews;
        this.exceptions = exceptions;
        this.outbox = outbox;
        this.balances = balances;
        this.properties = properties;
        this.clock = clock;
    }

    /** One column of the dashboard: a period's figures and the list filters behind them. */
    record Period(String key, LocalDate from, Instant fromAt, Instant toAt, long orders, long paid, long refunds) {
        public double conversion() {
            return orders == 0 ? 0 : (double) paid / orders;
        }
    }

    @GetMapping("/admin")
    String dashboard(Model model) {
        Instant now = clock.instant();
        ZoneId zone = properties.timeZone();
        LocalDate today = LocalDate.ofInstant(now, zone);
        model.addAttribute("periods", java.util.List.of(period("today", today, now, zone),
                period("week", today.minusDays(6), now, zone)));
        PaymentQueries.Reviews waiting = reviews.reviews(QUEUE_COUNT_MAX);
        model.addAttribute("reviews", waiting.payments().size() + waiting.refunds().size()
                + waiting.compensations().size());
        model.addAttribute("exceptions", exceptions.list(ExceptionStatus.OPEN, null, null, null,
                QUEUE_COUNT_MAX + 1).size());
        model.addAttribute("unknown", payments.figures(now, now, now.minus(UNKNOWN_STUCK_AFTER)).paymentsUnknown());
        model.addAttribute("parked", outbox.parkedDeliveries());
        model.addAttribute("balanced", balances.trialBalance(now).balanced());
        model.addAttribute("countMax", QUEUE_COUNT_MAX);
        return "admin/dashboard";
    }

    private Period period(String key, LocalDate from, Instant now, ZoneId zone) {
        Instant fromAt = from.atStartOfDay(zone).toInstant();
        OrderSearch.Counts counts = orders.count(fromAt, now);
        PaymentLookups.Figures figures = payments.figures(fromAt, now, now);
        return new Period(key, from, fromAt, now, counts.created(), figures.ordersCaptured(), figures.refunds());
    }
}
