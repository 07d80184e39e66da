package io.moneytrail.webhook;

import io.moneytrail.order.Order;
import io.moneytrail.order.OrderLine;
import io.moneytrail.order.OrderStatusChanged;
import io.moneytrail.order.OrderService;
import io.moneytrail.order.PaymentStatus;
import io.moneytrail.payment.OrderPaymentStatusChanged;
import io.moneytrail.payment.Payment;
import io.moneytrail.payment.PaymentStateChanged;
import io.moneytrail.payment.Refund;
import io.moneytrail.payment.RefundStateChanged;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns the domain's change events into outbound events. The domain publishes them
 * synchronously inside the changing transaction, and these listeners are plain
 * {@code @EventListener}s, so the outbox rows commit with the change or not at all. Payment and
 * refund events carry their object as it is right after the move (no read here); an order's
 * money comes from the payment module's per-transaction read of it (read once between changes).
 */
@Component
class OutboundEventRecorder {

    private final Outbox outbox;
    private final OrderService orders;
    OutboundEventRecorder(Outbox outbox, OrderService orders) {
        this.outbox = outbox;
        this.orders = orders;
    }

    @EventListener
    void on(OrderStatusChanged changed) {
        OutboundEventType type;
        switch (changed.to()) {
            case FULFILLED -> type = OutboundEventType.ORDER_FULFILLED;
            case CANCELLED -> type = OutboundEventType.ORDER_CANCELLED;
            case EXPIRED -> type = OutboundEventType.ORDER_EXPIRED;
            default -> {
                return;
            }
        }
        recordOrderEvent(type, changed.orderId(), Map.of("status", changed.from().wire()), changed.at());
    }

    /** Published just before commit, still inside the transaction: the snapshot is final. */
    @EventListener
    void on(OrderPaymentStatusChanged changed) {
        OutboundEventType type;
        switch (changed.to()) {
            case PAID -> type = OutboundEventType.ORDER_PAID;
            case PARTIALLY_PAID -> type = OutboundEventType.ORDER_PARTIALLY_PAID;
            case REFUNDED -> type = OutboundEventType.ORDER_REFUNDED;
            case PARTIALLY_REFUNDED -> type = OutboundEventType.ORDER_PARTIALLY_REFUNDED;
            default -> {
                return; // unpaid, pending, authorized, overpaid: no event of their own
            }
        }
        recordOrderEvent(type, changed.orderId(), Map.of("payment_status", changed.from().wire()), changed.at());
    }

    @EventListener
    void on(PaymentStateChanged changed) {
        // by name, so that states added later (needs_review) need no change here to compile
        OutboundEventType type;
        switch (changed.to().name()) {
            case "AUTHORIZED" -> type = OutboundEventType.PAYMENT_AUTHORIZED;
            case "CAPTURED" -> type = OutboundEventType.PAYMENT_CAPTURED;
            case "NEEDS_REVIEW" -> type = OutboundEventType.PAYMENT_NEEDS_REVIEW;
            case "FAILED" -> {
                paymentFailed(changed);
                return;
            }
            default -> {
                return;
            }
        }
        Payment payment = changed.payment(); // the snapshot the move produced: no read
        outbox.record(type, changed.orderId(), payment.id(),
                data(payment(payment), Map.of("status", changed.from().wire())), changed.at());
    }

    /** A failed attempt matters to the store while the order has nothing captured or held. */
    private void paymentFailed(PaymentStateChanged changed) {
        Order order = orders.get(changed.orderId());
        PaymentStatus status = order.money().paymentStatus();
        if (status != PaymentStatus.UNPAID && status != PaymentStatus.PENDING) {
            return;
        }
        Map<String, Object> data = data(order(order), null);
        data.put("payment", payment(changed.payment()));
        outbox.record(OutboundEventType.ORDER_PAYMENT_FAILED, order.id(), order.id(), data, changed.at());
    }

    @EventListener
    void on(RefundStateChanged changed) {
        OutboundEventType type;
        switch (changed.to().name()) {
            case "SUCCEEDED" -> type = OutboundEventType.REFUND_SUCCEEDED;
            case "FAILED" -> type = OutboundEventType.REFUND_FAILED;
            default -> {
                return;
            }
        }
        Refund refund = changed.refund(); // the snapshot the move produced: no read
        outbox.record(type, changed.orderId(), refund.id(),
                data(refund(refund), Map.of("status", changed.from().wire())), changed.at());
    }

