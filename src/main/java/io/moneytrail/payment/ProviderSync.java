package io.moneytrail.payment;

import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.order.Timeline;
import io.moneytrail.order.TimelineKind;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The one door for what a provider says about a payment: a webhook, the resolver's check, the
 * answer to a create, capture, void or refund, and a refused void all end here. What the
 * provider reports is applied as a whole (money facts recorded once by their provider
 * reference, states walked through the transition tables), so a duplicate, late or reordered
 * report cannot move a state backwards or count money twice. Every method expects the caller
 * to hold the order and payment locks ({@link #lock}) in the current transaction.
 */
@Component
class ProviderSync {

    private final PaymentLocks locks;
    private final Timeline timeline;
    private final Payments payments;
    private final Refunds refunds;
    private final CheckSchedule schedule;
    private final CompensationRecords compensations;
    private final MoneyFactPublisher events;
    private final Clock clock;

    ProviderSync(PaymentLocks locks, Timeline timeline, Payments payments, Refunds refunds, CheckSchedule schedule,
                 CompensationRecords compensations, MoneyFactPublisher events, Clock clock) {
        this.locks = locks;
        this.timeline = timeline;
        this.payments = payments;
        this.refunds = refunds;
        this.schedule = schedule;
        this.compensations = compensations;
        this.events = events;
        this.clock = clock;
    }

    /** Locks order then payment (always in that order), and reads the payment under the lock. */
    Payment lock(String paymentId) {
        return locks.lock(paymentId);
    }

    /** As {@link #lock(String)}, for a payment already read (its order is known): no lookup first. */
    Payment lock(Payment known) {
        return locks.lock(known.orderId(), known.id());
    }

    /** Locks the order for a new payment and reads its total and money. */
    PaymentLocks.OrderToPay lockForPayment(String orderId) {
        return locks.lockForPayment(orderId);
    }

    /** Tells the rest of the application that a payment intent was written in this transaction. */
    void started(String paymentId, String orderId, String provider, Instant at) {
        events.publishEvent(new PaymentStarted(paymentId, orderId, provider, at));
    }

    /** The order's payment status may move in this transaction (see {@link OrderPaymentWatch#changed}). */
    void orderMoneyMayMove(String orderId) {
        locks.orderMoneyMayMove(orderId);
    }

    /** The order's money moved to {@code after}, known without a read (see {@link OrderPaymentWatch#changedTo}). */
    void orderMoneyMovedTo(String orderId, io.moneytrail.order.OrderMoney after) {
        locks.orderMoneyMovedTo(orderId, after);
    }

    /** As {@link #lock(Payment)}, also reading the payment's refunds (one statement). */
    Payments.LockedWithRefunds lockWithRefunds(Payment known) {
        return locks.lockWithRefunds(known.orderId(), known.id());
    }

    /** As {@link #lockWithRefunds(Payment)}, when the payment's order is known. */
    Payments.LockedWithRefunds lockWithRefunds(String orderId, String paymentId) {
        return locks.lockWithRefunds(orderId, paymentId);
    }

    /** As {@link #lock(String)}, when the payment's order is known. */
    Payment lock(String orderId, String paymentId) {
        return locks.lock(orderId, paymentId);
    }

    /**
     * Applies a provider's full view of a payment, read under the locks: money facts first (each
     * recorded once, by its provider reference, in one statement), then the state, then refunds.
     */
    void apply(Payment payment, ProviderPayment snapshot, String cause) {
        apply(payment, snapshot, cause, null);
    }

    /**
     * As {@link #apply(Payment, ProviderPayment, String)}, with the payment's refunds as read under
     * the lock ({@code known}; null: read them here if needed).
     */
    void apply(Payment payment, ProviderPayment snapshot, String cause, List<Refund> known) {
        Instant now = clock.instant();
        boolean linked = snapshot.providerPaymentId().equals(payment.providerPaymentId())
                && (snapshot.redirectUrl() == null || snapshot.redirectUrl().equals(payment.redirectUrl()));
        if (!linked) {
            payments.linkProvider(payment.id(), snapshot.providerPaymentId(), snapshot.redirectUrl(), now);
        }
        if (!snapshot.amount().equals(payment.amount())) {
            timeline.record(payment.orderId(), TimelineKind.PAYMENT_AMOUNT_MISMATCH, "provider reports "
                            + snapshot.amount() + " for payment " + payment.id() + " of " + payment.amount(),
                    Map.of("payment", payment.id(), "provider_amount", snapshot.amount().amountMinor(),
                            "provider_currency", snapshot.amount().currencyCode()));
            if (!snapshot.amount().currency().equals(payment.amount().currency())) {
                return; // money in another currency cannot be booked against this payment; left for review
            }
        }
        String reference = snapshot.providerPaymentId();
        List<Payments.Fact> facts = new ArrayList<>();
        if (snapshot.amountAuthorized() > 0) {
            facts.add(new Payments.Fact(MoneyTransaction.Kind.AUTHORIZATION, null, snapshot.amountAuthorized(),
                    reference, now));
        }
        for (ProviderPayment.Capture capture : snapshot.captures()) {
            facts.add(new Payments.Fact(MoneyTransaction.Kind.CAPTURE, null, capture.amount(), capture.id(),
                    capture.at() == null ? now : capture.at()));
        }
        if (snapshot.amountReleased() > 0) {
            facts.add(new Payments.Fact(MoneyTransaction.Kind.VOID, null, snapshot.amountReleased(), reference, now));
        }
        addDisputes(snapshot.disputes(), facts, now);
        recordMoney(payment, facts);
        if (snapshot.state() == PaymentState.FAILED && snapshot.failureCode() != null) {
            payments.recordFailure(payment.id(), snapshot.failureCode(), snapshot.failureMessage(), now);
        }
        PaymentState state = moveTo(payment, snapshot.state(), cause);
        boolean refundsUnsettled = false;
        // a settled payment that reports no refunds needs none of ours read: clearing its check (below) is
        // skipped by the update itself while a refund of it is unsettled, whose intent scheduled its own check
        boolean settledWithoutRefunds = snapshot.refunds().isEmpty() && CheckSchedule.settled(state);
        if (!snapshot.refunds().isEmpty() || (!state.isAwaitingAnswer() && !settledWithoutRefunds)) {
            List<Refund> ours = new ArrayList<>(known != null ? known : refunds.ofPayment(payment.id()));
            List<Payments.Fact> refunded = new ArrayList<>();
            for (ProviderPayment.Refund refund : snapshot.refunds()) {
                applyRefund(payment, refund, cause, ours, refunded);
            }
            recordMoney(payment, refunded);
            refundsUnsettled = ours.stream().anyMatch(r -> r.state().isUnsettled());
        }
        if (state.isAwaitingAnswer() || refundsUnsettled) {
            scheduleCheck(payment.id());
        } else {
            schedule.clearIfSettled(payment.id(), state);
        }
        compensateIfOrderClosed(payment);
    }

    /**
     * Applies what the provider says about one refund (one it made on its own is recorded as ours);
     * answers the payment's refunds as they are after it.
     */
    List<Refund> applyRefund(Payment payment, ProviderPayment.Refund reported, String cause) {
        return applyRefund(payment, reported, cause, refunds.ofPayment(payment.id()));
    }

    /** As {@link #applyRefund(Payment, ProviderPayment.Refund, String)}, with the payment's refunds as read under the lock. */
    List<Refund> applyRefund(Payment payment, ProviderPayment.Refund reported, String cause, List<Refund> known) {
        List<Payments.Fact> refunded = new ArrayList<>();
        List<Refund> ours = new ArrayList<>(known);
        applyRefund(payment, reported, cause, ours, refunded);
        recordMoney(payment, refunded);
        return ours;
    }

    /**
     * Matches a reported refund to ours (by our id, then by the provider's), moves it, and adds
     * its money fact to {@code refunded}; {@code ours} is kept current.
     */
    private void applyRefund(Payment payment, ProviderPayment.Refund reported, String cause, List<Refund> ours,
                             List<Payments.Fact> refunded) {
        int index = -1;
        for (int i = 0; i < ours.size() && index < 0; i++) {
            if (reported.merchantReference() != null && ours.get(i).id().equals(reported.merchantReference())) {
                index = i;
            }
        }
        for (int i = 0; i < ours.size() && index < 0; i++) {
            if (reported.id().equals(ours.get(i).providerRefundId())) {
                index = i;
            }
        }
        Refund refund;
        if (index < 0) {
            Optional<Refund> elsewhere = refunds.findByProviderId(reported.id());
            if (elsewhere.isPresent()) {
                refund = elsewhere.get();
            } else {
                String id = Ids.next(Ids.REFUND);
                Instant created = clock.instant();
                refunds.insert(id, payment, reported.amount(), RefundState.PENDING, reported.id(),
                        "made at the provider", created);
                timeline.record(payment.orderId(), TimelineKind.REFUND_DISCOVERED, "refund " + reported.id() + " of "
                                + new Money(reported.amount(), payment.amount().currency())
                                + " made at the provider, recorded as " + id,
                        Map.of("refund", id, "provider_refund", reported.id(), "amount", reported.amount()));
                refund = new Refund(id, payment.id(), payment.orderId(), reported.id(),
                        new Money(reported.amount(), payment.amount().currency()), RefundState.PENDING,
                        "made at the provider", null, created);
            }
            ours.add(refund);
            index = ours.size() - 1;
        } else {
            refund = ours.get(index);
        }
        // a refund reaches SUCCEEDED only here, with its fact recorded in the same transaction under the reported id:
        // a repeat of that report (the webhook after the refund call's own answer) has nothing new to record
        boolean recordedBefore = refund.state() == RefundState.SUCCEEDED && reported.id().equals(refund.providerRefundId());
        ours.set(index, moveRefundTo(payment, refund, reported.state(), reported.id(), null, cause));
        if (reported.state() == RefundState.SUCCEEDED && !recordedBefore) {
            refunded.add(new Payments.Fact(MoneyTransaction.Kind.REFUND, refund.id(), reported.amount(), reported.id(),
                    reported.at() == null ? clock.instant() : reported.at()));
        }
    }

    /**
     * Walks the transition table from the payment's state (as read under the lock) to
     * {@code target}, one legal move at a time; answers the state reached.
     */
    PaymentState moveTo(Payment payment, PaymentState target, String cause) {
        PaymentState current = payment.state();
        if (target == PaymentState.UNKNOWN && current != PaymentState.UNKNOWN) {
            if (PaymentState.TABLE.allows(current, PaymentState.Event.LOSE_TRACK)) {
                return step(payment, current, PaymentState.Event.LOSE_TRACK, cause);
            }
            return current;
        }
        Optional<List<PaymentState.Event>> path = PaymentState.TABLE.path(current, target);
        if (path.isEmpty()) {
            timeline.record(payment.orderId(), TimelineKind.PAYMENT_STATUS_IGNORED, "ignored " + target.wire()
                            + " for payment " + payment.id() + " already " + current.wire() + " (" + cause + ")",
                    Map.of("payment", payment.id(), "current", current.wire(), "reported", target.wire()));
            return current;
        }
        for (PaymentState.Event event : path.get()) {
            current = step(payment, current, event, cause);
        }
        return current;
    }

    /** One move of the payment's transition table, with its event and timeline entry. */
    PaymentState step(Payment payment, PaymentState from, PaymentState.Event event, String cause) {
        PaymentState to = PaymentState.TABLE.next(from, event);
        boolean movesOrder = OrderPaymentWatch.movesOrderStatus(from, to);
        if (movesOrder) {
            locks.orderMoneyAboutToMove(payment.orderId());
        }
        Payment after = payments.updateState(payment.id(), to, clock.instant());
        if (movesOrder) {
            locks.orderMoneyMayMove(payment.orderId());
        }
        events.publishEvent(new PaymentStateChanged(payment.id(), payment.orderId(), from, to, cause, clock.instant(),
                after));
        timeline.record(payment.orderId(), TimelineKind.PAYMENT_STATUS_CHANGED, "payment " + payment.id() + " "
                        + from.wire() + " -> " + to.wire() + ": " + cause,
                Map.of("payment", payment.id(), "from", from.wire(), "to", to.wire(),
                        "event", event.name().toLowerCase(), "cause", cause));
        return to;
    }

    /** Moves a refund towards {@code target} through its table; answers the state reached. */
    RefundState moveRefund(Payment payment, Refund refund, RefundState target, String providerRefundId,
                           String failureMessage, String cause) {
        return moveRefundTo(payment, refund, target, providerRefundId, failureMessage, cause).state();
    }

    /** As {@link #moveRefund}; answers the refund as it is after (as a read would answer it). */
    Refund moveRefundTo(Payment payment, Refund refund, RefundState target, String providerRefundId,
                        String failureMessage, String cause) {
        Optional<List<RefundState.Event>> path = RefundState.TABLE.path(refund.state(), target);
        if (path.isEmpty()) {
            timeline.record(payment.orderId(), TimelineKind.REFUND_STATUS_IGNORED, "ignored " + target.wire()
                            + " for refund " + refund.id() + " already " + refund.state().wire() + " (" + cause + ")",
                    Map.of("refund", refund.id(), "current", refund.state().wire(), "reported", target.wire()));
            return refund;
        }
        RefundState state = refund.state();
        for (RefundState.Event event : path.get()) {
            state = RefundState.TABLE.next(state, event);
        }
        // a repeat of what the row already says (a webhook after the refund call's own answer) writes nothing
        boolean changes = state != refund.state()
                || (providerRefundId != null && refund.providerRefundId() == null)
                || (failureMessage != null && !failureMessage.equals(refund.failureMessage()));
        if (changes) {
            refunds.update(refund.id(), state, providerRefundId, failureMessage, clock.instant());
        }
        Refund after = new Refund(refund.id(), refund.paymentId(), refund.orderId(),
                refund.providerRefundId() == null ? providerRefundId : refund.providerRefundId(), refund.amount(),
                state, refund.reason(), failureMessage == null ? refund.failureMessage() : failureMessage,
                refund.created());
        if (state != refund.state()) {
            events.publishEvent(new RefundStateChanged(refund.id(), payment.id(), payment.orderId(), refund.amount(),
                    refund.state(), state, clock.instant(), after));
            timeline.record(payment.orderId(), TimelineKind.REFUND_STATUS_CHANGED, "refund " + refund.id() + " "
                            + refund.state().wire() + " -> " + state.wire() + ": " + cause,
                    Map.of("refund", refund.id(), "from", refund.state().wire(), "to", state.wire(), "cause", cause));
        }
        return after;
    }

    /**
     * A dispute's money: taken back when it opens (an inquiry moves none), returned when the
     * store wins. Each fact is recorded once by the dispute's id, so a lost dispute leaves the
     * chargeback alone and a won one adds its reversal.
     */
    private static void addDisputes(List<ProviderPayment.Dispute> disputes, List<Payments.Fact> facts, Instant now) {
        for (ProviderPayment.Dispute dispute : disputes) {
            if (dispute.state() == ProviderPayment.DisputeState.INQUIRY || dispute.amount() <= 0) {
                continue;
            }
            Instant at = dispute.at() == null ? now : dispute.at();
            facts.add(new Payments.Fact(MoneyTransaction.Kind.CHARGEBACK, null, dispute.amount(), dispute.id(), at));
            if (dispute.state() == ProviderPayment.DisputeState.WON) {
                facts.add(new Payments.Fact(MoneyTransaction.Kind.CHARGEBACK_REVERSAL, null, dispute.amount(),
                        dispute.id(), now));
            }
        }
    }

    /**
     * Records money movements, each once (by its provider reference), in one statement; the
     * ledger posts each new one from its event. True when something new was recorded.
     */
    private boolean recordMoney(Payment payment, List<Payments.Fact> facts) {
        // the order's money before, if still needed, is read by the insert itself
        List<Payments.Recorded> recorded = payments.recordTransactions(payment, facts,
                locks.orderMoneyBeforeNeeded(payment.orderId())
                        ? money -> locks.orderMoneyBefore(payment.orderId(), money) : null);
        if (!recorded.isEmpty()) {
            locks.orderMoneyMayMove(payment.orderId());
        }
        for (Payments.Recorded row : recorded) {
            Payments.Fact fact = row.fact();
            Money amount = new Money(fact.amountMinor(), payment.amount().currency());
            events.moneyMoved(new MoneyMoved(row.transactionId(), payment.id(), payment.orderId(), fact.refundId(),
                    payment.provider(), fact.kind(), amount, fact.at(), fact.reference(),
                    locks.orderCreatedAt(payment.orderId())));
            timeline.record(payment.orderId(), TimelineKind.TRANSACTION_RECORDED, fact.kind().wire() + " of " + amount
                            + " on " + payment.id(),
                    Map.of("kind", fact.kind().wire(), "amount", fact.amountMinor(), "payment", payment.id(),
                            "provider_reference", fact.reference()));
        }
        return !recorded.isEmpty();
    }

    /** Money held for an order that can no longer be completed is given back (or held for review). */
    void compensateIfOrderClosed(Payment payment) {
        compensations.openIfHeld(payment, locks.lifecycle(payment.orderId()));
    }

    /** Puts a provider call and its outcome on the order's timeline. */
    void recordCall(Payment payment, String operation, ProviderResult<?> result) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("payment", payment.id());
        data.put("operation", operation);
        data.put("result", ProviderCalls.describe(result));
        timeline.record(payment.orderId(), TimelineKind.PROVIDER_CALL, payment.provider() + " " + operation + ": "
                + ProviderCalls.describe(result), data);
    }

    /**
     * Asks the resolver to look at a payment that is unsettled or has unsettled refunds. The
     * payment is as read under the lock, and its state has not moved since (refunds only).
     */
    void scheduleCheckIfUnsettled(Payment payment) {
        scheduleCheckIfUnsettled(payment, refunds.ofPayment(payment.id()));
    }

    /** As {@link #scheduleCheckIfUnsettled(Payment)}, with the payment's refunds as they are now. */
    void scheduleCheckIfUnsettled(Payment payment, List<Refund> current) {
        boolean unsettled = payment.state().isAwaitingAnswer() || current.stream().anyMatch(r -> r.state().isUnsettled());
        if (unsettled) {
            scheduleCheck(payment.id());
        } else {
            schedule.clearIfSettled(payment.id(), payment.state());
        }
    }

    /** Schedules the resolver's check of a payment (see {@link CheckSchedule#scheduleCheck}). */
    void scheduleCheck(String paymentId) {
        schedule.scheduleCheck(paymentId);
    }
}
