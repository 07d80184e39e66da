package io.moneytrail.payment;

import io.moneytrail.access.AuditTrail;
import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.Order;
import io.moneytrail.order.OrderService;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.Orders;
import io.moneytrail.order.PaymentStatus;
import io.moneytrail.order.Timeline;
import io.moneytrail.order.TimelineKind;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Payments, captures, voids and refunds, and the order actions that touch money (cancel,
 * fulfil). Every change takes the order's row lock and then the payment's, so all changes to
 * one order and its payments are serialised. Provider calls for new objects (payments,
 * refunds) happen between two transactions: the intent is committed first, so a crash
 * leaves a visible row, never an invisible charge. Captures and voids hold the locks for the
 * (bounded) provider call so that they cannot interleave with each other or with webhooks.
 */
@Service
public class PaymentService {

    private static final Logger log = LoggerFactory.getLogger(PaymentService.class);
    public static final int URL_LENGTH_MAX = 2000;

    private final Orders orders;
    private final OrderService orderService;
    private final Timeline timeline;
    private final Payments payments;
    private final Refunds refunds;
    private final PaymentProviders providers;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final OrderPaymentWatch watch;
    private final PaymentProperties properties;
    private final Compensations compensations;
    private final AuditTrail audit;

    PaymentService(Orders orders, OrderService orderService, Timeline timeline, Payments payments, Refunds refunds,
                   PaymentProviders providers, TransactionTemplate tx, Clock clock, ApplicationEventPublisher events,
                   OrderPaymentWatch watch, PaymentProperties properties, Compensations compensations,
                   AuditTrail audit) {
        this.audit = audit;
        this.orders = orders;
        this.orderService = orderService;
        this.timeline = timeline;
        this.payments = payments;
        this.refunds = refunds;
        this.providers = providers;
        this.tx = tx;
        this.clock = clock;
        this.events = events;
        this.watch = watch;
        this.properties = properties;
        this.compensations = compensations;
    }

    public Payment get(String id) {
        return payments.get(id);
    }

    public Refund getRefund(String id) {
        return refunds.get(id);
    }

    public List<Payment> ofOrder(String orderId) {
        return payments.ofOrder(orderId);
    }

    /** What needs an operator: payments and refunds the resolver gave up on, held compensations. */
    public record Reviews(List<Payment> payments, List<Refund> refunds, List<Compensations.Compensation> compensations) {
    }

    public Reviews reviews(int limit) {
        return new Reviews(payments.inReview(limit), refunds.inReview(limit), compensations.held(limit));
    }

    // ---------------------------------------------------------------- payments

    /** Starts a payment attempt for what the order still owes. */
    public Payment create(String orderId, String providerName, String captureMethodWire, String returnUrl) {
        return create(orderId, providerName, captureMethodWire, returnUrl, null);
    }

