package io.moneytrail.order;

import io.moneytrail.access.AuditTrail;
import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates and reads orders; moves an order's lifecycle through {@link OrderStatus#TABLE}. The
 * guards that depend on money (cancel, fulfil, expire) ask {@link OrderMoneyPort}, which the
 * payment module implements.
 */
@Service
public class OrderService {

    /** The largest unit code of 54-FZ tag 2108 (its table ends at 255, "other units"). */
    static final int MEASURE_MAX = 255;

    public static final int LINES_MAX = 500;
    public static final long QUANTITY_MAX = 1_000_000;
    public static final int METADATA_KEYS_MAX = 50;
    public static final int METADATA_KEY_LENGTH_MAX = 40;
    public static final int METADATA_VALUE_LENGTH_MAX = 500;
    public static final int TEXT_LENGTH_MAX = 500;
    public static final int PAGE_SIZE_MAX = 100;

    private final Orders orders;
    private final Timeline timeline;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final AuditTrail audit;
    private final OrderMoneyPort money;
    private final TransactionTemplate tx;

    /** Pages of ids asked of the payment module for one filtered list page, at most. */
    static final int PAYMENT_STATUS_ROUNDS_MAX = 10;

    /** The actor the timeline names for changes made through the API and the back office. */
    public static final String STORE = "store";

    /**
     * The port is injected lazily: its implementation (payment) locks orders through this
     * service, so each needs the other, and the port is first used after both exist.
     */
    OrderService(Orders orders, Timeline timeline, Clock clock, ApplicationEventPublisher events, AuditTrail audit,
                 @Lazy OrderMoneyPort money, TransactionTemplate tx) {
        this.audit = audit;
        this.money = money;
        this.tx = tx;
        this.orders = orders;
        this.timeline = timeline;
        this.clock = clock;
        this.events = events;
    }

    @Transactional
    public Order create(NewOrder request) {
        return create(request, null);
    }

