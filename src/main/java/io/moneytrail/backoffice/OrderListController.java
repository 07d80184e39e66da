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
 * {@code /admin/orders}: the search (an order id, a reference, the customer's e-mail or phone, a
 * provider's payment id), filters (status, payment status, provider, dates) and keyset pages;.
 */
@Controller
class OrderListController {

    /** Batches of candidates looked at to fill one page filtered by payment status or provider. */
    static final int FILTER_ROUNDS_MAX = 10;
    /** Orders in one batch of candidates. */
    static final int CANDIDATES = OrderSearch.CANDIDATES_MAX;

    private final OrderSearch search;
    private final PaymentLookups lookups;
    private final BackofficeProperties properties;

    OrderListController(OrderSearch search, PaymentLookups lookups, BackofficeProperties properties) {
        this.search = search;
        this.lookups = lookups;
        this.properties = properties;
    }

    /** The list's filters, as the form sends them (empty fields are absent). */
    record Filters(String q, String status, String paymentStatus, String provider, String from, String to) {
    }

    @GetMapping("/admin/orders")
    String list(@RequestParam(required = false) String q, @RequestParam(required = false) String status,
                @RequestParam(name = "payment_status", required = false) String paymentStatus,
                @RequestParam(required = false) String provider, @RequestParam(required = false) String from,
                @RequestParam(required = false) String to, @RequestParam(required = false) String after,
                Model model) {
        Filters filters = new Filters(blank(q), blank(status), blank(paymentStatus), blank(provider), blank(from),
                blank(to));
        int pageSize = properties.pageSize();
        OrderStatus lifecycle = filters.status() == null ? null : OrderStatus.fromWire(filters.status());
        PaymentStatus money = filters.paymentStatus() == null ? null : PaymentStatus.fromWire(filters.paymentStatus());
        List<String> alsoIds = filters.q() == null ? List.of() : lookups.orderIdsByProviderPaymentId(filters.q());
        Instant fromAt = day(filters.from(), properties, 0);
        Instant toAt = day(filters.to(), properties, 1);
        OrderSearch.Criteria criteria = new OrderSearch.Criteria(filters.q(), alsoIds, null, lifecycle, fromAt, toAt);
        // the payment status and the provider are the payment module's: the orders are read in batches of
        // candidates, newest first, and those two filters applied to each batch, up to FILTER_ROUNDS_MAX batches
        boolean filtered = money != null || filters.provider() != null;
        int batch = filtered ? CANDIDATES : pageSize + 1;
        List<OrderSearch.Row> page = new ArrayList<>();
        String cursor = blank(after);
        String next = null;
        for (int round = 0; ; round++) {
            List<OrderSearch.Row> candidates = search.search(criteria, cursor, batch);
            Set<String> withProvider = filters.provider() == null ? null : lookups.ordersWithProvider(
                    filters.provider(), candidates.stream().map(OrderSearch.Row::id).toList());
            for (OrderSearch.Row row : candidates) {
                boolean moneyMatches = money == null || row.money() != null && row.money().paymentStatus() == money;
                if (moneyMatches && (withProvider == null || withProvider.contains(row.id()))) {
                    page.add(row);
                }
            }
            if (page.size() > pageSize) {
                page = page.subList(0, pageSize);
                next = page.get(pageSize - 1).id();
                break;
            }
            if (candidates.size() < batch) {
                break; // no more orders
            }
            cursor = candidates.get(candidates.size() - 1).id();
            if (!filtered) {
                break; // unreachable: a full batch of an unfiltered list is a page and one more, handled above
            }
            if (round + 1 >= FILTER_ROUNDS_MAX) {
                next = cursor; // not full, but this many orders were looked at: the next page goes on from here
                break;
            }
        }
        model.addAttribute("filters", filters);
        model.addAttribute("orders", page);
        model.addAttribute("next", next);
        model.addAttribute("statuses", OrderStatus.values());
        model.addAttribute("paymentStatuses", PaymentStatus.values());
        model.addAttribute("first", after == null || after.isBlank());
        return "admin/orders";
    }

    private static Instant day(String value, BackofficeProperties properties, int plusDays) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value).plusDays(plusDays).atStartOfDay(properties.timeZone()).toInstant();
        } catch (DateTimeParseException e) {
            throw MoneytrailException.invalid("parameter_invalid", "date", "a date is YYYY-MM-DD: " + value);
        }
    }

    static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
