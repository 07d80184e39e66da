package io.moneytrail.payment;

import io.moneytrail.access.AuditTrail;
import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.Order;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.Orders;
import io.moneytrail.order.Timeline;
import io.moneytrail.order.TimelineKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starting, capturing and voiding payments. Every change takes the order's row lock and then
 * the payment's, so all changes to one order and its payments are serialised. A new payment
 * is created at the provider between two transactions: the intent is committed first, so a
 * crash leaves a visible row, never an invisible charge.
 */
@Service
public class PaymentActions {

    public static final int URL_LENGTH_MAX = 2000;

    private final Orders orders;
    private final Timeline timeline;
    private final Payments payments;
    private final PaymentProviders providers;
    private final ProviderSync sync;
    private final OrderPaymentWatch watch;
    private final PaymentProperties properties;
    private final AuditTrail audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    PaymentActions(Orders orders, Timeline timeline, Payments payments, PaymentProviders providers, ProviderSync sync,
                   OrderPaymentWatch watch, PaymentProperties properties, AuditTrail audit, TransactionTemplate tx,
                   Clock clock) {
        this.orders = orders;
        this.timeline = timeline;
        this.payments = payments;
        this.providers = providers;
        this.sync = sync;
        this.watch = watch;
        this.properties = properties;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
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
            payments.scheduleCheck(paymentId, now.plus(properties.resolver().delay(0)), now);
            timeline.record(orderId, TimelineKind.PAYMENT_CREATED, "payment " + paymentId + " for " + due + " via "
                    + provider.name() + " (" + captureMethod.wire() + " capture)",
                    Map.of("payment", paymentId, "amount", due.amountMinor(), "capture_method", captureMethod.wire()));
            audit.record("payment.create", "payment", paymentId, AuditTrail.Outcome.SUCCEEDED, null,
                    Map.of("order", orderId, "amount", due.amountMinor()));
            return due;
        });
        ProviderResult<ProviderPayment> result = ProviderCalls.call(() -> provider.create(
                new PaymentProvider.CreatePayment(paymentId, orderId, amount, captureMethod, returnUrl)));
        tx.executeWithoutResult(status -> {
            Payment payment = sync.lock(paymentId);
            sync.recordCall(payment, "create", result);
            if (result instanceof ProviderResult.Done<ProviderPayment> done) {
                sync.apply(payment, done.value(), "provider answered create");
            } else if (result instanceof ProviderResult.Rejected<ProviderPayment> rejected) {
                payments.recordFailure(paymentId, rejected.code(), rejected.message(), clock.instant());
                sync.moveTo(payment, PaymentState.FAILED, "provider rejected create: " + rejected.message());
            } else if (result instanceof ProviderResult.Unknown<ProviderPayment> unknown) {
                sync.moveTo(payment, PaymentState.UNKNOWN, "create outcome unknown: " + unknown.reason());
                sync.scheduleCheck(paymentId);
            }
        });
        return payments.get(paymentId);
    }

    /**
     * Captures {@code amountMinor} (or all that is still authorised) of a manual-capture
     * payment; with a {@code creationKey}, the provider's idempotency key is derived from it, so
     * a repeat after a crash replays the first capture at the provider instead of taking money
     * again.
     */
    public Payment capture(String paymentId, Long amountMinor, String creationKey) {
        String providerKey = creationKey == null ? Ids.next("cap_") : "cap_" + ProviderCalls.digest(creationKey);
        Payment before = payments.get(paymentId);
        PaymentProvider provider = providers.get(before.provider());
        markIntent(paymentId);
        ProviderResult<ProviderPayment> result = tx.execute(status -> {
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
            ProviderResult<ProviderPayment> answer = ProviderCalls.call(() -> provider.capture(
                    payment.providerPaymentId(), new Money(amount, payment.amount().currency()), providerKey));
            sync.recordCall(payment, "capture " + amount, answer);
            if (answer instanceof ProviderResult.Done<ProviderPayment> done) {
                sync.apply(payment, done.value(), "captured " + amount + " by store");
            } else if (answer instanceof ProviderResult.Unknown<ProviderPayment>) {
                sync.scheduleCheck(paymentId);
            }
            audit.record("payment.capture", "payment", paymentId, ProviderCalls.outcome(answer), null,
                    Map.of("amount", amount));
            return answer;
        });
        ProviderCalls.throwUnlessDone(result, "capture");
        return payments.get(paymentId);
    }

    /** Voids an authorisation, or releases what is left after partial captures. */
    public Payment cancel(String paymentId) {
        Payment before = payments.get(paymentId);
        PaymentProvider provider = providers.get(before.provider());
        markIntent(paymentId);
        ProviderResult<ProviderPayment> result = tx.execute(status -> {
            Payment payment = sync.lock(paymentId);
            ProviderResult<ProviderPayment> answer = voidLocked(provider, payment, "cancelled by store");
            audit.record("payment.cancel", "payment", paymentId, ProviderCalls.outcome(answer), null, Map.of());
            return answer;
        });
        ProviderCalls.throwUnlessDone(result, "cancel");
        return payments.get(paymentId);
    }

    /** Voids at the provider and applies its answer. The caller holds the order and payment locks. */
    ProviderResult<ProviderPayment> voidLocked(PaymentProvider provider, Payment payment, String cause) {
        PaymentState.TABLE.next(payment.state(), PaymentState.Event.VOID);
        if (payment.providerPaymentId() == null) {
            throw MoneytrailException.state("payment_outcome_unknown", "payment " + payment.id()
                    + " has no provider reference yet (its creation is in flight or unknown); try again later");
        }
        ProviderResult<ProviderPayment> answer = ProviderCalls.call(() -> provider.cancel(payment.providerPaymentId(),
                "void_" + payment.id()));
        sync.recordCall(payment, "cancel", answer);
        if (answer instanceof ProviderResult.Done<ProviderPayment> done) {
            sync.apply(payment, done.value(), cause);
        } else if (answer instanceof ProviderResult.Unknown<ProviderPayment>) {
            sync.scheduleCheck(payment.id());
        }
        return answer;
    }

    /**
     * Commits, before a capture or void whose provider call runs inside the locked transaction,
     * a check of the payment: if the process dies during the call, that transaction is lost but
     * the resolver still asks the provider what happened. A check that finds nothing is cleared.
     */
    private void markIntent(String paymentId) {
        tx.executeWithoutResult(status -> sync.scheduleCheck(paymentId));
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