    /**
     * Creates an order; with a {@code creationKey} (the request's scoped idempotency key), a
     * repeat after a crash returns the order the first run created.
     */
    @Transactional
    public Order create(NewOrder request, String creationKey) {
        if (creationKey != null) {
            Optional<Order> existing = orders.findByCreationKey(creationKey);
            if (existing.isPresent()) {
                return existing.get().withMoney(money.moneyOf(existing.get().id()));
            }
        }
        Currency currency = Money.currency(request.currency());
        List<NewOrder.Line> lines = request.lines();
        if (lines == null || lines.isEmpty()) {
            throw MoneytrailException.invalid("parameter_missing", "lines", "an order needs at least one line");
        }
        if (lines.size() > LINES_MAX) {
            throw MoneytrailException.invalid("too_many_lines", "lines",
                    "an order may have at most " + LINES_MAX + " lines, got " + lines.size());
        }
        text(request.reference(), "reference", false);
        text(request.customerEmail(), "customer[email]", false);
        text(request.customerPhone(), "customer[phone]", false);
        if (request.customerEmail() != null && !request.customerEmail().matches("[^@\\s]+@[^@\\s]+")) {
            throw MoneytrailException.invalid("email_invalid", "customer[email]", "not an e-mail address");
        }
        metadata(request.metadata());

        List<OrderLine> accepted = new ArrayList<>(lines.size());
        Money total = Money.zero(currency);
        long vatTotal = 0;
        for (int i = 0; i < lines.size(); i++) {
            NewOrder.Line line = lines.get(i);
            String at = "lines[" + i + "]";
            if (line == null) {
                throw MoneytrailException.invalid("parameter_missing", at, "line must be an object");
            }
            text(line.sku(), at + "[sku]", true);
            text(line.name(), at + "[name]", true);
            if (line.quantity() == null || line.quantity() < 1 || line.quantity() > QUANTITY_MAX) {
                throw MoneytrailException.invalid("quantity_invalid", at + "[quantity]",
                        "quantity must be a whole number from 1 to " + QUANTITY_MAX);
            }
            if (line.unitAmount() == null || line.unitAmount() < 1 || line.unitAmount() > Money.AMOUNT_MINOR_MAX) {
                throw MoneytrailException.invalid("amount_invalid", at + "[unit_amount]",
                        "unit_amount must be a positive integer in minor units, at most " + Money.AMOUNT_MINOR_MAX);
            }
            if (line.vatRate() != null && (line.vatRate() < 0 || line.vatRate() > 100)) {
                throw MoneytrailException.invalid("vat_rate_invalid", at + "[vat_rate]",
                        "vat_rate must be a whole percentage from 0 to 100, or null for no VAT");
            }
            String paymentObject = line.paymentObject() == null ? OrderLine.GOODS : line.paymentObject();
            if (!paymentObject.equals(OrderLine.GOODS) && !paymentObject.equals(OrderLine.SERVICE)) {
                throw MoneytrailException.invalid("parameter_invalid", at + "[payment_object]",
                        "payment_object is goods or service");
            }
            int measure = line.measure() == null ? 0 : line.measure();
            if (measure < 0 || measure > MEASURE_MAX) {
                throw MoneytrailException.invalid("parameter_invalid", at + "[measure]",
                        "measure is a unit code of 54-FZ tag 2108, from 0 (piece) to " + MEASURE_MAX);
            }
            long lineTotal;
            try {
                lineTotal = Math.multiplyExact(line.unitAmount(), line.quantity());
                total = total.plus(new Money(lineTotal, currency));
            } catch (ArithmeticException overflow) {
                throw MoneytrailException.invalid("amount_too_large", at, "order total overflows");
            }
            if (total.amountMinor() > Money.AMOUNT_MINOR_MAX) {
                throw MoneytrailException.invalid("amount_too_large", at,
                        "order total exceeds " + Money.AMOUNT_MINOR_MAX + " minor units");
            }
            long lineVat = Vat.includedIn(lineTotal, line.vatRate());
            vatTotal += lineVat;
            accepted.add(new OrderLine(line.sku(), line.name(), line.quantity(), line.unitAmount(), line.vatRate(),
                    lineTotal, lineVat, paymentObject, measure));
        }
        String id = Ids.next(Ids.ORDER);
        Instant now = clock.instant();
        Order created = orders.insert(id, request, total, vatTotal, accepted, now, creationKey);
        timeline.record(id, TimelineKind.ORDER_CREATED, "order created for " + total,
                Map.of("amount_total", total.amountMinor(), "currency", total.currencyCode(), "lines", accepted.size()));
        audit.record("order.create", "order", id);
        events.publishEvent(new OrderCreated(id, now));
        return created;
    }

    /** Throws not found unless the order exists; reads no money. */
    public void requireExists(String id) {
        orders.get(id);
    }

    /**
     * The order with its money, read in one statement (the order's tables and the payment
     * module's read model {@code order_money}): for the API's reads of one order outside a
     * transaction. Inside one that locked the order, use {@link #get}.
     */
    public Order read(String id) {
        return orders.findWithMoney(id).orElseThrow(() -> MoneytrailException.notFound("order", id));
    }

    /** The order with its money (from the payment module). */
    public Order get(String id) {
        Order order = orders.get(id);
        return order.withMoney(money.moneyOf(id));
    }

    /**
     * A page of orders, newest first. Filtered by payment status, the ids come from the payment
     * module's read model a page at a time (at most {@link #PAYMENT_STATUS_ROUNDS_MAX} pages).
     */
    public List<Order> list(String status, String paymentStatus, String startingAfter, int limit) {
        OrderStatus lifecycle = status == null ? null : parse(OrderStatus.class, status, "status");
        PaymentStatus payment = paymentStatus == null ? null : parse(PaymentStatus.class, paymentStatus, "payment_status");
        if (payment == null) {
            return withMoney(orders.list(lifecycle, startingAfter, limit));
        }
        List<Order> page = new ArrayList<>();
        String cursor = startingAfter;
        for (int round = 0; round < PAYMENT_STATUS_ROUNDS_MAX && page.size() < limit; round++) {
            List<String> ids = money.orderIdsWithPaymentStatus(payment, cursor, limit);
            Map<String, Order> found = new java.util.HashMap<>();
            orders.byIds(ids, lifecycle).forEach(o -> found.put(o.id(), o));
            for (String id : ids) {
                if (found.containsKey(id) && page.size() < limit) {
                    page.add(found.get(id));
                }
            }
            if (ids.size() < limit) {
                break;
            }
            cursor = ids.get(ids.size() - 1);
        }
        return withMoney(page);
    }

