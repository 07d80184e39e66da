package io.moneytrail.checkout;

import io.moneytrail.money.MoneytrailException;
import io.moneytrail.payment.Payment;
import io.moneytrail.payment.PaymentActions;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.payment.PaymentResolver;
import io.moneytrail.payment.PaymentState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The customer's side of a checkout session: what the page shows ({@link #view}), the choice of a
 * provider ({@link #choose}) and the return from the provider ({@link #returned}). A choice starts
 * the payment through {@link PaymentActions#create}, the same call as the API's; the order's lock
 * and the payment rules (one attempt in flight per order) make a second click, a reload or a
 * second tab find the first attempt instead of starting another.
 */
@Service
public class CheckoutPage {

    private static final Logger log = LoggerFactory.getLogger(CheckoutPage.class);
    /** How long a click waits for a concurrent click's attempt to get its provider page. */
    static final Duration CONCURRENT_ATTEMPT_WAIT = Duration.ofSeconds(5);

    /** Where the customer goes after a choice: the provider's page, or back to ours (with a notice). */
    public record Choice(String redirectUrl, String notice) {
        static Choice provider(String url) {
            return new Choice(url, null);
        }

        static Choice page(String notice) {
            return new Choice(null, notice);
        }
    }

    private final Checkouts checkouts;
    private final CheckoutSessions sessions;
    private final FunnelRecorder recorder;
    private final CheckoutStates states;
    private final SessionExpiry expiry;
    private final PaymentActions payments;
    private final PaymentResolver resolver;
    private final Dependencies more;

    /** The rest of what the page needs (kept together so the constructor stays small). */
    @org.springframework.stereotype.Component
    static class Dependencies {
        final PaymentQueries queries;
        final CheckoutProperties properties;
        final TransactionTemplate tx;
        final Clock clock;

        Dependencies(PaymentQueries queries, CheckoutProperties properties, TransactionTemplate tx, Clock clock) {
            this.queries = queries;
            this.properties = properties;
            this.tx = tx;
            this.clock = clock;
        }
    }

    CheckoutPage(Checkouts checkouts, CheckoutSessions sessions, FunnelRecorder recorder, CheckoutStates states,
                 SessionExpiry expiry, PaymentActions payments, PaymentResolver resolver, Dependencies more) {
        this.checkouts = checkouts;
        this.sessions = sessions;
        this.recorder = recorder;
        this.states = states;
        this.expiry = expiry;
        this.payments = payments;
        this.resolver = resolver;
        this.more = more;
    }

    public CheckoutProperties properties() {
        return more.properties;
    }

    /** The page as the customer opens it: records the first view (with the device), expires a session that is due. */
    public Optional<CheckoutView> view(String token, String userAgent) {
        Optional<CheckoutSession> found = checkouts.byToken(token);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        CheckoutSession session = found.get();
        Instant now = more.clock.instant();
        if (session.viewedAt() == null) {
            DeviceClass device = DeviceClass.from(userAgent);
            more.tx.executeWithoutResult(status -> {
                if (sessions.markViewed(session.id(), device, now)) {
                    recorder.record(session, FunnelStep.VIEWED, null, device, now);
                }
            });
        }
        if (session.status() == CheckoutSession.Status.OPEN && !now.isBefore(session.expiresAt())) {
            expiry.expireIfDue(session.id());
        }
        return Optional.of(states.of(checkouts.byToken(token).orElseThrow()));
    }

    /** What the page shows now, for the page's polling: no step is recorded. */
    public Optional<CheckoutView> state(String token) {
        return checkouts.byToken(token).map(states::of);
    }

    /**
     * The customer chose a provider. The same provider as an attempt still awaiting the customer
     * continues that attempt; another one voids it first (a refused void keeps it, with a notice).
     * {@code returnUrl} is where the provider sends the customer back: this session's return address.
     */
    public Choice choose(String token, String provider, String userAgent, String returnUrl) {
        CheckoutSession session = checkouts.byToken(token).orElseThrow(() -> MoneytrailException.notFound("token", "?"));
        CheckoutView view = states.of(session);
        if (view.kind() != CheckoutView.Kind.CHOOSE && view.kind() != CheckoutView.Kind.DECLINED
                && view.kind() != CheckoutView.Kind.IN_PROGRESS) {
            return Choice.page(null); // paid, authorised, waiting for the money, expired: nothing to choose
        }
        if (!view.providers().contains(provider)) {
            return Choice.page("provider_unavailable");
        }
        DeviceClass device = session.device() != null ? session.device() : DeviceClass.from(userAgent);
        Payment current = view.attempt();
        if (current != null && current.state().isInFlight()) {
            if (current.provider().equals(provider)) {
                return current.redirectUrl() != null && current.state() == PaymentState.REQUIRES_ACTION
                        ? Choice.provider(current.redirectUrl()) : Choice.page(null);
            }
            try {
                payments.cancel(current.id());
            } catch (MoneytrailException refused) {
                log.info("checkout {}: attempt {} not voided before switching to {}: {}", session.id(), current.id(),
                        provider, refused.getMessage());
                return Choice.page("previous_attempt_open");
            }
        }
        Instant now = more.clock.instant();
        more.tx.executeWithoutResult(status -> recorder.record(session, FunnelStep.PROVIDER_CHOSEN, provider, device, now));
        Payment payment;
        try {
            payment = payments.create(session.orderId(), provider, more.properties.captureMethod(), returnUrl, null);
        } catch (MoneytrailException refused) {
            if ("payment_in_progress".equals(refused.code())) {
                return concurrentAttempt(session);
            }
            log.info("checkout {}: payment with {} not started: {}", session.id(), provider, refused.getMessage());
            return Choice.page("payment_not_started");
        }
        Payment started = payment;
        more.tx.executeWithoutResult(status -> {
            sessions.startAttempt(session.id(), started.id(), provider);
            if (started.state() == PaymentState.REQUIRES_ACTION && started.redirectUrl() != null) {
                recorder.record(session, FunnelStep.REDIRECTED, provider, device, more.clock.instant());
            }
        });
        return started.state() == PaymentState.REQUIRES_ACTION && started.redirectUrl() != null
                ? Choice.provider(started.redirectUrl()) : Choice.page(null);
    }

    /**
     * Another click (a double click, a second tab) started an attempt a moment ago: wait briefly for
     * its provider page and send this customer there too, never start a second payment.
     */
    private Choice concurrentAttempt(CheckoutSession session) {
        long deadline = System.nanoTime() + CONCURRENT_ATTEMPT_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Payment> inFlight = more.queries.ofOrder(session.orderId()).stream()
                    .filter(p -> p.state().isInFlight())
                    .max(Comparator.comparing(Payment::created).thenComparing(Payment::id));
            if (inFlight.isEmpty()) {
                return Choice.page(null);
            }
            if (inFlight.get().redirectUrl() != null && inFlight.get().state() == PaymentState.REQUIRES_ACTION) {
                return Choice.provider(inFlight.get().redirectUrl());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Choice.page(null);
    }

    /**
     * The provider sent the customer back. The first return from an attempt is recorded and the
     * provider is asked at once (the resolver's recheck: what it says is applied exactly as a
     * webhook's would be, and a next check is scheduled while the answer is not final). Whatever
     * the return address carries is ignored.
     */
    public void returned(String token, String userAgent) {
        Optional<CheckoutSession> found = checkouts.byToken(token);
        if (found.isEmpty()) {
            return;
        }
        CheckoutSession session = found.get();
        Payment attempt = states.currentAttempt(session);
        if (attempt == null) {
            return;
        }
        Instant now = more.clock.instant();
        DeviceClass device = session.device() != null ? session.device() : DeviceClass.from(userAgent);
        Boolean first = more.tx.execute(status -> {
            if (!sessions.markReturned(session.id(), attempt.id(), now)) {
                return false;
            }
            recorder.record(session, FunnelStep.RETURNED, attempt.provider(), device, now);
            return true;
        });
        if (Boolean.TRUE.equals(first) && attempt.state().isInFlight()) {
            try {
                resolver.resolve(attempt.id(), "customer returned to the checkout page");
            } catch (RuntimeException e) {
                log.info("checkout {}: asking the provider about {} on return failed ({}); the resolver asks again",
                        session.id(), attempt.id(), e.toString());
            }
        }
    }
}
