package io.moneytrail.payment;

import io.moneytrail.order.Timeline;
import io.moneytrail.order.TimelineKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The unknown-outcome resolver: asks the provider again about a payment (and its refunds) and
 * applies what it says through {@link ProviderSync}, exactly as a webhook would. A payment
 * whose creation is unknown is created again with the same idempotency key (the provider
 * answers with the one it has, or creates it once); a refund the provider does not know is
 * requested again with its own id as the key. If it is still unsettled, the next check is
 * scheduled; past the maximum age it goes to review, never to failed without the provider
 * saying so. A capture or void whose answer was never saved is re-issued with its own
 * idempotency key before the provider is asked ({@link OperationRunner#finishStale}).
 */
@Service
public class PaymentResolver {

    /** How long a claimed check is leased to the instance that claimed it. */
    static final Duration CHECK_LEASE = Duration.ofSeconds(60);

    private final Timeline timeline;
    private final Payments payments;
    private final Refunds refunds;
    private final PaymentProviders providers;
    private final ProviderSync sync;
    private final OperationRunner operations;
    private final CheckSchedule schedule;
    private final TransactionTemplate tx;

    PaymentResolver(Timeline timeline, Payments payments, Refunds refunds, PaymentProviders providers,
                    ProviderSync sync, OperationRunner operations, CheckSchedule schedule, TransactionTemplate tx) {
        this.timeline = timeline;
        this.payments = payments;
        this.refunds = refunds;
        this.providers = providers;
        this.sync = sync;
        this.operations = operations;
        this.schedule = schedule;
        this.tx = tx;
    }

    /** Asks the provider about a payment now (an operator's recheck) and applies its answer. */
    public Payment resolve(String paymentId, String cause) {
        return resolve(paymentId, cause, true);
    }

    /** A scheduled check; one that has nothing to ask ({@link #nothingToAsk}) is cleared without a provider call. */
    Payment resolveScheduled(String paymentId, String cause) {
        return resolve(paymentId, cause, false);
    }

    /** Payments whose check is due, leased to this caller. */
    List<String> claimDueChecks(int limit) {
        return payments.claimDueChecks(schedule.now(), CHECK_LEASE, limit);
    }

    private Payment resolve(String paymentId, String cause, boolean always) {
        Payment payment = payments.get(paymentId);
        if (!always && nothingToAsk(payment) && Boolean.TRUE.equals(tx.execute(status -> {
            Payment locked = sync.lock(payment);
            if (!nothingToAsk(locked)) {
                return false;
            }
            payments.clearCheck(paymentId);
            return true;
        }))) {
            return payments.get(paymentId);
        }
        // a capture or void whose answer was never saved (a crash, a timeout) is re-issued first
        operations.finishStale(paymentId);
        PaymentProvider provider = providers.get(payment.provider());
        ProviderResult<ProviderPayment> answer = payment.providerPaymentId() == null
                ? ProviderCalls.call(() -> provider.create(new PaymentProvider.CreatePayment(payment.id(),
                payment.orderId(), payment.amount(), payment.captureMethod(), payment.returnUrl())))
                : ProviderCalls.call(() -> provider.fetch(payment.providerPaymentId()));
        List<ProviderPayment.Refund> retried = new ArrayList<>();
        if (answer instanceof ProviderResult.Done<ProviderPayment> done) {
            Set<String> known = new HashSet<>();
            done.value().refunds().forEach(r -> known.add(r.merchantReference()));
            for (Refund refund : refunds.ofPayment(paymentId)) {
                if (refund.state().isUnsettled() && !known.contains(refund.id())) {
                    ProviderResult<ProviderPayment.Refund> again = ProviderCalls.call(() -> provider.refund(
                            done.value().providerPaymentId(), refund.id(), refund.amount()));
                    if (again instanceof ProviderResult.Done<ProviderPayment.Refund> ok) {
                        retried.add(ok.value());
                    }
                }
            }
        }
        tx.executeWithoutResult(status -> applyCheck(payment, cause, answer, retried));
        return payments.get(paymentId);
    }

    /** Applies a check's answers, then schedules the next check, or escalates past the maximum age. */
    private void applyCheck(Payment payment, String cause, ProviderResult<ProviderPayment> answer,
                            List<ProviderPayment.Refund> retried) {
        String paymentId = payment.id();
        Payment locked = sync.lock(payment);
        Payments.CheckCount counted = payments.countCheck(paymentId);
        String result = ProviderCalls.describe(answer);
        timeline.record(locked.orderId(), TimelineKind.RESOLVER_CHECK, "check " + counted.attempts() + " of "
                        + paymentId + " (" + cause + "): " + result, Map.of("payment", paymentId,
                "attempt", counted.attempts(), "result", result, "state_before", locked.state().wire()));
        if (answer instanceof ProviderResult.Done<ProviderPayment> done) {
            sync.apply(locked, done.value(), "resolver check " + counted.attempts());
        }
        for (ProviderPayment.Refund refund : retried) {
            sync.applyRefund(locked, refund, "resolver re-requested the refund");
        }
        Payment now = payments.get(paymentId);
        List<Refund> open = refunds.ofPayment(paymentId).stream().filter(r -> r.state().isUnsettled()).toList();
        boolean operationOpen = operations.hasUnfinished(paymentId);
        if (!now.state().isAwaitingAnswer() && open.isEmpty() && !operationOpen) {
            payments.clearCheck(paymentId);
            return;
        }
        if (schedule.nextOrGiveUp(paymentId, counted)) {
            String why = "no settled answer after " + counted.attempts() + " checks since " + counted.since();
            if (now.state().isUnsettled()) {
                sync.step(now, now.state(), PaymentState.Event.ESCALATE, why);
            }
            for (Refund refund : open) {
                sync.moveRefund(now, refund, RefundState.NEEDS_REVIEW, null, null, why);
            }
            operations.abandon(paymentId, why);
            payments.clearCheck(paymentId);
        }
    }

    /**
     * A check that has nothing to ask: the provider itself has settled the payment (captured in
     * full, voided or failed; no capture, void or creation can still be in flight on it, as those
     * start only from other states; an expired one is still asked, as a customer may have paid
     * just as it expired) and none of its refunds is unsettled (a refund in flight is a pending
     * row from the moment it is asked for). Most checks are of this kind: the one scheduled with
     * every intent, whose answer (a webhook, the provider's reply) has since been saved. Such a
     * check is cleared without a call to the provider.
     */
    private boolean nothingToAsk(Payment payment) {
        PaymentState state = payment.state();
        return (state == PaymentState.CAPTURED || state == PaymentState.VOIDED || state == PaymentState.FAILED)
                && refunds.ofPayment(payment.id()).stream().noneMatch(r -> r.state().isUnsettled())
                && !operations.hasUnfinished(payment.id());
    }
}
