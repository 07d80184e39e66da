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
import io.moneytrail.payment.OrderPaymentStatuses;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.webhook.Outbox;
import io.moneytrail.webhook.OutboxDelivery;
import io.moneytrail.webhook.OutboxEvent;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;

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
    private final OrderPaymentStatuses paymentStatuses;
    private final BackofficeProperties properties;

    OrderListController(OrderSearch search, PaymentLookups lookups, OrderPaymentStatuses paymentStatuses,
                        BackofficeProperties properties) {
        this.search = search;
        this.lookups = lookups;
        this.paymentStatuses = paymentStatuses;
        this.properties = properties;
    }

    /** The list's filters, as the form sends them (empty fields are absent). */
    record Filters(String q, String status, String paymentStatus, String provider, String from, String to) {
    }

    /**
     * One row of the list as the template prints it: every cell's text made here, once, in plain
     * Java (the template only copies strings; see docs/backoffice.md, "Speed").
     */
    record Line(String id, String href, String reference, String email, String phone, String total, String status,
                String paymentStatus, String paymentStatusLabel, String created) {
    }

    @GetMapping("/admin/orders")
    String list(@RequestParam(required = false) String q, @RequestParam(required = false) String status,
                @RequestParam(name = "payment_status", required = false) String paymentStatus,
                @RequestParam(required = false) String provider, @RequestParam(required = false) String from,
                @RequestParam(required = false) String to, @RequestParam(required = false) String after,
                Model model, HttpServletRequest request) {
        Filters filters = new Filters(blank(q), blank(status), blank(paymentStatus), blank(provider), blank(from),
                blank(to));
        int pageSize = properties.pageSize();
        OrderStatus lifecycle = filters.status() == null ? null : OrderStatus.fromWire(filters.status());
        PaymentStatus money = filters.paymentStatus() == null ? null : PaymentStatus.fromWire(filters.paymentStatus());
        List<String> alsoIds = filters.q() == null ? List.of() : lookups.orderIdsByProviderPaymentId(filters.q());
        Instant fromAt = day(filters.from(), properties, 0);
        Instant toAt = day(filters.to(), properties, 1);
        OrderSearch.Criteria criteria = new OrderSearch.Criteria(filters.q(), alsoIds, null, lifecycle, fromAt, toAt);
        // The payment status and the provider are the payment module's. A payment status other than unpaid
        // (without a text to search) is read from its read model, newest first in the list's own order, and the
        // order's other filters applied to those; otherwise the orders are read in batches, newest first, and
        // the payment status (unpaid: also orders without a row) and the provider checked for each batch. Up to
        // FILTER_ROUNDS_MAX batches; the rows' money is not read for candidates, only the page's status.
        boolean byStatus = money != null && money != PaymentStatus.UNPAID && filters.q() == null;
        boolean filtered = money != null || filters.provider() != null;
        boolean moreFilters = lifecycle != null || filters.provider() != null;
        int batch = !filtered || byStatus && !moreFilters ? pageSize + 1 : CANDIDATES;
        List<OrderSearch.Row> page = new ArrayList<>();
        Map<String, PaymentStatus> shownStatus = new HashMap<>();
        String cursor = blank(after);
        String next = null;
        for (int round = 0; ; round++) {
            List<OrderSearch.Row> candidates;
            int read;
            String last;
            if (byStatus) {
                List<String> ids = paymentStatuses.orderIds(money, fromAt, toAt, cursor, batch);
                read = ids.size();
                last = ids.isEmpty() ? null : ids.get(ids.size() - 1);
                candidates = ids.isEmpty() ? List.of() : search.rows(new OrderSearch.Criteria(null, null, ids,
                        lifecycle, fromAt, toAt), null, ids.size());
                candidates.forEach(row -> shownStatus.put(row.id(), money));
            } else {
                candidates = search.rows(criteria, cursor, batch);
                read = candidates.size();
                last = candidates.isEmpty() ? null : candidates.get(candidates.size() - 1).id();
                if (money != null) {
                    shownStatus.putAll(paymentStatuses.of(candidates.stream().map(OrderSearch.Row::id).toList()));
                }
            }
            Set<String> withProvider = filters.provider() == null ? null : lookups.ordersWithProvider(
                    filters.provider(), candidates.stream().map(OrderSearch.Row::id).toList());
            for (OrderSearch.Row row : candidates) {
                boolean moneyMatches = money == null || shownStatus.get(row.id()) == money;
                if (moneyMatches && (withProvider == null || withProvider.contains(row.id()))) {
                    page.add(row);
                }
            }
            if (page.size() > pageSize) {
                page = page.subList(0, pageSize);
                next = page.get(pageSize - 1).id();
                break;
            }
            if (read < batch) {
                break; // no more orders
            }
            cursor = last;
            if (!filtered) {
                break; // unreachable: a full batch of an unfiltered list is a page and one more, handled above
            }
            if (round + 1 >= FILTER_ROUNDS_MAX) {
                next = cursor; // not full, but this many orders were looked at: the next page goes on from here
                break;
            }
        }
        if (money == null) {
            shownStatus.putAll(paymentStatuses.of(page.stream().map(OrderSearch.Row::id).toList()));
        }
        Formats fmt = (Formats) model.getAttribute("fmt");
        Labels labels = (Labels) model.getAttribute("labels");
        String orderPath = request.getContextPath() + "/admin/orders/";
        List<Line> lines = new ArrayList<>(page.size());
        for (OrderSearch.Row row : page) {
            PaymentStatus shown = shownStatus.getOrDefault(row.id(), PaymentStatus.UNPAID);
            lines.add(new Line(row.id(), orderPath + UriUtils.encodePathSegment(row.id(), StandardCharsets.UTF_8),
                    row.reference(), row.customerEmail(), row.customerPhone(), fmt.money(row.amountTotal()),
                    labels.status(row.status().wire()), shown.wire(), labels.status(shown.wire()),
                    fmt.dateTime(row.created())));
        }
        model.addAttribute("filters", filters);
        model.addAttribute("orders", lines);
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
