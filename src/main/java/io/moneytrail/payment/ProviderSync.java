package io.moneytrail.payment;

import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.OrderService;
import io.moneytrail.order.Timeline;
import io.moneytrail.order.TimelineKind;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
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

    private final OrderService orders;
    private final Timeline timeline;
    private final Payments payments;
    private final Refunds refunds;
    private final OrderPaymentWatch watch;
    private final Compensations compensations;
    private final PaymentProperties properties;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ProviderSync(OrderService orders, Timeline timeline, Payments payments, Refunds refunds, OrderPaymentWatch watch,
                 Compensations compensations, PaymentProperties properties, ApplicationEventPublisher events,
                 Clock clock) {
        this.orders = orders;
        this.timeline = timeline;
        this.payments = payments;
        this.refunds = refunds;
        this.watch = watch;
        this.compensations = compensations;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
    }

    /** Locks order then payment (always in that order), and reads the payment under the lock. */
    Payment lock(String paymentId) {
        String orderId = payments.orderIdOf(paymentId);
        orders.lock(orderId);
        watch.watch(orderId);
        payments.lock(paymentId);
        return payments.get(paymentId);
    }

    /** Applies a provider's full view of a payment. */
    void apply(Payment payment, ProviderPayment snapshot, String cause) {
        Instant now = clock.instant();
        payments.linkProvider(payment.id(), snapshot.providerPaymentId(), snapshot.redirectUrl(), now);
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
        if (snapshot.amountAuthorized() > 0) {
            recordMoney(payment, null, MoneyTransaction.Kind.AUTHORIZATION, snapshot.amountAuthorized(), reference, now);
        }
        for (ProviderPayment.Capture capture : snapshot.captures()) {
            recordMoney(payment, null, MoneyTransaction.Kind.CAPTURE, capture.amount(), capture.id(),
                    capture.at() == null ? now : capture.at());
        }
        if (snapshot.amountReleased() > 0) {
            recordMoney(payment, null, MoneyTransaction.Kind.VOID, snapshot.amountReleased(), reference, now);
        }
        if (snapshot.state() == PaymentState.FAILED && snapshot.failureCode() != null) {
            payments.recordFailure(payment.id(), snapshot.failureCode(), snapshot.failureMessage(), now);
        }
        moveTo(payment, snapshot.state(), cause);
        for (ProviderPayment.Refund refund : snapshot.refunds()) {
            applyRefund(payment, refund, cause);
        }
        scheduleCheckIfUnsettled(payment);
        compensateIfOrderClosed(payment);
    }

    /** Applies what the provider says about one refund; one it made on its own is recorded as ours. */
    void applyRefund(Payment payment, ProviderPayment.Refund reported, String cause) {
        Optional<Refund> ours = Optional.empty();
        if (reported.merchantReference() != null) {
            ours = refunds.find(reported.merchantReference()).filter(r -> r.paymentId().equals(payment.id()));
        }
        if (ours.isEmpty()) {
            ours = refunds.findByProviderId(reported.id());
        }
        Refund refund;
        if (ours.isPresent()) {
            refund = ours.get();
        } else {
            String id = Ids.next(Ids.REFUND);
            refunds.insert(id, payment, reported.amount(), RefundState.PENDING, reported.id(),
                    "made at the provider", clock.instant());
            timeline.record(payment.orderId(), TimelineKind.REFUND_DISCOVERED, "refund " + reported.id() + " of "
                            + new Money(reported.amount(), payment.amount().currency())
                            + " made at the provider, recorded as " + id,
                    Map.of("refund", id, "provider_refund", reported.id(), "amount", reported.amount()));
            refund = refunds.get(id);
        }
        moveRefund(payment, refund, reported.state(), reported.id(), null, cause);
        if (reported.state() == RefundState.SUCCEEDED) {
            recordMoney(payment, refund.id(), MoneyTransaction.Kind.REFUND, reported.amount(), reported.id(),
                    reported.at() == null ? clock.instant() : reported.at());
        }
    }

    /** Walks the transition table from the current state to {@code target}, one legal move at a time. */
    void moveTo(Payment payment, PaymentState target, String cause) {
        PaymentState current = payments.get(payment.id()).state();
        if (target == PaymentState.UNKNOWN && current != PaymentState.UNKNOWN) {
            if (PaymentState.TABLE.allows(current, PaymentState.Event.LOSE_TRACK)) {
                step(payment, current, PaymentState.Event.LOSE_TRACK, cause);
            }
            return;
        }
        Optional<List<PaymentState.Event>> path = PaymentState.TABLE.path(current, target);
        if (path.isEmpty()) {
            timeline.record(payment.orderId(), TimelineKind.PAYMENT_STATUS_IGNORED, "ignored " + target.wire()
                            + " for payment " + payment.id() + " already " + current.wire() + " (" + cause + ")",
                    Map.of("payment", payment.id(), "current", current.wire(), "reported", target.wire()));
            return;
        }
        for (PaymentState.Event event : path.get()) {
            current = step(payment, current, event, cause);
        }
    }

    /** One move of the payment's transition table, with its event and timeline entry. */
    PaymentState step(Payment payment, PaymentState from, PaymentState.Event event, String cause) {
        PaymentState to = PaymentState.TABLE.next(from, event);
        payments.updateState(payment.id(), to, clock.instant());
        events.publishEvent(new PaymentStateChanged(payment.id(), payment.orderId(), from, to, cause, clock.instant()));
        timeline.record(payment.orderId(), TimelineKind.PAYMENT_STATUS_CHANGED, "payment " + payment.id() + " "
                        + from.wire() + " -> " + to.wire() + ": " + cause,
                Map.of("payment", payment.id(), "from", from.wire(), "to", to.wire(),
                        "event", event.name().toLowerCase(), "cause", cause));
        return to;
    }

    void moveRefund(Payment payment, Refund refund, RefundState target, String providerRefundId,
                    String failureMessage, String cause) {
        Optional<List<RefundState.Event>> path = RefundState.TABLE.path(refund.state(), target);
        if (path.isEmpty()) {
            timeline.record(payment.orderId(), TimelineKind.REFUND_STATUS_IGNORED, "ignored " + target.wire()
                            + " for refund " + refund.id() + " already " + refund.state().wire() + " (" + cause + ")",
                    Map.of("refund", refund.id(), "current", refund.state().wire(), "reported", target.wire()));
            return;
        }
        RefundState state = refund.state();
        for (RefundState.Event event : path.get()) {
            state = RefundState.TABLE.next(state, event);
        }
        refunds.update(refund.id(), state, providerRefundId, failureMessage, clock.instant());
        if (state != refund.state()) {
            events.publishEvent(new RefundStateChanged(refund.id(), payment.id(), payment.orderId(), refund.amount(),
                    refund.state(), state, clock.instant()));
            timeline.record(payment.orderId(), TimelineKind.REFUND_STATUS_CHANGED, "refund " + refund.id() + " "
                            + refund.state().wire() + " -> " + state.wire() + ": " + cause,
                    Map.of("refund", refund.id(), "from", refund.state().wire(), "to", state.wire(), "cause", cause));
        }
    }

    /** Records a money movement once (by its provider reference); the ledger posts it from the event. */
    private void recordMoney(Payment payment, String refundId, MoneyTransaction.Kind kind, long amountMinor,
                             String reference, Instant at) {
        Optional<String> recorded = payments.recordTransaction(payment, refundId, kind, amountMinor, reference, at);
        if (recorded.isPresent()) {
            Money amount = new Money(amountMinor, payment.amount().currency());
            events.publishEvent(new MoneyMoved(recorded.get(), payment.id(), payment.orderId(), refundId,
                    payment.provider(), kind, amount, at));
            timeline.record(payment.orderId(), TimelineKind.TRANSACTION_RECORDED, kind.wire() + " of " + amount
                            + " on " + payment.id(),
                    Map.of("kind", kind.wire(), "amount", amountMinor, "payment", payment.id(),
                            "provider_reference", reference));
        }
    }

    /** Money held for an order that can no longer be completed is given back (or held for review). */
    void compensateIfOrderClosed(Payment payment) {
        OrderStatus lifecycle = orders.lock(payment.orderId());
        if (lifecycle != OrderStatus.CANCELLED && lifecycle != OrderStatus.EXPIRED) {
            return;
        }
        Payment now = payments.get(payment.id());
        long refundable = now.amountCaptured() - refunds.amountHeld(payment.id());
        if (refundable <= 0 && now.amountCapturable() <= 0) {
            return;
        }
        boolean hold = properties.compensation().holds();
        String note = "order is " + lifecycle.wire() + " but " + payment.id() + " holds "
                + new Money(Math.max(refundable, 0), payment.amount().currency()) + " captured and "
                + new Money(now.amountCapturable(), payment.amount().currency()) + " authorised";
        Instant at = clock.instant();
        if (compensations.open(payment.orderId(), payment.id(), hold, at.plus(properties.compensation().delay()), at,
                note)) {
            timeline.record(payment.orderId(), hold ? TimelineKind.COMPENSATION_HELD
                            : TimelineKind.COMPENSATION_SCHEDULED,
                    (hold ? "held for review: " : "will be given back automatically: ") + note,
                    Map.of("payment", payment.id(), "captured_refundable", Math.max(refundable, 0),
                            "authorized", now.amountCapturable()));
        }
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

    /** Asks the resolver to look at a payment that is unsettled or has unsettled refunds. */
    void scheduleCheckIfUnsettled(Payment payment) {
        Payment now = payments.get(payment.id());
        boolean unsettled = now.state().isAwaitingAnswer()
                || refunds.ofPayment(payment.id()).stream().anyMatch(r -> r.state().isUnsettled());
        if (unsettled) {
            scheduleCheck(payment.id());
        }
    }

    /**
     * Schedules the resolver's check of a payment; committed with every intent, so if we die
     * before the provider's answer is saved, the resolver still asks.
     */
    void scheduleCheck(String paymentId) {
        Instant now = clock.instant();
        payments.scheduleCheck(paymentId, now.plus(properties.resolver().delay(0)), now);
    }
}
