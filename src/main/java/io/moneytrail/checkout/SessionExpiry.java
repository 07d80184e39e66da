package io.moneytrail.checkout;

import io.moneytrail.payment.Payment;
import io.moneytrail.payment.PaymentActions;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ends a session whose time ran out: closes it as expired and records the {@code expired} step
 * (one transaction, under the session's row lock, so the sweep and a page view do it once), then
 * voids the attempt it left awaiting the customer, so that the provider's page can no longer take
 * the money. A void the provider refuses (YooKassa cannot cancel an unconfirmed payment) leaves
 * the attempt to expire at the provider; money that still arrives is the order's compensation's.
 */
@Component
class SessionExpiry {

    private static final Logger log = LoggerFactory.getLogger(SessionExpiry.class);

    private final CheckoutSessions sessions;
    private final FunnelRecorder recorder;
    private final CheckoutStates states;
    private final PaymentActions payments;
    private final TransactionTemplate tx;
    private final Clock clock;

    SessionExpiry(CheckoutSessions sessions, FunnelRecorder recorder, CheckoutStates states, PaymentActions payments,
                  TransactionTemplate tx, Clock clock) {
        this.sessions = sessions;
        this.recorder = recorder;
        this.states = states;
        this.payments = payments;
        this.tx = tx;
        this.clock = clock;
    }

    /** Expires the session if it is open and due; answers whether this call expired it. */
    boolean expireIfDue(String sessionId) {
        Instant now = clock.instant();
        CheckoutSession expired = tx.execute(status -> {
            CheckoutSession session = sessions.lock(sessionId).orElse(null);
            if (session == null || session.status() != CheckoutSession.Status.OPEN || now.isBefore(session.expiresAt())) {
                return null;
            }
            sessions.close(sessionId, CheckoutSession.Status.EXPIRED, now);
            recorder.record(session, FunnelStep.EXPIRED, session.currentProvider(), session.device(), now);
            return session;
        });
        if (expired == null) {
            return false;
        }
        Payment attempt = states.currentAttempt(expired);
        if (attempt != null && attempt.state().isInFlight() && attempt.providerPaymentId() != null) {
            try {
                payments.cancel(attempt.id());
            } catch (RuntimeException refused) {
                log.info("checkout session {} expired; its attempt {} was not voided ({}); it expires at the provider",
                        sessionId, attempt.id(), refused.getMessage());
            }
        }
        return true;
    }
}