    private List<Order> withMoney(List<Order> page) {
        Map<String, OrderMoney> sums = money.moneyOf(page.stream().map(Order::id).toList());
        return page.stream().map(o -> o.withMoney(sums.get(o.id()))).toList();
    }

    /**
     * Locks the order row for the rest of the caller's transaction and answers its lifecycle.
     * Every change to an order or to any of its payments takes this lock first (then the
     * payment's), so they are serialised per order.
     */
    public OrderStatus lock(String orderId) {
        return orders.lock(orderId);
    }

    /** As {@link #lock}, answering the order as the lock read it (lifecycle, total, creation time). */
    public LockedOrder lockRead(String orderId) {
        return orders.lockRead(orderId);
    }

    /** As {@link #lock}, also reading the order's total (for a new payment), in one statement. */
    public LockedOrder lockForPayment(String orderId) {
        return orders.lockForPayment(orderId);
    }

    /** Open orders created before {@code cutoff}, oldest first, after the cursor: expiry candidates. */
    public List<OpenOrder> openCreatedBefore(Instant cutoff, OpenOrder after, int limit) {
        return orders.openCreatedBefore(cutoff, after == null ? null : after.created(),
                after == null ? null : after.id(), limit);
    }

    /**
     * Moves the order's lifecycle. The caller must hold the order's lock
     * ({@link Orders#lock}) in the current transaction.
     */
    public OrderStatus transition(String orderId, OrderStatus.Event event, String cause) {
        return transition(orderId, event, cause, null);
    }

    private OrderStatus transition(String orderId, OrderStatus.Event event, String cause, String actor) {
        OrderStatus from = orders.lock(orderId);
        OrderStatus to = OrderStatus.TABLE.next(from, event);
        Instant now = clock.instant();
        orders.updateStatus(orderId, to, now);
        Map<String, Object> data = new java.util.LinkedHashMap<>(Map.of("from", from.wire(), "to", to.wire(),
                "event", event.name().toLowerCase(), "cause", cause));
        if (actor != null) {
            data.put("actor", actor);
        }
        timeline.record(orderId, TimelineKind.ORDER_STATUS_CHANGED, "order " + from.wire() + " -> " + to.wire() + ": " + cause,
                data);
        events.publishEvent(new OrderStatusChanged(orderId, from, to, now));
        return to;
    }

    /**
     * Cancels an open order; refused while money is captured. Its open authorisations are voided
     * first, each as intent, call and answer with no lock held; then a short transaction checks
     * the money again and closes the order. If the provider took money meanwhile, what it
     * reported is kept and the cancel is refused.
     */
    public Order cancel(String orderId) {
        return cancel(orderId, STORE);
    }

    /**
     * As {@link #cancel(String)}, on behalf of {@code actor} (who the timeline names: {@code store}
     * for the API and the back office, {@code 1c} for the 1C exchange).
     */
    public Order cancel(String orderId, String actor) {
        Order order = orders.get(orderId);
        OrderStatus.TABLE.next(order.status(), OrderStatus.Event.CANCEL);
        long captured = money.moneyOf(orderId).amountNetCaptured();
        if (captured > 0) {
            throw capturedFunds(order, captured, " and not refunded");
        }
        money.voidOpenAttempts(orderId, "order cancelled");
        Boolean cancelled = tx.execute(status -> {
            OrderStatus lifecycle = orders.lock(orderId);
            OrderStatus.TABLE.next(lifecycle, OrderStatus.Event.CANCEL);
            if (money.moneyOf(orderId).amountNetCaptured() > 0) {
                return false; // the provider had taken money meanwhile: keep what we learned, refuse below
            }
            transition(orderId, OrderStatus.Event.CANCEL, "cancelled by " + actor, actor);
            money.orderClosed(orderId);
            audit.record("order.cancel", "order", orderId);
            return true;
        });
        if (!Boolean.TRUE.equals(cancelled)) {
            throw capturedFunds(order, money.moneyOf(orderId).amountNetCaptured(), " (the provider took it meanwhile)");
        }
        return get(orderId);
    }