    /**
     * Starts a payment attempt; with a {@code creationKey} (the request's scoped idempotency
     * key), a repeat after a crash returns the attempt the first run created.
     */
    public Payment create(String orderId, String providerName, String captureMethodWire, String returnUrl,
                          String creationKey) {
        if (creationKey != null) {
            Optional<String> existing = payments.idByCreationKey(creationKey);
            if (existing.isPresent()) {
                return payments.get(existing.get());
            }
        }
        PaymentProvider provider = providers.get(providerName);
        CaptureMethod captureMethod = CaptureMethod.parse(captureMethodWire);
        validateUrl(returnUrl, "return_url");
        String paymentId = Ids.next(Ids.PAYMENT);
        Money amount = tx.execute(status -> {
            OrderStatus lifecycle = orders.lock(orderId);
            watch.watch(orderId);
            if (lifecycle != OrderStatus.OPEN) {
                throw MoneytrailException.state("order_not_open",
                        "order " + orderId + " is " + lifecycle.wire() + "; only open orders take payments");
            }
            for (Payment existing : payments.ofOrder(orderId)) {
                if (existing.state().isInFlight() || existing.state() == PaymentState.AUTHORIZED
                        || existing.state() == PaymentState.PARTIALLY_CAPTURED) {
                    throw MoneytrailException.state("payment_in_progress", "order " + orderId + " already has payment "
                            + existing.id() + " in state " + existing.state().wire()
                            + "; complete or cancel it before starting another");
                }
            }
            Order order = orders.get(orderId);
            Money due = order.amountTotal().minus(new Money(order.money().amountNetCaptured(),
                    order.amountTotal().currency()));
            if (!due.isPositive()) {
                throw MoneytrailException.state("order_already_paid", "order " + orderId + " is already "
                        + order.money().paymentStatus().wire());
            }
            Instant now = clock.instant();
            payments.insert(paymentId, orderId, provider.name(), captureMethod, due, returnUrl, now, creationKey);
            // scheduled with the intent: if we die before the provider's answer is saved, the resolver still asks
            payments.scheduleCheck(paymentId, now.plus(properties.resolver().delay(0)), now);
            timeline.record(orderId, TimelineKind.PAYMENT_CREATED, "payment " + paymentId + " for " + due + " via "
                    + provider.name() + " (" + captureMethod.wire() + " capture)",
                    Map.of("payment", paymentId, "amount", due.amountMinor(), "capture_method", captureMethod.wire()));
            audit.record("payment.create", "payment", paymentId, AuditTrail.Outcome.SUCCEEDED, null,
                    Map.of("order", orderId, "amount", due.amountMinor()));
            return due;
        });
        ProviderResult<ProviderPayment> result = call(() -> provider.create(
                new PaymentProvider.CreatePayment(paymentId, orderId, amount, captureMethod, returnUrl)));
        tx.executeWithoutResult(status -> {
            Payment payment = lockPayment(paymentId);
            recordCall(payment, "create", result);
            if (result instanceof ProviderResult.Done<ProviderPayment> done) {
                applySnapshot(payment, done.value(), "provider answered create");
            } else if (result instanceof ProviderResult.Rejected<ProviderPayment> rejected) {
                payments.recordFailure(paymentId, rejected.code(), rejected.message(), clock.instant());
                moveTo(payment, PaymentState.FAILED, "provider rejected create: " + rejected.message());
            } else if (result instanceof ProviderResult.Unknown<ProviderPayment> unknown) {
                moveTo(payment, PaymentState.UNKNOWN, "create outcome unknown: " + unknown.reason());
                scheduleCheck(payment);
            }
        });
        return payments.get(paymentId);
    }

    /** Captures {@code amountMinor} (or all that is still authorised) of a manual-capture payment. */
    public Payment capture(String paymentId, Long amountMinor) {
        return capture(paymentId, amountMinor, null);
    }

    /**
     * Captures; with a {@code creationKey}, the provider's idempotency key is derived from it,
     * so a repeat after a crash replays the first capture at the provider instead of taking
     * money again.
     */
    public Payment capture(String paymentId, Long amountMinor, String creationKey) {
        String providerKey = creationKey == null ? Ids.next("cap_") : "cap_" + digest(creationKey);
        Payment before = payments.get(paymentId);
        PaymentProvider provider = providers.get(before.provider());
        markIntent(before);
        ProviderResult<ProviderPayment> result = tx.execute(status -> {
            Payment payment = lockPayment(paymentId);
            PaymentState.TABLE.next(payment.state(), PaymentState.Event.CAPTURE);
            long capturable = payment.amountCapturable();
            long amount = amountMinor == null ? capturable : amountMinor;
            if (amount <= 0) {
                throw MoneytrailException.invalid("amount_invalid", "amount", "amount must be a positive integer");
            }
            if (amount > capturable) {
                throw MoneytrailException.invalid("amount_too_large", "amount", "cannot capture " + amount
                        + "; only " + capturable + " is still authorised on " + paymentId);
            }
            ProviderResult<ProviderPayment> answer = call(() -> provider.capture(payment.providerPaymentId(),
                    new Money(amount, payment.amount().currency()), providerKey));
            recordCall(payment, "capture " + amount, answer);
            if (answer instanceof ProviderResult.Done<ProviderPayment> done) {
                applySnapshot(payment, done.value(), "captured " + amount + " by store");
            } else if (answer instanceof ProviderResult.Unknown<ProviderPayment>) {
                scheduleCheck(payment);
            }
            audit.record("payment.capture", "payment", paymentId, outcome(answer), null, Map.of("amount", amount));
            return answer;
        });
        throwUnlessDone(result, "capture");
        return payments.get(paymentId);
    }

    /** Voids an authorisation, or releases what is left after partial captures. */
    public Payment cancel(String paymentId) {
        Payment before = payments.get(paymentId);
        PaymentProvider provider = providers.get(before.provider());
        markIntent(before);
        ProviderResult<ProviderPayment> result = tx.execute(status -> {
            Payment payment = lockPayment(paymentId);
            ProviderResult<ProviderPayment> answer = voidLocked(provider, payment, "cancelled by store");
            audit.record("payment.cancel", "payment", paymentId, outcome(answer), null, Map.of());
            return answer;
        });
        throwUnlessDone(result, "cancel");
        return payments.get(paymentId);
    }

