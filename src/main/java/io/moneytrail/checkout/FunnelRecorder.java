package io.moneytrail.checkout;

import io.moneytrail.order.PaymentStatus;
import io.moneytrail.payment.OrderPaymentStatusChanged;
import io.moneytrail.payment.Payment;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.PaymentStateChanged;
import java.time.Instant;
import java.util.Comparator;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the funnel's steps. The page's steps ({@link #record}) are written by the page's own
 * transactions; the money's steps are written by plain {@code @EventListener}s on the payment
 * module's change events, which it publishes inside the transaction that changed the money, so a
 * step commits with its fact or not at all, whatever brought the news (the customer's return,
 * the webhook, the resolver). Once per order: {@code authorized}, {@code paid},
 * {@code payment_started}; once per attempt: {@code declined}.
 */
@Component
class FunnelRecorder {

    private final CheckoutEvents events;
    private final CheckoutSessions sessions;
    private final PaymentQueries payments;

    FunnelRecorder(CheckoutEvents events, CheckoutSessions sessions, PaymentQueries payments) {
        this.events = events;
        this.sessions = sessions;
        this.payments = payments;
    }

    /** A step of the page (viewed, provider_chosen, redirected, returned) or of a sweep (abandoned, expired). */
    void record(CheckoutSession session, FunnelStep step, String provider, DeviceClass device, Instant at) {
        events.insert(session.id(), session.orderId(), provider, device, step, null, at);
        if (step != FunnelStep.ABANDONED && step != FunnelStep.EXPIRED) {
            sessions.touch(session.id(), at);
        }
    }

    @EventListener
    void on(PaymentStateChanged changed) {
        Payment payment = changed.payment();
        PaymentState to = changed.to();
        if (to == PaymentState.FAILED) {
            events.insertMoneyStep(changed.orderId(), FunnelStep.DECLINED, payment.provider(), payment.failureCode(),
                    changed.at(), false);
        } else if ((to == PaymentState.AUTHORIZED || to == PaymentState.PARTIALLY_CAPTURED || to == PaymentState.CAPTURED)
                && payment.amountAuthorized() > 0) {
            events.insertMoneyStep(changed.orderId(), FunnelStep.AUTHORIZED, payment.provider(), null, changed.at(), true);
        }
    }

    /** Published just before the money's transaction commits, still inside it. */
    @EventListener
    void on(OrderPaymentStatusChanged changed) {
        String orderId = changed.orderId();
        PaymentStatus to = changed.to();
        if (to == PaymentStatus.PENDING && changed.from() == PaymentStatus.UNPAID) {
            if (!sessions.orderHasSession(orderId) && !events.orderHas(orderId, FunnelStep.PAYMENT_STARTED)) {
                events.insert(null, orderId, newest(orderId, false), DeviceClass.UNKNOWN, FunnelStep.PAYMENT_STARTED,
                        null, changed.at());
            }
            return;
        }
        boolean paid = to == PaymentStatus.PAID || to == PaymentStatus.OVERPAID;
        if (paid) {
            events.insertMoneyStep(orderId, FunnelStep.PAID, newest(orderId, true), null, changed.at(), true);
        }
        if (paid || to == PaymentStatus.AUTHORIZED) {
            sessions.completeOfOrder(orderId, changed.at());
        }
    }

    /** The provider of the order's newest payment (with {@code captured}: the newest that captured money). */
    private String newest(String orderId, boolean captured) {
        return payments.ofOrder(orderId).stream().filter(p -> !captured || p.amountCaptured() > 0)
                .max(Comparator.comparing(Payment::created).thenComparing(Payment::id))
                .map(Payment::provider).orElse(null);
    }
}
