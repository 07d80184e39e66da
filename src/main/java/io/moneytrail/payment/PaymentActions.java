package io.moneytrail.payment;

import io.moneytrail.access.AuditTrail;
import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.LockedOrder;
import io.moneytrail.order.OrderMoney;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.PaymentStatus;
import io.moneytrail.order.Timeline;
import io.moneytrail.order.TimelineKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starting, capturing and voiding payments. Every change takes the order's row lock and then
 * the payment's, so all changes to one order and its payments are serialised; no provider call
 * runs under those locks. A new payment is created at the provider between two transactions:
 * the intent is committed first, so a crash leaves a visible row, never an invisible charge.
 * Captures and voids work the same way through {@link OperationRunner}.
 */
@Service
public class PaymentActions {

    public static final int URL_LENGTH_MAX = 2000;

    private final Timeline timeline;
    private final Payments payments;
    private final PaymentProviders providers;
    private final ProviderSync sync;
    private final OperationRunner operations;
    private final CheckSchedule schedule;
    private final AuditTrail audit;
    private final TransactionTemplate tx;

    PaymentActions(Timeline timeline, Payments payments, PaymentProviders providers, ProviderSync sync,
                   OperationRunner operations, CheckSchedule schedule, AuditTrail audit, TransactionTemplate tx) {
        this.timeline = timeline;
        this.payments = payments;
        this.providers = providers;
        this.sync = sync;
        this.operations = operations;
        this.schedule = schedule;
        this.audit = audit;
        this.tx = tx;
    }

    /**
     * Starts a payment attempt for what the order still owes; with a {@code creationKey} (the
     * request's scoped idempotency key), a repeat after a crash returns the attempt the first
     * run created.
     */
    public Payment create(String orderId, String providerName, String captureMethodWire, String returnUrl,
                          String creationKey) {
        if (creationKey != null) {
            Optional<String> existing = payments.idByCreationKey(creationKey);
            if (existing.isPresent()) {
                return payments.get(existing.get());
            }
        }
        String paymentId = Ids.next(Ids.PAYMENT);
        Starting starting = tx.execute(status -> {
            // an unknown order is 404 before anything about the request is judged: the lock reads it
            PaymentLocks.OrderToPay locked = sync.lockForPayment(orderId);
            PaymentProvider provider = providers.get(providerName);
            CaptureMethod captureMethod = CaptureMethod.parse(captureMethodWire);
            if (captureMethod == CaptureMethod.MANUAL) {
                PaymentProviders.require(provider, PaymentProvider.Capability.TWO_STAGE);
            }
            validateUrl(returnUrl, "return_url");
            LockedOrder order = locked.order();
            OrderMoney money = locked.money();
            if (order.status() != OrderStatus.OPEN) {
                throw MoneytrailException.state("order_not_open",
                        "order " + orderId + " is " + order.status().wire() + "; only open orders take payments");
            }
            for (Payment existing : locked.payments()) {
                if (existing.state().isInFlight() || existing.state() == PaymentState.AUTHORIZED
                        || existing.state() == PaymentState.PARTIALLY_CAPTURED) {
                    throw MoneytrailException.state("payment_in_progress", "order " + orderId + " already has payment "
                            + existing.id() + " in state " + existing.state().wire()
                            + "; complete or cancel it before starting another");
                }
            }
            PaymentProviders.requireCurrency(provider, order.amountTotal().currency().getCurrencyCode());
            Money due = order.amountTotal().minus(new Money(money.amountNetCaptured(),
                    order.amountTotal().currency()));
            if (!due.isPositive()) {
                throw MoneytrailException.state("order_already_paid", "order " + orderId + " is already "
                        + money.paymentStatus().wire());
            }
            Instant now = schedule.now();
            // the resolver's check is scheduled with the intent: if we die before the answer is saved, it still asks
            payments.insert(paymentId, orderId, provider.name(), captureMethod, due, returnUrl, now, creationKey,
                    schedule.firstCheckAt(now));
            // a new attempt makes an unpaid order pending and changes no other status: known without a read
            sync.orderMoneyMovedTo(orderId, money.paymentStatus() != PaymentStatus.UNPAID ? money
                    : new OrderMoney(money.amountAuthorized(), money.amountAuthorizedOpen(), money.amountCaptured(),
                            money.amountVoided(), money.amountRefunded(), PaymentStatus.PENDING));
            sync.started(paymentId, orderId, provider.name(), now);
            timeline.record(orderId, TimelineKind.PAYMENT_CREATED, "payment " + paymentId + " for " + due + " via "
                    + provider.name() + " (" + captureMethod.wire() + " capture)",
                    Map.of("payment", paymentId, "amount", due.amountMinor(), "capture_method", captureMethod.wire()));
            audit.record("payment.create", "payment", paymentId, AuditTrail.Outcome.SUCCEEDED, null,
                    Map.of("order", orderId, "amount", due.amountMinor()));
            return new Starting(provider, captureMethod, due);
        });
        PaymentProvider provider = starting.provider();
        ProviderResult<ProviderPayment> result = ProviderCalls.call(() -> provider.create(
                new PaymentProvider.CreatePayment(paymentId, orderId, starting.amount(), starting.captureMethod(),
                        returnUrl)));
        Payment answered = tx.execute(status -> {
            Payment payment = sync.lock(orderId, paymentId);
            sync.recordCall(payment, "create", result);
            if (result instanceof ProviderResult.Done<ProviderPayment> done) {
                sync.apply(payment, done.value(), "provider answered create");
                return onlyLinked(payment, done.value());
            } else if (result instanceof ProviderResult.Rejected<ProviderPayment> rejected) {
                payments.recordFailure(paymentId, rejected.code(), rejected.message(), schedule.now());
                sync.moveTo(payment, PaymentState.FAILED, "provider rejected create: " + rejected.message());
            } else if (result instanceof ProviderResult.Unknown<ProviderPayment> unknown) {
                sync.moveTo(payment, PaymentState.UNKNOWN, "create outcome unknown: " + unknown.reason());
                sync.scheduleCheck(paymentId);
            }
            return null;
        });
        return answered != null ? answered : payments.get(paymentId);
    }