    private static MoneytrailException capturedFunds(Order order, long capturedMinor, String when) {
        return MoneytrailException.state("order_has_captured_funds", "order " + order.id() + " has "
                + new Money(capturedMinor, order.amountTotal().currency()) + " captured" + when
                + "; refund it first, then cancel");
    }

    /** Marks an order fulfilled; only a fully paid order can be. */
    public Order fulfill(String orderId) {
        return fulfill(orderId, STORE);
    }

    /** As {@link #fulfill(String)}, on behalf of {@code actor} (see {@link #cancel(String, String)}). */
    public Order fulfill(String orderId, String actor) {
        tx.executeWithoutResult(status -> {
            OrderStatus lifecycle = orders.lock(orderId);
            OrderStatus.TABLE.next(lifecycle, OrderStatus.Event.FULFILL);
            PaymentStatus paid = money.moneyOf(orderId).paymentStatus();
            if (paid != PaymentStatus.PAID && paid != PaymentStatus.OVERPAID) {
                throw MoneytrailException.state("order_not_paid", "order " + orderId + " is " + paid.wire()
                        + "; it can be fulfilled once paid in full (capture authorised payments first)");
            }
            transition(orderId, OrderStatus.Event.FULFILL, "fulfilled by " + actor, actor);
            audit.record("order.fulfill", "order", orderId);
        });
        return get(orderId);
    }

    /**
     * Expires an open order that has had nothing captured for {@code expireAfter}: its open
     * attempts are voided at the provider first (with no lock held), then a short transaction
     * checks again and closes it. Skips (returns false) an order another worker holds, one that
     * has money or is no longer open, and one whose void failed.
     */
    public boolean expire(String orderId, Duration expireAfter) {
        Order order = orders.get(orderId);
        if (order.status() != OrderStatus.OPEN || money.moneyOf(orderId).amountCaptured() > 0
                || order.created().plus(expireAfter).isAfter(clock.instant())) {
            return false;
        }
        if (!money.voidOpenAttempts(orderId, "order expired")) {
            return false; // money arrived after all: the order is not unpaid
        }
        Boolean expired = tx.execute(status -> {
            Optional<OrderStatus> lifecycle = orders.tryLock(orderId);
            if (lifecycle.isEmpty() || lifecycle.get() != OrderStatus.OPEN
                    || money.moneyOf(orderId).amountCaptured() > 0) {
                return false;
            }
            transition(orderId, OrderStatus.Event.EXPIRE, "nothing paid within " + expireAfter);
            money.orderClosed(orderId);
            return true;
        });
        return Boolean.TRUE.equals(expired);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String param) {
        try {
            return Enum.valueOf(type, value.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw MoneytrailException.invalid("parameter_invalid", param, "unknown " + param + " '" + value + "'");
        }
    }

    private static void text(String value, String param, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw MoneytrailException.invalid("parameter_missing", param, param + " is required");
            }
            return;
        }
        if (value.length() > TEXT_LENGTH_MAX) {
            throw MoneytrailException.invalid("parameter_too_long", param,
                    param + " is longer than " + TEXT_LENGTH_MAX + " characters");
        }
    }

    private static void metadata(Map<String, String> metadata) {
        if (metadata == null) {
            return;
        }
        if (metadata.size() > METADATA_KEYS_MAX) {
            throw MoneytrailException.invalid("metadata_invalid", "metadata",
                    "at most " + METADATA_KEYS_MAX + " metadata keys");
        }
        metadata.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > METADATA_KEY_LENGTH_MAX) {
                throw MoneytrailException.invalid("metadata_invalid", "metadata",
                        "metadata keys are 1 to " + METADATA_KEY_LENGTH_MAX + " characters");
            }
            if (value != null && value.length() > METADATA_VALUE_LENGTH_MAX) {
                throw MoneytrailException.invalid("metadata_invalid", "metadata[" + key + "]",
                        "metadata values are at most " + METADATA_VALUE_LENGTH_MAX + " characters");
            }
        });
    }
}
