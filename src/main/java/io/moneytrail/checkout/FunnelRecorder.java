package io.moneytrail.checkout;

import io.moneytrail.order.PaymentStatus;
import io.moneytrail.payment.OrderPaymentStatusChanged;
import io.moneytrail.payment.Payment;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.payment.PaymentStarted;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.PaymentStateChanged;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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
        if (payment.amountCaptured() > 0) {
            capturedHere(changed.orderId(), payment);
        }
        if (to == PaymentState.FAILED) {
            events.insertMoneyStep(changed.orderId(), FunnelStep.DECLINED, payment.provider(), payment.failureCode(),
                    changed.at(), false);
        } else if ((to == PaymentState.AUTHORIZED || to == PaymentState.PARTIALLY_CAPTURED || to == PaymentState.CAPTURED)
                && payment.amountAuthorized() > 0) {
            events.insertMoneyStep(changed.orderId(), FunnelStep.AUTHORIZED, payment.provider(), null, changed.at(), true);
        }
    }

    /** An order without a checkout session starts its first payment (through the API): one statement. */
    @EventListener
    void on(PaymentStarted started) {
        events.insertStarted(started.orderId(), started.provider(), started.at());
    }

    /** Published just before the money's transaction commits, still inside it. */
    @EventListener
    void on(OrderPaymentStatusChanged changed) {
        String orderId = changed.orderId();
        PaymentStatus to = changed.to();
        boolean paid = to == PaymentStatus.PAID || to == PaymentStatus.OVERPAID;
        if (paid) {
            // the step and the sessions' completion in one statement
            events.insertMoneyStep(orderId, FunnelStep.PAID, newest(orderId), null, changed.at(), true, true);
        } else if (to == PaymentStatus.AUTHORIZED) {
            sessions.completeOfOrder(orderId, changed.at());
        }
    }

    /**
     * The provider the {@code paid} step is counted for: of the newest payment this transaction
     * moved with money captured (the news that made the order paid), known without a read; when
     * none moved here, of the order's newest payment that captured money, read.
     */
    private String newest(String orderId) {
        Map<String, Payment> seen = capturedHere(false);
        Payment here = seen == null ? null : seen.get(orderId);
        if (here != null) {
            return here.provider();
        }
        return payments.ofOrder(orderId).stream().filter(p -> p.amountCaptured() > 0)
                .max(NEWEST).map(Payment::provider).orElse(null);
    }

    private static final Comparator<Payment> NEWEST = Comparator.comparing(Payment::created).thenComparing(Payment::id);

    /** Remembers, for this transaction, the newest payment of the order seen with money captured. */
    private void capturedHere(String orderId, Payment payment) {
        Map<String, Payment> seen = capturedHere(true);
        if (seen != null) {
            seen.merge(orderId, payment, (a, b) -> NEWEST.compare(a, b) >= 0 ? a : b);
        }
    }

    /** Binds {@link #capturedHere(boolean)} to the current transaction. */
    private static final Object CAPTURED_HERE = new Object();

    @SuppressWarnings("unchecked")
    private static Map<String, Payment> capturedHere(boolean create) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        Map<String, Payment> seen = (Map<String, Payment>) TransactionSynchronizationManager.getResource(CAPTURED_HERE);
        if (seen == null && create) {
            Map<String, Payment> fresh = new HashMap<>();
            TransactionSynchronizationManager.bindResource(CAPTURED_HERE, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(CAPTURED_HERE);
                }
            });
            seen = fresh;
        }
        return seen;
    }
}
