package io.moneytrail.payment;

import io.moneytrail.access.AuditTrail;
import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.Timeline;
import io.moneytrail.order.TimelineKind;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Refunds. The refund row (pending) and the resolver's check are committed before the provider
 * is asked, and the provider's answer is applied in a second transaction, so no provider call
 * runs under a lock and a crash in between leaves a row the resolver finishes.
 */
@Service
public class RefundActions {

    private static final Logger LOG = LoggerFactory.getLogger(RefundActions.class);

    static final int REASON_LENGTH_MAX = 500;

    private final Timeline timeline;
    private final Payments payments;
    private final Refunds refunds;
    private final PaymentProviders providers;
    private final ProviderSync sync;
    private final AuditTrail audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    RefundActions(Timeline timeline, Payments payments, Refunds refunds, PaymentProviders providers, ProviderSync sync,
                  AuditTrail audit, TransactionTemplate tx, Clock clock) {
        this.timeline = timeline;
        this.payments = payments;
        this.refunds = refunds;
        this.providers = providers;
        this.sync = sync;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** What the intent's transaction decided: the amount to refund, or the refund a first run made. */
    private record Begun(long amount, String existingRefundId, Payment payment) {
    }

    /**
     * Refunds {@code amountMinor} (or all that is still refundable) of a captured payment; with a
     * {@code creationKey} (the request's scoped idempotency key), a repeat after a crash returns
     * the refund the first run created instead of refunding again.
     */
    public Refund refund(String paymentId, Long amountMinor, String reason, String creationKey) {
        return refund(paymentId, amountMinor, reason, creationKey, null);
    }

    /**
     * The refund a request under {@code creationKey} already created, if any: a retry after a lost
     * answer gets it back before anything about the request is checked again (the lines it named
     * are refunded by then, so checking them again would refuse the retry).
     */
    public Optional<Refund> createdUnder(String creationKey) {
        return creationKey == null ? Optional.empty() : refunds.findByCreationKey(creationKey);
    }

    /**
     * As {@link #refund(String, Long, String, String)}, naming the order lines returned ({@code lines},
     * already checked against the order by the caller; null: none named). They are kept with the
     * refund for its fiscal receipt.
     */
    public Refund refund(String paymentId, Long amountMinor, String reason, String creationKey,
                         List<RefundLine> lines) {
        return refund(paymentId, amountMinor, reason, creationKey, lines, null, null);
    }

    /**
     * As {@link #refund(String, Long, String, String, List)}; {@code inIntent} (null: none) runs
     * first inside the intent's transaction, before anything is locked, and what it writes commits
     * with the intent or not at all (the API writes the request's idempotency claim there). If it
     * throws, nothing is written and the provider is not called. {@code inAnswer} (null: none) is
     * handed the refund as answered, inside the transaction that applies the provider's answer,
     * and what it writes commits with that (the API stores the request's answer there).
     */
    public Refund refund(String paymentId, Long amountMinor, String reason, String creationKey,
                         List<RefundLine> lines, Runnable inIntent, java.util.function.Consumer<Refund> inAnswer) {
        if (paymentId == null || paymentId.isBlank()) {
            throw MoneytrailException.invalid("parameter_missing", "payment", "payment is required");
        }
        if (reason != null && reason.length() > REASON_LENGTH_MAX) {
            throw MoneytrailException.invalid("parameter_too_long", "reason",
                    "reason is at most " + REASON_LENGTH_MAX + " characters");
        }
        // its order and provider (never changed): known without a statement if this instance read the payment lately
        Payments.Ref before = payments.ref(paymentId).orElseThrow(() -> MoneytrailException.notFound("payment",
                paymentId));
        PaymentProvider provider = providers.get(before.provider());
        String refundId = Ids.next(Ids.REFUND);
        Begun begun = tx.execute(status -> {
            if (inIntent != null) {
                inIntent.run();
            }
            // the payment and its refunds under the lock (one statement): with a creationKey, a repeat after a
            // crash answers the refund the first run created; the others are what the checks below need
            Payments.LockedWithRefunds locked = sync.lockWithRefunds(before.orderId(), before.id());
            Payment payment = locked.payment();
            Refunds.Held held = locked.refunds().held(creationKey);
            if (held.refundWithKey() != null) {
                return new Begun(0, held.refundWithKey(), payment);
            }
            if (payment.amountCaptured() == 0) {
                throw MoneytrailException.state("payment_not_captured", "payment " + paymentId + " is "
                        + payment.state().wire() + " and has nothing captured to refund");
            }
            long refundable = payment.amountCaptured() - held.amount();
            if (refundable <= 0) {
                throw MoneytrailException.state("nothing_to_refund", "payment " + paymentId
                        + " is already fully refunded or has refunds in flight for all of it");
            }
            long requested = amountMinor == null ? refundable : amountMinor;
            if (requested <= 0) {
                throw MoneytrailException.invalid("amount_invalid", "amount", "amount must be a positive integer");
            }
            if (requested > refundable) {
                throw MoneytrailException.invalid("amount_too_large", "amount", "cannot refund " + requested
                        + "; only " + refundable + " of " + paymentId + " is captured and not yet refunded");
            }
            if (requested < payment.amountCaptured()) {
                PaymentProviders.require(provider, PaymentProvider.Capability.PARTIAL_REFUND);
            }
            if (held.amount() > 0) {
                PaymentProviders.require(provider, PaymentProvider.Capability.MULTIPLE_REFUNDS);
            }
            refunds.insert(refundId, payment, requested, RefundState.PENDING, null, reason, clock.instant(), creationKey,
                    lines);
            sync.scheduleCheck(paymentId);
            timeline.record(payment.orderId(), TimelineKind.REFUND_CREATED, "refund " + refundId + " of "
                            + new Money(requested, payment.amount().currency()) + " requested",
                    Map.of("refund", refundId, "payment", paymentId, "amount", requested));
            audit.record("refund.create", "refund", refundId, AuditTrail.Outcome.SUCCEEDED, reason,
                    Map.of("payment", paymentId, "amount", requested));
            return new Begun(requested, null, payment);
        });
        if (begun.existingRefundId() != null) {
            return refunds.get(begun.existingRefundId());
        }
        long amount = begun.amount();
        Payment intended = begun.payment();
        ProviderResult<ProviderPayment.Refund> result = ProviderCalls.call(() -> provider.refund(
                intended.providerPaymentId(), refundId, new Money(amount, intended.amount().currency())));
        Optional<Refund> answered = tx.execute(status -> {
            Payments.LockedWithRefunds locked = sync.lockWithRefunds(before.orderId(), before.id());
            Payment payment = locked.payment();
            sync.recordCall(payment, "refund " + refundId, result);
            if (result instanceof ProviderResult.Done<ProviderPayment.Refund> done) {
                // the payment's refunds as applied: read once with the payment, for the check and for the answer
                List<Refund> current = sync.applyRefund(payment, done.value(), "provider answered refund",
                        locked.refunds().refunds());
                sync.scheduleCheckIfUnsettled(payment, current);
                return answering(current.stream().filter(r -> r.id().equals(refundId)).findFirst(), inAnswer);
            } else if (result instanceof ProviderResult.Rejected<ProviderPayment.Refund> rejected) {
                Refund after = sync.moveRefundTo(payment, refunds.get(refundId), RefundState.FAILED, null,
                        rejected.message(), "provider rejected refund: " + rejected.message());
                sync.scheduleCheckIfUnsettled(payment);
                return answering(Optional.of(after), inAnswer);
            } else if (result instanceof ProviderResult.Unknown<ProviderPayment.Refund> unknown) {
                Refund after = sync.moveRefundTo(payment, refunds.get(refundId), RefundState.UNKNOWN, null, null,
                        "refund outcome unknown: " + unknown.reason());
                sync.scheduleCheckIfUnsettled(payment);
                return answering(Optional.of(after), inAnswer);
            }
            sync.scheduleCheckIfUnsettled(payment);
            return Optional.<Refund>empty();
        });
        if (result instanceof ProviderResult.Rejected<ProviderPayment.Refund>) {
            lookAgainAfterRefusal(before, provider, intended.providerPaymentId());
        }
        return answered.orElseGet(() -> refunds.get(refundId));
    }

    /**
     * A refused refund often means our view of the payment is behind the provider's: money already
     * refunded elsewhere (in the provider's dashboard) whose notification has not come yet, or,
     * with T-Bank, which lists no refunds, one that only shows now that ours no longer counts. The
     * payment is read once more and what it says is applied, so such a refund is found now rather
     * than by the month's reconciliation. This is best effort: the refusal is already recorded and
     * answered, and a read that fails leaves the refund to the next notification.
     */
    private void lookAgainAfterRefusal(Payments.Ref ref, PaymentProvider provider, String providerPaymentId) {
        ProviderResult<ProviderPayment> now = ProviderCalls.call(() -> provider.fetch(providerPaymentId));
        if (!(now instanceof ProviderResult.Done<ProviderPayment> done)) {
            return;
        }
        try {
            tx.executeWithoutResult(status -> {
                Payments.LockedWithRefunds locked = sync.lockWithRefunds(ref.orderId(), ref.id());
                sync.apply(locked.payment(), done.value(), "payment read again after the provider refused a refund",
                        locked.refunds().refunds());
            });
        } catch (RuntimeException e) {
            LOG.warn("payment {} read again after a refused refund could not be applied: {}", ref.id(), e.toString());
        }
    }

    /** Hands the answer to {@code inAnswer} (if any) in the current transaction. */
    private static Optional<Refund> answering(Optional<Refund> answer, java.util.function.Consumer<Refund> inAnswer) {
        if (inAnswer != null) {
            answer.ifPresent(inAnswer);
        }
        return answer;
    }
}