    /**
     * The payment after applying the provider's answer to its creation, known without a read when
     * the answer only linked it (the provider's id and page; state, amount and money as they were
     * under the lock, nothing recorded); null when the answer changed more (then read it).
     */
    private static Payment onlyLinked(Payment locked, ProviderPayment answer) {
        boolean moneyless = answer.amountAuthorized() == 0 && answer.amountReleased() == 0
                && answer.captures().isEmpty() && answer.refunds().isEmpty() && answer.disputes().isEmpty();
        if (!moneyless || answer.state() != locked.state() || !answer.amount().equals(locked.amount())
                || answer.failureCode() != null) {
            return null;
        }
        return new Payment(locked.id(), locked.orderId(), locked.provider(),
                answer.providerPaymentId() != null ? answer.providerPaymentId() : locked.providerPaymentId(),
                locked.captureMethod(), locked.state(), locked.amount(), locked.amountAuthorized(),
                locked.amountCaptured(), locked.amountVoided(), locked.amountRefunded(), locked.returnUrl(),
                answer.redirectUrl() != null ? answer.redirectUrl() : locked.redirectUrl(), locked.failureCode(),
                locked.failureMessage(), locked.created());
    }

    /** A new payment's intent as committed: its provider, capture method and amount. */
    private record Starting(PaymentProvider provider, CaptureMethod captureMethod, Money amount) {
    }

    /** A validated capture or void whose intent is committed, and the payment as read under the lock. */
    private record Started(Payment payment, PaymentOperation operation) {
    }

    /**
     * Captures {@code amountMinor} (or all that is still authorised) of a manual-capture
     * payment: the intent is committed, the provider called with no lock held, its answer
     * applied. With a {@code creationKey}, the provider's idempotency key is derived from it, so
     * a repeat after a crash continues the first capture instead of taking money again.
     */
    public Payment capture(String paymentId, Long amountMinor, String creationKey) {
        String providerKey = creationKey == null ? null : "cap_" + ProviderCalls.digest(creationKey);
        Started started = tx.execute(status -> {
            Payment payment = sync.lock(paymentId);
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
            if (amount < capturable) {
                PaymentProviders.require(providers.get(payment.provider()), PaymentProvider.Capability.PARTIAL_CAPTURE);
            }
            return new Started(payment, operations.begin(payment, PaymentOperation.Kind.CAPTURE, amount,
                    providerKey));
        });
        ProviderResult<ProviderPayment> answer = operations.run(started.operation(), started.payment(),
                "captured " + started.operation().amountMinor() + " by store", "payment.capture");
        ProviderCalls.throwUnlessDone(answer, "capture");
        return payments.get(paymentId);
    }

    /** Voids an authorisation, or releases what is left after partial captures. */
    public Payment cancel(String paymentId) {
        Started started = tx.execute(status -> {
            Payment payment = sync.lock(paymentId);
            PaymentState.TABLE.next(payment.state(), PaymentState.Event.VOID);
            PaymentProviders.require(providers.get(payment.provider()), PaymentProvider.Capability.VOID);
            if (payment.providerPaymentId() == null) {
                throw MoneytrailException.state("payment_outcome_unknown", "payment " + paymentId
                        + " has no provider reference yet (its creation is in flight or unknown); try again later");
            }
            return new Started(payment, operations.begin(payment, PaymentOperation.Kind.VOID, 0, voidKey(paymentId)));
        });
        ProviderResult<ProviderPayment> answer = operations.run(started.operation(), started.payment(),
                "cancelled by store", "payment.cancel");
        ProviderCalls.throwUnlessDone(answer, "cancel");
        return payments.get(paymentId);
    }

    /**
     * Voids a payment because its order is closing, if it can still be voided. One with no
     * provider reference (its creation is unknown) is left to the resolver: if it took money,
     * compensation gives it back. Called with no transaction open.
     */
    void voidForOrder(String paymentId, String cause) {
        Started started = tx.execute(status -> {
            Payment payment = sync.lock(paymentId);
            if (!PaymentState.TABLE.allows(payment.state(), PaymentState.Event.VOID)) {
                return null;
            }
            if (payment.providerPaymentId() == null) {
                timeline.record(payment.orderId(), TimelineKind.PAYMENT_LEFT_TO_RESOLVER, "payment " + paymentId
                        + " is " + payment.state().wire() + " with no provider reference; if it took money, it is"
                        + " given back", Map.of("payment", paymentId));
                return null;
            }
            return new Started(payment, operations.begin(payment, PaymentOperation.Kind.VOID, 0, voidKey(paymentId)));
        });
        if (started != null) {
            operations.run(started.operation(), started.payment(), cause, null);
        }
    }

    /** A payment is voided once: every void of it carries this key. */
    private static String voidKey(String paymentId) {
        return "void_" + paymentId;
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
        } catch (URISyntaxException e) {
            throw MoneytrailException.invalid("url_invalid", param, param + " is not a valid URL");
        }
    }
}