    private ProviderResult<ProviderPayment> voidLocked(PaymentProvider provider, Payment payment, String cause) {
        PaymentState.TABLE.next(payment.state(), PaymentState.Event.VOID);
        if (payment.providerPaymentId() == null) {
            throw MoneytrailException.state("payment_outcome_unknown", "payment " + payment.id()
                    + " has no provider reference yet (its creation is in flight or unknown); try again later");
        }
        ProviderResult<ProviderPayment> answer = call(() -> provider.cancel(payment.providerPaymentId(),
                "void_" + payment.id()));
        recordCall(payment, "cancel", answer);
        if (answer instanceof ProviderResult.Done<ProviderPayment> done) {
            applySnapshot(payment, done.value(), cause);
        } else if (answer instanceof ProviderResult.Unknown<ProviderPayment>) {
            scheduleCheck(payment);
        }
        return answer;
    }

    // ---------------------------------------------------------------- refunds

    /** Refunds {@code amountMinor} (or all that is still refundable) of a captured payment. */
    public Refund refund(String paymentId, Long amountMinor, String reason) {
        return refund(paymentId, amountMinor, reason, null);
    }

    /**
     * Refunds; with a {@code creationKey} (the request's scoped idempotency key), a repeat after
     * a crash returns the refund the first run created instead of refunding again.
     */
    public Refund refund(String paymentId, Long amountMinor, String reason, String creationKey) {
        if (creationKey != null) {
            Optional<Refund> existing = refunds.findByCreationKey(creationKey);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        if (paymentId == null || paymentId.isBlank()) {
            throw MoneytrailException.invalid("parameter_missing", "payment", "payment is required");
        }
        if (reason != null && reason.length() > 500) {
            throw MoneytrailException.invalid("parameter_too_long", "reason", "reason is at most 500 characters");
        }
        Payment before = payments.find(paymentId).orElseThrow(() -> MoneytrailException.notFound("payment", paymentId));
        PaymentProvider provider = providers.get(before.provider());
        String refundId = Ids.next(Ids.REFUND);
        long amount = tx.execute(status -> {
            Payment payment = lockPayment(paymentId);
            if (payment.amountCaptured() == 0) {
                throw MoneytrailException.state("payment_not_captured", "payment " + paymentId + " is "
                        + payment.state().wire() + " and has nothing captured to refund");
            }
            long refundable = payment.amountCaptured() - refunds.amountHeld(paymentId);
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
            refunds.insert(refundId, payment, requested, RefundState.PENDING, null, reason, clock.instant(), creationKey);
            // scheduled with the intent: if we die before the provider's answer is saved, the resolver still asks
            scheduleCheck(payment);
            timeline.record(payment.orderId(), TimelineKind.REFUND_CREATED, "refund " + refundId + " of "
                            + new Money(requested, payment.amount().currency()) + " requested",
                    Map.of("refund", refundId, "payment", paymentId, "amount", requested));
            audit.record("refund.create", "refund", refundId, AuditTrail.Outcome.SUCCEEDED, reason,
                    Map.of("payment", paymentId, "amount", requested));
            return requested;
        });
        ProviderResult<ProviderPayment.Refund> result = call(() -> provider.refund(before.providerPaymentId(), refundId,
                new Money(amount, before.amount().currency())));
        tx.executeWithoutResult(status -> {
            Payment payment = lockPayment(paymentId);
            recordCall(payment, "refund " + refundId, result);
            if (result instanceof ProviderResult.Done<ProviderPayment.Refund> done) {
                applyRefund(payment, done.value(), "provider answered refund");
            } else if (result instanceof ProviderResult.Rejected<ProviderPayment.Refund> rejected) {
                moveRefund(payment, refunds.get(refundId), RefundState.FAILED, null, rejected.message(),
                        "provider rejected refund: " + rejected.message());
            } else if (result instanceof ProviderResult.Unknown<ProviderPayment.Refund> unknown) {
                moveRefund(payment, refunds.get(refundId), RefundState.UNKNOWN, null, null,
                        "refund outcome unknown: " + unknown.reason());
            }
            scheduleCheckIfUnsettled(payment);
        });
        return refunds.get(refundId);
    }

    // ---------------------------------------------------------------- order actions

    /** Cancels an open order, voiding its open authorisations; refused while money is captured. */
    public Order cancelOrder(String orderId) {
        Boolean cancelled = tx.execute(status -> {
            OrderStatus lifecycle = orders.lock(orderId);
            watch.watch(orderId);
            OrderStatus.TABLE.next(lifecycle, OrderStatus.Event.CANCEL);
            Order order = orders.get(orderId);
            long captured = order.money().amountNetCaptured();
            if (captured > 0) {
                throw MoneytrailException.state("order_has_captured_funds", "order " + orderId + " has "
                        + new Money(captured, order.amountTotal().currency())
                        + " captured and not refunded; refund it first, then cancel");
            }
            if (!voidOpenAttempts(orderId, "order cancelled")) {
                return false; // the provider had taken money meanwhile: keep what we learned, refuse below
            }
            orderService.transition(orderId, OrderStatus.Event.CANCEL, "cancelled by store");
            audit.record("order.cancel", "order", orderId);
            return true;
        });
        if (!Boolean.TRUE.equals(cancelled)) {
            Order order = orders.get(orderId);
            throw MoneytrailException.state("order_has_captured_funds", "order " + orderId + " has "
                    + new Money(order.money().amountNetCaptured(), order.amountTotal().currency())
                    + " captured (the provider took it meanwhile); refund it first, then cancel");
        }
        return orders.get(orderId);
    }

    /**
     * Expires an open order that has had nothing captured for {@code expire-after}: its open
     * attempts are voided at the provider first. Skips (returns false) an order another
     * worker holds, one that has money or is no longer open, and one whose void failed.
     */
    public boolean expireOrder(String orderId) {
        Boolean expired = tx.execute(status -> {
            Optional<OrderStatus> lifecycle = orders.tryLock(orderId);
            if (lifecycle.isEmpty() || lifecycle.get() != OrderStatus.OPEN) {
                return false;
            }
            watch.watch(orderId);
            Order order = orders.get(orderId);
            if (order.money().amountCaptured() > 0
                    || order.created().plus(properties.expireAfter()).isAfter(clock.instant())) {
                return false;
            }
            if (!voidOpenAttempts(orderId, "order expired")) {
                return false; // money arrived after all: the order is not unpaid
            }
            orderService.transition(orderId, OrderStatus.Event.EXPIRE, "nothing paid within "
                    + properties.expireAfter());
            return true;
        });
        return Boolean.TRUE.equals(expired);
    }

    /**
     * Voids, at the provider, every attempt of the order that can still be voided. An attempt
     * whose outcome is unknown cannot be voided yet: the order closes anyway, and if that
     * attempt turns out to have taken money, compensation gives it back. If the provider
     * refuses a void because the money was already taken, what it reports is applied and the
     * answer is false: the order has money and must not close. The caller holds the order lock.
     */
    private boolean voidOpenAttempts(String orderId, String cause) {
        for (Payment payment : payments.ofOrder(orderId)) {
            if (!PaymentState.TABLE.allows(payment.state(), PaymentState.Event.VOID)) {
                continue;
            }
            payments.lock(payment.id());
            if (payment.providerPaymentId() == null) {
                timeline.record(orderId, TimelineKind.PAYMENT_LEFT_TO_RESOLVER, "payment " + payment.id() + " is "
                        + payment.state().wire() + " with no provider reference; if it took money, it is given back",
                        Map.of("payment", payment.id()));
                continue;
            }
            PaymentProvider provider = providers.get(payment.provider());
            ProviderResult<ProviderPayment> answer = voidLocked(provider, payment, cause);
            if (answer instanceof ProviderResult.Rejected<ProviderPayment>) {
                ProviderResult<ProviderPayment> current = call(() -> provider.fetch(payment.providerPaymentId()));
                if (current instanceof ProviderResult.Done<ProviderPayment> done) {
                    applySnapshot(payments.get(payment.id()), done.value(), "void refused; provider's current state");
                }
            }
        }
        return orders.get(orderId).money().amountNetCaptured() == 0;
    }

    /** Marks an order fulfilled; only a fully paid order can be. */
    public Order fulfillOrder(String orderId) {
        tx.executeWithoutResult(status -> {
            OrderStatus lifecycle = orders.lock(orderId);
            OrderStatus.TABLE.next(lifecycle, OrderStatus.Event.FULFILL);
            PaymentStatus paid = orders.get(orderId).money().paymentStatus();
            if (paid != PaymentStatus.PAID && paid != PaymentStatus.OVERPAID) {
                throw MoneytrailException.state("order_not_paid", "order " + orderId + " is " + paid.wire()
                        + "; it can be fulfilled once paid in full (capture authorised payments first)");
            }
            orderService.transition(orderId, OrderStatus.Event.FULFILL, "fulfilled by store");
            audit.record("order.fulfill", "order", orderId);
        });
        return orders.get(orderId);
    }

    // ---------------------------------------------------------------- sync with the provider

    /** What came of a webhook or a status check. */
    public record SyncResult(Outcome outcome, String paymentId, String orderId, String detail) {
        public enum Outcome { SYNCED, UNMATCHED, FETCH_FAILED }
    }

    /**
     * Applies what a verified webhook is about. Webhooks are hints: the payment's current
     * state is fetched from the provider and applied as a whole, so a duplicate, delayed or
     * reordered webhook cannot move a state backwards or count money twice.
     */
    public SyncResult syncFromWebhook(String providerName, ProviderWebhook hook) {
        Optional<Payment> known = Optional.empty();
        if (hook.merchantReference() != null && Ids.hasPrefix(hook.merchantReference(), Ids.PAYMENT)) {
            known = payments.find(hook.merchantReference()).filter(p -> p.provider().equals(providerName));
        }
        if (known.isEmpty() && hook.providerPaymentId() != null) {
            known = payments.findByProviderId(providerName, hook.providerPaymentId());
        }
        if (known.isEmpty()) {
            return new SyncResult(SyncResult.Outcome.UNMATCHED, null, null,
                    "no payment for provider payment " + hook.providerPaymentId());
        }
        Payment payment = known.get();
        String providerPaymentId = hook.providerPaymentId() != null ? hook.providerPaymentId() : payment.providerPaymentId();
        ProviderResult<ProviderPayment> current = call(() -> providers.get(providerName).fetch(providerPaymentId));
        if (!(current instanceof ProviderResult.Done<ProviderPayment> done)) {
            return new SyncResult(SyncResult.Outcome.FETCH_FAILED, payment.id(), payment.orderId(), describe(current));
        }
        if (!payment.id().equals(done.value().merchantReference())) {
            return new SyncResult(SyncResult.Outcome.UNMATCHED, payment.id(), payment.orderId(),
                    "provider payment " + providerPaymentId + " belongs to " + done.value().merchantReference());
        }
        tx.executeWithoutResult(status -> {
            Payment locked = lockPayment(payment.id());
            timeline.record(locked.orderId(), TimelineKind.WEBHOOK_RECEIVED, "webhook " + hook.type() + " (" + hook.eventId() + ")",
                    Map.of("event", hook.eventId(), "type", hook.type(), "payment", payment.id()));
            applySnapshot(locked, done.value(), "webhook " + hook.type());
        });
        return new SyncResult(SyncResult.Outcome.SYNCED, payment.id(), payment.orderId(), null);
    }

    /** Locks order then payment, and reads the payment under the lock. */
    private Payment lockPayment(String paymentId) {
        String orderId = payments.orderIdOf(paymentId);
        orders.lock(orderId);
        watch.watch(orderId);
        payments.lock(paymentId);
        return payments.get(paymentId);
    }

    /** Applies a provider's full view of a payment. The caller holds the order and payment locks. */
    private void applySnapshot(Payment payment, ProviderPayment snapshot, String cause) {
        Instant now = clock.instant();
        payments.linkProvider(payment.id(), snapshot.providerPaymentId(), snapshot.redirectUrl(), now);
        if (!snapshot.amount().equals(payment.amount())) {
            timeline.record(payment.orderId(), TimelineKind.PAYMENT_AMOUNT_MISMATCH, "provider reports " + snapshot.amount()
                            + " for payment " + payment.id() + " of " + payment.amount(),
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

    /** Money held for an order that can no longer be completed is given back (or held for review). */
    private void compensateIfOrderClosed(Payment payment) {
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
            timeline.record(payment.orderId(), hold ? TimelineKind.COMPENSATION_HELD : TimelineKind.COMPENSATION_SCHEDULED,
                    (hold ? "held for review: " : "will be given back automatically: ") + note,
                    Map.of("payment", payment.id(), "captured_refundable", Math.max(refundable, 0),
                            "authorized", now.amountCapturable()));
        }
    }

    /**
     * Gives back what a payment of a cancelled or expired order holds: voids the open
     * authorisation, refunds captured money. Returns a note on what was done.
     */
    public String compensate(String compensationId) {
        Compensations.Compensation compensation = compensations.find(compensationId)
                .orElseThrow(() -> MoneytrailException.notFound("compensation", compensationId));
        Payment payment = payments.get(compensation.paymentId());
        StringBuilder done = new StringBuilder();
        try {
            if (payment.amountCapturable() > 0 && PaymentState.TABLE.allows(payment.state(), PaymentState.Event.VOID)) {
                cancel(payment.id());
                done.append("voided ").append(payment.amountCapturable()).append("; ");
            }
            Payment after = payments.get(payment.id());
            long refundable = after.amountCaptured() - refunds.amountHeld(payment.id());
            if (refundable > 0) {
                Refund refund = refund(payment.id(), refundable, "compensation: order "
                        + payment.orderId() + " can no longer be completed");
                done.append("refund ").append(refund.id()).append(" of ").append(refundable).append(" ")
                        .append(refund.state().wire());
            }
            String note = done.length() == 0 ? "nothing left to give back" : done.toString();
            tx.executeWithoutResult(status -> {
                compensations.finish(compensationId, "done", note, clock.instant());
                timeline.record(payment.orderId(), TimelineKind.COMPENSATION_DONE, "compensation for " + payment.id() + ": " + note,
                        Map.of("payment", payment.id(), "compensation", compensationId));
            });
            return note;
        } catch (MoneytrailException e) {
            String note = "retrying: " + e.getMessage();
            compensations.retryAt(compensationId, clock.instant().plus(properties.resolver().delay(0)), note);
            return note;
        }
    }

    // ---------------------------------------------------------------- the resolver

    /** Asks the resolver to look at a payment that is unsettled or has unsettled refunds. */
    private void scheduleCheckIfUnsettled(Payment payment) {
        Payment now = payments.get(payment.id());
        boolean unsettled = now.state().isAwaitingAnswer()
                || refunds.ofPayment(payment.id()).stream().anyMatch(r -> r.state().isUnsettled());
        if (unsettled) {
            scheduleCheck(payment);
        }
    }

    private void scheduleCheck(Payment payment) {
        Instant now = clock.instant();
        payments.scheduleCheck(payment.id(), now.plus(properties.resolver().delay(0)), now);
    }

    /**
     * Commits, before a capture or void whose provider call runs inside the locked transaction,
     * a check of the payment: if the process dies during the call, that transaction is lost but
     * the resolver still asks the provider what happened. A check that finds nothing is cleared.
     */
    /** How a provider call ends up in the audit log. */
    private static AuditTrail.Outcome outcome(ProviderResult<?> answer) {
        if (answer instanceof ProviderResult.Done<?>) {
            return AuditTrail.Outcome.SUCCEEDED;
        }
        return answer instanceof ProviderResult.Unknown<?> ? AuditTrail.Outcome.UNKNOWN : AuditTrail.Outcome.FAILED;
    }

    private void markIntent(Payment payment) {
        tx.executeWithoutResult(status -> scheduleCheck(payment));
    }

    /** Payments whose check is due, leased to this caller. */
    List<String> claimDueChecks(int limit) {
        return payments.claimDueChecks(clock.instant(), java.time.Duration.ofSeconds(60), limit);
    }

    /**
     * Asks the provider about a payment again, and applies what it says exactly as a webhook
     * would. A payment whose creation is unknown is created again with the same idempotency
     * key (the provider answers with the one it has, or creates it once); a refund the
     * provider does not know is requested again with its own id as the key. If it is still
     * unsettled, the next check is scheduled; past the maximum age it goes to review, never
     * to failed without the provider saying so.
     */
    public Payment resolve(String paymentId, String cause) {
        return resolve(paymentId, cause, true);
    }

    /** A scheduled check; one that has nothing to ask ({@link #nothingToAsk}) is cleared without a provider call. */
    Payment resolveScheduled(String paymentId, String cause) {
        return resolve(paymentId, cause, false);
    }

    private Payment resolve(String paymentId, String cause, boolean always) {
        Payment payment = payments.get(paymentId);
        if (!always && nothingToAsk(payment) && Boolean.TRUE.equals(tx.execute(status -> {
            Payment locked = lockPayment(paymentId);
            if (!nothingToAsk(locked)) {
                return false;
            }
            payments.clearCheck(paymentId);
            return true;
        }))) {
            return payments.get(paymentId);
        }
        PaymentProvider provider = providers.get(payment.provider());
        ProviderResult<ProviderPayment> answer = payment.providerPaymentId() == null
                ? call(() -> provider.create(new PaymentProvider.CreatePayment(payment.id(), payment.orderId(),
                payment.amount(), payment.captureMethod(), payment.returnUrl())))
                : call(() -> provider.fetch(payment.providerPaymentId()));
        List<ProviderPayment.Refund> retried = new java.util.ArrayList<>();
        if (answer instanceof ProviderResult.Done<ProviderPayment> done) {
            java.util.Set<String> known = new java.util.HashSet<>();
            done.value().refunds().forEach(r -> known.add(r.merchantReference()));
            for (Refund refund : refunds.ofPayment(paymentId)) {
                if (refund.state().isUnsettled() && !known.contains(refund.id())) {
                    ProviderResult<ProviderPayment.Refund> again = call(() -> provider.refund(
                            done.value().providerPaymentId(), refund.id(), refund.amount()));
                    if (again instanceof ProviderResult.Done<ProviderPayment.Refund> ok) {
                        retried.add(ok.value());
                    }
                }
            }
        }
        tx.executeWithoutResult(status -> {
            Payment locked = lockPayment(paymentId);
            Object[] counted = payments.countCheck(paymentId);
            int attempts = (Integer) counted[0];
            Instant since = (Instant) counted[1];
            timeline.record(locked.orderId(), TimelineKind.RESOLVER_CHECK, "check " + attempts + " of " + paymentId + " ("
                    + cause + "): " + describe(answer), Map.of("payment", paymentId, "attempt", attempts,
                    "result", describe(answer), "state_before", locked.state().wire()));
            if (answer instanceof ProviderResult.Done<ProviderPayment> done) {
                applySnapshot(locked, done.value(), "resolver check " + attempts);
            }
            for (ProviderPayment.Refund refund : retried) {
                applyRefund(locked, refund, "resolver re-requested the refund");
            }
            Payment now = payments.get(paymentId);
            List<Refund> open = refunds.ofPayment(paymentId).stream().filter(r -> r.state().isUnsettled()).toList();
            if (!now.state().isAwaitingAnswer() && open.isEmpty()) {
                payments.clearCheck(paymentId);
                return;
            }
            Instant at = clock.instant();
            if (since.plus(properties.resolver().maxAge()).isBefore(at)) {
                // a customer who never finished the page is not a mystery: expiry closes it

                String why = "no settled answer after " + attempts + " checks since " + since;
                if (now.state().isUnsettled()) {
                    apply(now, now.state(), PaymentState.Event.ESCALATE, why);
                }
                for (Refund refund : open) {
                    moveRefund(now, refund, RefundState.NEEDS_REVIEW, null, null, why);
                }
                payments.clearCheck(paymentId);
            } else {
                payments.nextCheck(paymentId, at.plus(properties.resolver().delay(attempts)));
            }
        });
        return payments.get(paymentId);
    }

    /**
     * A check that has nothing to ask: the provider itself has settled the payment (captured in
     * full, voided or failed; no capture, void or creation can still be in flight on it, as those
     * start only from other states; an expired one is still asked, as a customer may have paid
     * just as it expired) and none of its refunds is unsettled (a refund in
     * flight is a pending row from the moment it is asked for). Most checks are of this kind:
     * the one scheduled with every intent, whose answer (a webhook, the provider's reply) has
     * since been saved. Such a check is cleared without a call to the provider.
     */
    private boolean nothingToAsk(Payment payment) {
        PaymentState state = payment.state();
        return (state == PaymentState.CAPTURED || state == PaymentState.VOIDED || state == PaymentState.FAILED)
                && refunds.ofPayment(payment.id()).stream().noneMatch(r -> r.state().isUnsettled());
    }

    private void recordMoney(Payment payment, String refundId, MoneyTransaction.Kind kind, long amountMinor,
                             String reference, Instant at) {
        Optional<String> recorded = payments.recordTransaction(payment, refundId, kind, amountMinor, reference, at);
        if (recorded.isPresent()) {
            Money amount = new Money(amountMinor, payment.amount().currency());
            events.publishEvent(new MoneyMoved(recorded.get(), payment.id(), payment.orderId(), refundId,
                    payment.provider(), kind, amount, at));
            timeline.record(payment.orderId(), TimelineKind.TRANSACTION_RECORDED, kind.wire() + " of "
                            + new Money(amountMinor, payment.amount().currency()) + " on " + payment.id(),
                    Map.of("kind", kind.wire(), "amount", amountMinor, "payment", payment.id(),
                            "provider_reference", reference));
        }
    }

    /** Walks the transition table from the current state to {@code target}, one legal move at a time. */
    private void moveTo(Payment payment, PaymentState target, String cause) {
        PaymentState current = payments.get(payment.id()).state();
        if (target == PaymentState.UNKNOWN && current != PaymentState.UNKNOWN) {
            if (PaymentState.TABLE.allows(current, PaymentState.Event.LOSE_TRACK)) {
                apply(payment, current, PaymentState.Event.LOSE_TRACK, cause);
            }
            return;
        }
        Optional<List<PaymentState.Event>> path = PaymentState.TABLE.path(current, target);
        if (path.isEmpty()) {
            timeline.record(payment.orderId(), TimelineKind.PAYMENT_STATUS_IGNORED, "ignored " + target.wire() + " for payment "
                            + payment.id() + " already " + current.wire() + " (" + cause + ")",
                    Map.of("payment", payment.id(), "current", current.wire(), "reported", target.wire()));
            return;
        }
        for (PaymentState.Event event : path.get()) {
            current = apply(payment, current, event, cause);
        }
    }

    private PaymentState apply(Payment payment, PaymentState from, PaymentState.Event event, String cause) {
        PaymentState to = PaymentState.TABLE.next(from, event);
        payments.updateState(payment.id(), to, clock.instant());
        events.publishEvent(new PaymentStateChanged(payment.id(), payment.orderId(), from, to, cause, clock.instant()));
        timeline.record(payment.orderId(), TimelineKind.PAYMENT_STATUS_CHANGED, "payment " + payment.id() + " " + from.wire()
                        + " -> " + to.wire() + ": " + cause,
                Map.of("payment", payment.id(), "from", from.wire(), "to", to.wire(),
                        "event", event.name().toLowerCase(), "cause", cause));
        return to;
    }

    private void applyRefund(Payment payment, ProviderPayment.Refund reported, String cause) {
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

    private void moveRefund(Payment payment, Refund refund, RefundState target, String providerRefundId,
                            String failureMessage, String cause) {
        Optional<List<RefundState.Event>> path = RefundState.TABLE.path(refund.state(), target);
        if (path.isEmpty()) {
            timeline.record(payment.orderId(), TimelineKind.REFUND_STATUS_IGNORED, "ignored " + target.wire() + " for refund "
                    + refund.id() + " already " + refund.state().wire() + " (" + cause + ")",
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

    // ---------------------------------------------------------------- helpers

    /** A provider adapter must not throw; if one does, the outcome is unknown, not failed. */
    private static <T> ProviderResult<T> call(Supplier<ProviderResult<T>> providerCall) {
        try {
            return providerCall.get();
        } catch (RuntimeException e) {
            log.warn("provider adapter threw; treating the outcome as unknown", e);
            return new ProviderResult.Unknown<>("adapter error: " + e.getClass().getSimpleName());
        }
    }

    private void recordCall(Payment payment, String operation, ProviderResult<?> result) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("payment", payment.id());
        data.put("operation", operation);
        data.put("result", describe(result));
        timeline.record(payment.orderId(), TimelineKind.PROVIDER_CALL, payment.provider() + " " + operation + ": "
                + describe(result), data);
    }

    private static String describe(ProviderResult<?> result) {
        if (result instanceof ProviderResult.Rejected<?> rejected) {
            return "rejected (" + rejected.code() + "): " + rejected.message();
        }
        if (result instanceof ProviderResult.Unknown<?> unknown) {
            return "unknown: " + unknown.reason();
        }
        if (result instanceof ProviderResult.Done<?> done && done.value() instanceof ProviderPayment payment) {
            return "provider says " + payment.state().wire();
        }
        return "ok";
    }

    private static void throwUnlessDone(ProviderResult<?> result, String operation) {
        if (result instanceof ProviderResult.Rejected<?> rejected) {
            throw new MoneytrailException(io.moneytrail.money.ErrorType.PROVIDER, 402, "provider_declined", null,
                    operation + " refused by the provider: " + rejected.message());
        }
        if (result instanceof ProviderResult.Unknown<?> unknown) {
            throw MoneytrailException.provider("provider_unavailable", operation + " outcome unknown ("
                    + unknown.reason() + "); nothing is assumed, the payment will be checked with the provider again");
        }
    }

    private static String digest(String value) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void validateUrl(String url, String param) {
        if (url == null) {
            return;
        }
        if (url.length() > URL_LENGTH_MAX) {
            throw MoneytrailException.invalid("url_invalid", param, param + " is longer than " + URL_LENGTH_MAX);
        }
        try {
            URI uri = new URI(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw MoneytrailException.invalid("url_invalid", param, param + " must be an absolute http(s) URL");
            }
        } catch (java.net.URISyntaxException e) {
            throw MoneytrailException.invalid("url_invalid", param, param + " is not a valid URL");
        }
    }
}
