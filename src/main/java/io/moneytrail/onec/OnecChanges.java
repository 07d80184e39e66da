package io.moneytrail.onec;

import io.moneytrail.access.AuditTrail;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.Order;
import io.moneytrail.order.OrderSearch;
import io.moneytrail.order.OrderService;
import io.moneytrail.order.OrderStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies what 1C says happened to an order (shipped, cancelled) through the order module's own
 * moves ({@link OrderService#fulfill(String, String)}, {@link OrderService#cancel(String, String)}):
 * the transition table and the same money checks as the API, on behalf of the actor {@code 1c}.
 * A change the order already shows is not applied again (so a replayed file changes nothing); a
 * change the table or the checks refuse is reported back, and written to the audit log as refused.
 */
@Component
class OnecChanges {

    /** Actor of the changes, as the order's timeline names it. */
    static final String ACTOR = "1c";

    /** The requisites 1C writes into an order it shipped (its shipment document's date and number). */
    static final String REQ_SHIPPED_DATE = "Дата отгрузки по 1С";
    static final String REQ_SHIPPED_NUMBER = "Номер отгрузки по 1С";

    private static final Set<String> CANCELLED_STATUSES = Set.of("cancelled", "отменен", "отменён");
    private static final Set<String> SHIPPED_STATUSES = Set.of("fulfilled", "отгружен", "выполнен", "доставлен");

    /** What a document asks for. */
    enum Wanted { FULFILL, CANCEL, NOTHING, BOTH }

    /** How one document ended. */
    enum Outcome { APPLIED, UNCHANGED, REFUSED, SKIPPED }

    record Result(CommerceMlReader.Incoming document, String orderId, Wanted wanted, Outcome outcome, String reason) {

        String describe() {
            String who = orderId != null ? orderId
                    : document.id() != null ? document.id() : "document " + document.position();
            return who + ": " + reason;
        }
    }

    private final OrderService orders;
    private final OrderSearch search;
    private final AuditTrail audit;
    private final TransactionTemplate tx;

    OnecChanges(OrderService orders, OrderSearch search, AuditTrail audit, TransactionTemplate tx) {
        this.orders = orders;
        this.search = search;
        this.audit = audit;
        this.tx = tx;
    }

    static Wanted wanted(CommerceMlReader.Incoming document) {
        Map<String, String> requisites = document.requisites();
        String status = requisites.getOrDefault("Статус заказа", "").strip().toLowerCase(Locale.ROOT);
        boolean cancel = document.deletionMark() || "true".equalsIgnoreCase(requisites.get("Отменен"))
                || "true".equalsIgnoreCase(requisites.get("ПометкаУдаления")) || CANCELLED_STATUSES.contains(status);
        boolean ship = present(requisites.get(REQ_SHIPPED_DATE)) || present(requisites.get(REQ_SHIPPED_NUMBER))
                || SHIPPED_STATUSES.contains(status);
        return cancel && ship ? Wanted.BOTH : cancel ? Wanted.CANCEL : ship ? Wanted.FULFILL : Wanted.NOTHING;
    }

    /** A requisite with a value ("T" is what some 1C versions write into an empty date). */
    private static boolean present(String value) {
        return value != null && !value.isBlank() && !value.strip().equals("T");
    }

    /** Finds the order of every document first: a file naming an unknown order changes nothing. */
    Optional<String> orderOf(CommerceMlReader.Incoming document) {
        for (String candidate : new String[] {document.id(), document.number()}) {
            if (candidate != null && candidate.startsWith("ord_")) {
                try {
                    orders.requireExists(candidate);
                    return Optional.of(candidate);
                } catch (MoneytrailException notFound) {
                    // try the next
                }
            }
        }
        if (document.number() != null) {
            List<OrderSearch.Row> rows = search.search(
                    new OrderSearch.Criteria(document.number(), null, null, null, null, null), null, 2);
            List<OrderSearch.Row> byReference = rows.stream()
                    .filter(row -> document.number().equals(row.reference())).toList();
            if (byReference.size() == 1) {
                return Optional.of(byReference.get(0).id());
            }
        }
        return Optional.empty();
    }

    Result apply(CommerceMlReader.Incoming document, String orderId) {
        Wanted wanted = wanted(document);
        switch (wanted) {
            case NOTHING:
                return new Result(document, orderId, wanted, Outcome.UNCHANGED, "nothing to apply");
            case BOTH:
                return refused(document, orderId, wanted, "order.fulfill",
                        "the document says both shipped and cancelled; nothing applied");
            default:
                break;
        }
        OrderStatus.Event event = wanted == Wanted.FULFILL ? OrderStatus.Event.FULFILL : OrderStatus.Event.CANCEL;
        OrderStatus target = wanted == Wanted.FULFILL ? OrderStatus.FULFILLED : OrderStatus.CANCELLED;
        String action = wanted == Wanted.FULFILL ? "order.fulfill" : "order.cancel";
        Order order = orders.get(orderId);
        if (order.status() == target) {
            return new Result(document, orderId, wanted, Outcome.UNCHANGED, "already " + target.wire());
        }
        if (!OrderStatus.TABLE.allows(order.status(), event)) {
            return refused(document, orderId, wanted, action, "order in state " + order.status().wire()
                    + " cannot " + event.name().toLowerCase(Locale.ROOT) + " (the order's transition table)");
        }
        try {
            if (wanted == Wanted.FULFILL) {
                orders.fulfill(orderId, ACTOR);
            } else {
                orders.cancel(orderId, ACTOR);
            }
        } catch (MoneytrailException refused) {
            if (orders.get(orderId).status() == target) {
                // the same change arrived twice at once (1C repeating a file): the other one applied it
                return new Result(document, orderId, wanted, Outcome.UNCHANGED, "already " + target.wire());
            }
            return refused(document, orderId, wanted, action, refused.code() + ": " + refused.getMessage());
        }
        return new Result(document, orderId, wanted, Outcome.APPLIED, target.wire());
    }

    Result unknownOrder(CommerceMlReader.Incoming document) {
        return new Result(document, null, wanted(document), Outcome.REFUSED,
                "no order with Ид or Номер " + (document.id() == null ? "" : "'" + document.id() + "'")
                        + (document.number() == null ? "" : " / '" + document.number() + "'"));
    }

    Result skipped(CommerceMlReader.Incoming document) {
        return new Result(document, null, Wanted.NOTHING, Outcome.SKIPPED, "nothing to apply; skipped");
    }

    private Result refused(CommerceMlReader.Incoming document, String orderId, Wanted wanted, String action,
                           String reason) {
        tx.executeWithoutResult(status -> audit.record(action, "order", orderId, AuditTrail.Outcome.REFUSED, reason,
                Map.of("source", "1c exchange")));
        return new Result(document, orderId, wanted, Outcome.REFUSED, reason);
    }
}
