package io.moneytrail.checkout;

import io.moneytrail.order.Order;
import io.moneytrail.order.OrderService;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.PaymentStatus;
import io.moneytrail.payment.Payment;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.payment.PaymentState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Decides what the page shows from the money: the order's derived payment status first (paid or
 * authorised wins over everything), then the order's and the session's lifecycle, then the
 * current attempt's state. No provider is asked here and nothing is written.
 */
@Component
class CheckoutStates {

    private final OrderService orders;
    private final PaymentQueries payments;
    private final Checkouts checkouts;
    private final CheckoutProperties properties;
    private final Clock clock;

    CheckoutStates(OrderService orders, PaymentQueries payments, Checkouts checkouts, CheckoutProperties properties,
                   Clock clock) {
        this.orders = orders;
        this.payments = payments;
        this.checkouts = checkouts;
        this.properties = properties;
        this.clock = clock;
    }

    CheckoutView of(CheckoutSession session) {
        Instant now = clock.instant();
        Order order = orders.get(session.orderId());
        Payment attempt = currentAttempt(session);
        List<String> offered = checkouts.providersFor(session, order.currencyCode());
        PaymentStatus money = order.money().paymentStatus();
        if (money == PaymentStatus.PAID || money == PaymentStatus.OVERPAID || money == PaymentStatus.PARTIALLY_REFUNDED
                || money == PaymentStatus.REFUNDED) {
            return view(CheckoutView.Kind.PAID, session, order, attempt, offered, null);
        }
        if (money == PaymentStatus.AUTHORIZED) {
            return view(CheckoutView.Kind.AUTHORIZED, session, order, attempt, offered, null);
        }
        if (order.status() == OrderStatus.CANCELLED || order.status() == OrderStatus.FULFILLED) {
            return view(CheckoutView.Kind.CANCELLED, session, order, attempt, offered, null);
        }
        if (order.status() == OrderStatus.EXPIRED || session.statusAt(now) == CheckoutSession.Status.EXPIRED) {
            return view(CheckoutView.Kind.EXPIRED, session, order, attempt, offered, null);
        }
        if (attempt == null) {
            return view(CheckoutView.Kind.CHOOSE, session, order, null, offered, null);
        }
        PaymentState state = attempt.state();
        if (state == PaymentState.FAILED) {
            return new CheckoutView(CheckoutView.Kind.DECLINED, session, order, attempt, offered,
                    DeclineReason.of(attempt.provider(), attempt.failureCode()), null, null);
        }
        if (state == PaymentState.REQUIRES_ACTION) {
            boolean justBack = session.returnedFromCurrent() && session.returnedAt() != null
                    && now.isBefore(session.returnedAt().plus(properties.waitBeforeChoice()));
            return view(justBack ? CheckoutView.Kind.WAITING : CheckoutView.Kind.IN_PROGRESS, session, order, attempt,
                    offered, null);
        }
        if (state.isInFlight()) { // processing, unknown, needs review: money may be moving, no other choice now
            return view(CheckoutView.Kind.WAITING, session, order, attempt, offered, null);
        }
        // voided, expired, or captured/authorised money the order no longer counts (refunded compensation)
        return view(CheckoutView.Kind.CHOOSE, session, order, attempt, offered, null);
    }

    /**
     * The attempt the page is about: the newest payment of the order made since the session was
     * created (by this page, another tab, or the store's API), or the session's own last one.
     */
    Payment currentAttempt(CheckoutSession session) {
        List<Payment> ofOrder = payments.ofOrder(session.orderId());
        return ofOrder.stream()
                .filter(p -> p.id().equals(session.currentPaymentId()) || !p.created().isBefore(session.created()))
                .max(Comparator.comparing(Payment::created).thenComparing(Payment::id))
                .orElse(null);
    }

    private static CheckoutView view(CheckoutView.Kind kind, CheckoutSession session, Order order, Payment attempt,
                                     List<String> offered, DeclineReason decline) {
        String status = switch (kind) {
            case PAID -> "paid";
            case AUTHORIZED -> "authorized";
            case EXPIRED -> "expired";
            case CANCELLED -> "cancelled";
            default -> null;
        };
        String storeReturn = kind == CheckoutView.Kind.PAID || kind == CheckoutView.Kind.AUTHORIZED
                ? withParameters(session.returnUrl(), order.id(), status) : null;
        String storeCancel = (kind == CheckoutView.Kind.EXPIRED || kind == CheckoutView.Kind.CANCELLED)
                && session.cancelUrl() != null ? withParameters(session.cancelUrl(), order.id(), status) : null;
        return new CheckoutView(kind, session, order, attempt, offered, decline, storeReturn, storeCancel);
    }

    /** Appends {@code order} and {@code status} to the query, keeping a fragment last. */
    static String withParameters(String url, String orderId, String status) {
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        String fragment = hash < 0 ? "" : url.substring(hash);
        String separator = !base.contains("?") ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
        return base + separator + "order=" + URLEncoder.encode(orderId, StandardCharsets.UTF_8) + "&status="
                + URLEncoder.encode(status, StandardCharsets.UTF_8) + fragment;
    }
}
