package io.moneytrail.checkout;

import io.moneytrail.order.PaymentStatus;
import io.moneytrail.payment.OrderPaymentStatusChanged;
import io.moneytrail.payment.Payment;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.PaymentStateChanged;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
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
            moneyStep(changed.orderId(), FunnelStep.DECLINED, payment.provider(), payment.failureCode(), changed.at());
        } else if ((to == PaymentState.AUTHORIZED || to == PaymentState.PARTIALLY_CAPTURED || to == PaymentState.CAPTURED)
                && payment.amountAuthorized() > 0 && !events.orderHas(changed.orderId(), FunnelStep.AUTHORIZED)) {
            moneyStep(changed.orderId(), FunnelStep.AUTHORIZED, payment.provider(), null, changed.at());
        }
    }

    /** Published just before the money's transaction commits, still inside it. */
    @EventListener
    void on(OrderPaymentStatusChanged changed) {
        String orderId = changed.orderId();
        PaymentStatus to = changed.to();
        if (to == PaymentStatus.PENDING && changed.from() == PaymentStatus.UNPAID
                && !sessions.orderHasSession(orderId) && !events.orderHas(orderId, FunnelStep.PAYMENT_STARTED)) {
            String provider = payments.ofOrder(orderId).stream().max(Comparator.comparing(Payment::created)
                    .thenComparing(Payment::id)).map(Payment::provider).orElse(null);
            events.insert(null, orderId, provider, DeviceClass.UNKNOWN, FunnelStep.PAYMENT_STARTED, null, changed.at());
            return;
        }
        boolean paid = to == PaymentStatus.PAID || to == PaymentStatus.OVERPAID;
        if (paid && !events.orderHas(orderId, FunnelStep.PAID)) {
            String provider = payments.ofOrder(orderId).stream().filter(p -> p.amountCaptured() > 0)
                    .max(Comparator.comparing(Payment::created).thenComparing(Payment::id))
                    .map(Payment::provider).orElse(null);
            moneyStep(orderId, FunnelStep.PAID, provider, null, changed.at());
        }
        if (paid || to == PaymentStatus.AUTHORIZED) {
            for (String id : sessions.openOfOrder(orderId)) {
                sessions.close(id, CheckoutSession.Status.COMPLETE, changed.at());
            }
        }
    }

    /** A money step, counted for the order's newest session (or for the order alone, without one). */
    private void moneyStep(String orderId, FunnelStep step, String provider, String reasonCode, Instant at) {
        Optional<CheckoutSession> session = sessions.latestOfOrder(orderId);
        DeviceClass device = session.map(CheckoutSession::device).orElse(DeviceClass.UNKNOWN);
        events.insert(session.map(CheckoutSession::id).orElse(null), orderId, provider,
                device == null ? DeviceClass.UNKNOWN : device, step, reasonCode, at);
        session.ifPresent(s -> sessions.touch(s.id(), at));
    }
}
