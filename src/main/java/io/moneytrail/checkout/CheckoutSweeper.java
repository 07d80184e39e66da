package io.moneytrail.checkout;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The two clocks of a session: abandonment (viewed, open, and no new step for
 * {@code abandon-after}: the {@code abandoned} step and the outbound {@code checkout.abandoned})
 * and expiry ({@link SessionExpiry}). Each session is decided in its own transaction under its
 * row lock, so several instances sweeping at once act once per session.
 */
@Component
class CheckoutSweeper {

    private static final Logger log = LoggerFactory.getLogger(CheckoutSweeper.class);

    private final CheckoutSessions sessions;
    private final CheckoutEvents events;
    private final FunnelRecorder recorder;
    private final SessionExpiry expiry;
    private final ApplicationEventPublisher publisher;
    private final CheckoutProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;

    CheckoutSweeper(CheckoutSessions sessions, CheckoutEvents events, FunnelRecorder recorder, SessionExpiry expiry,
                    ApplicationEventPublisher publisher, CheckoutProperties properties, TransactionTemplate tx,
                    Clock clock) {
        this.sessions = sessions;
        this.events = events;
        this.recorder = recorder;
        this.expiry = expiry;
        this.publisher = publisher;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${moneytrail.checkout.sweep-interval:30s}",
            fixedDelayString = "${moneytrail.checkout.sweep-interval:30s}")
    void sweep() {
        try {
            sweep(clock.instant());
        } catch (RuntimeException e) {
            log.warn("checkout sweep failed; the next one tries again: {}", e.toString());
        }
    }

    /** One sweep as of {@code now}: answers how many sessions were abandoned and how many expired. */
    int[] sweep(Instant now) {
        int expired = 0;
        for (String id : sessions.dueToExpire(now, properties.sweepBatchMax())) {
            if (expiry.expireIfDue(id)) {
                expired++;
            }
        }
        int abandoned = 0;
        Instant cutoff = now.minus(properties.abandonAfter());
        for (String id : sessions.idleBefore(cutoff, properties.sweepBatchMax())) {
            if (abandonIfIdle(id, now)) {
                abandoned++;
            }
        }
        return new int[] {abandoned, expired};
    }

    /** Abandons one session if, as of {@code now}, it is idle past the abandonment time (tests call it for theirs). */
    boolean abandonIfIdle(String id, Instant now) {
        Instant cutoff = now.minus(properties.abandonAfter());
        return Boolean.TRUE.equals(tx.execute(status -> abandon(id, cutoff, now)));
    }

    private boolean abandon(String id, Instant cutoff, Instant now) {
        CheckoutSession session = sessions.lock(id).orElse(null);
        if (session == null || session.status() != CheckoutSession.Status.OPEN || session.viewedAt() == null
                || session.abandonedAt() != null || session.lastStepAt() == null
                || !session.lastStepAt().isBefore(cutoff)) {
            return false;
        }
        FunnelStep last = events.lastStepOf(id).orElse(FunnelStep.VIEWED);
        sessions.markAbandoned(id, now);
        recorder.record(session, FunnelStep.ABANDONED, session.currentProvider(), session.device(), now);
        publisher.publishEvent(new CheckoutAbandoned(session, last, now));
        return true;
    }
}