    /** checkout (issue 13): the store may remind the customer, with the session's url. */
    @EventListener
    void on(io.moneytrail.checkout.CheckoutAbandoned abandoned) {
        io.moneytrail.checkout.CheckoutSession session = abandoned.session();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", session.id());
        view.put("object", "checkout_session");
        view.put("order", session.orderId());
        view.put("url", session.url());
        view.put("status", session.status().wire());
        view.put("last_step", abandoned.lastStep().wire());
        view.put("provider", session.currentProvider());
        view.put("device", session.device() == null ? null : session.device().wire());
        view.put("expires_at", session.expiresAt().getEpochSecond());
        view.put("created", session.created().getEpochSecond());
        Order order = orders.get(session.orderId());
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("email", order.customerEmail());
        customer.put("phone", order.customerPhone());
        view.put("customer", customer);
        outbox.record(OutboundEventType.CHECKOUT_ABANDONED, session.orderId(), session.id(), data(view, null),
                abandoned.at());
    }

    private void recordOrderEvent(OutboundEventType type, String orderId, Map<String, Object> previous, Instant at) {
        Order order = orders.get(orderId);
        outbox.record(type, orderId, orderId, data(order(order), previous), at);
    }

    // ------------------------------------------------------------ snapshots (snake_case, as the API shows them)

    private static Map<String, Object> data(Map<String, Object> object, Map<String, Object> previous) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("object", object);
        if (previous != null) {
            data.put("previous_attributes", previous);
        }
        return data;
    }

    static Map<String, Object> order(Order order) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", order.id());
        view.put("object", "order");
        view.put("status", order.status().wire());
        view.put("payment_status", order.money().paymentStatus().wire());
        view.put("currency", order.currencyCode());
        view.put("amount_total", order.amountTotal().amountMinor());
        view.put("amount_vat", order.vatTotalMinor());
        view.put("amount_authorized", order.money().amountAuthorized());
        view.put("amount_captured", order.money().amountCaptured());
        view.put("amount_refunded", order.money().amountRefunded());
        view.put("reference", order.reference());
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("email", order.customerEmail());
        customer.put("phone", order.customerPhone());
        view.put("customer", customer);
        view.put("lines", order.lines().stream().map(OutboundEventRecorder::line).toList());
        view.put("metadata", order.metadata());
        view.put("created", order.created().getEpochSecond());
        return view;
    }

    private static Map<String, Object> line(OrderLine line) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sku", line.sku());
        view.put("name", line.name());
        view.put("quantity", line.quantity());
        view.put("unit_amount", line.unitAmount());
        view.put("vat_rate", line.vatRate());
        view.put("amount_total", line.amountTotal());
        view.put("amount_vat", line.amountVat());
        return view;
    }

    static Map<String, Object> payment(Payment payment) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", payment.id());
        view.put("object", "payment");
        view.put("order", payment.orderId());
        view.put("provider", payment.provider());
        view.put("provider_payment_id", payment.providerPaymentId());
        view.put("status", payment.state().wire());
        view.put("capture_method", payment.captureMethod().wire());
        view.put("amount", payment.amount().amountMinor());
        view.put("currency", payment.amount().currencyCode());
        view.put("amount_capturable", payment.amountCapturable());
        view.put("amount_captured", payment.amountCaptured());
        view.put("amount_refunded", payment.amountRefunded());
        view.put("failure_code", payment.failureCode());
        view.put("failure_message", payment.failureMessage());
        view.put("created", payment.created().getEpochSecond());
        return view;
    }

    static Map<String, Object> refund(Refund refund) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", refund.id());
        view.put("object", "refund");
        view.put("payment", refund.paymentId());
        view.put("order", refund.orderId());
        view.put("amount", refund.amount().amountMinor());
        view.put("currency", refund.amount().currencyCode());
        view.put("status", refund.state().wire());
        view.put("reason", refund.reason());
        view.put("failure_message", refund.failureMessage());
        view.put("created", refund.created().getEpochSecond());
        return view;
    }
}
