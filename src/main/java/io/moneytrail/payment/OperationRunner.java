package io.moneytrail.payment;

import io.moneytrail.access.AuditTrail;
import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Captures and voids as intent, then call, then apply: {@link #begin} commits the intent with
 * the caller's transaction (which holds the order and payment locks); {@link #run} calls the
 * provider with no transaction or connection held and applies the answer through
 * {@link ProviderSync} in a second short transaction. An operation whose answer was never
 * saved (a crash, a timeout) is re-issued by the resolver with the same idempotency key
 * ({@link #finishStale}).
 */
@Component
class OperationRunner {

    /** An open operation older than this is past any provider timeout: its caller died, the resolver re-issues it. */
    static final Duration OPEN_OPERATION_GRACE = Duration.ofMinutes(2);

    private final PaymentOperations operations;
    private final Payments payments;
    private final PaymentProviders providers;
    private final ProviderSync sync;
    private final AuditTrail audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    OperationRunner(PaymentOperations operations, Payments payments, PaymentProviders providers, ProviderSync sync,
                    AuditTrail audit, TransactionTemplate tx, Clock clock) {
        this.operations = operations;
        this.payments = payments;
        this.providers = providers;
        this.sync = sync;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Commits the intent (with the resolver's check) in the caller's transaction, which holds the
     * locks and has validated the operation. A retry that carries the same idempotency key as an
     * unfinished operation (a repeat after a crash) continues that one; any other operation while
     * one is unfinished is refused.
     */
    PaymentOperation begin(Payment locked, PaymentOperation.Kind kind, long amountMinor, String idempotencyKey) {
        Optional<PaymentOperation> unfinished = operations.unfinished(locked.id());
        if (unfinished.isPresent() && unfinished.get().idempotencyKey().equals(idempotencyKey)) {
            return unfinished.get();
        }
        String id = Ids.next("pop_");
        PaymentOperation operation = new PaymentOperation(id, locked.id(), kind, amountMinor,
                idempotencyKey == null ? "cap_" + id : idempotencyKey, PaymentOperation.Status.OPEN, clock.instant());
        if (unfinished.isPresent() || !operations.insert(operation)) {
            throw MoneytrailException.state("payment_operation_in_progress", "payment " + locked.id()
                    + " has a " + unfinished.map(o -> o.kind().wire()).orElse("capture or void")
                    + " awaiting the provider's answer; try again once it is settled");
        }
        sync.scheduleCheck(locked.id());
        return operation;
    }

    /**
     * Calls the provider (no transaction is open here) and applies its answer in a transaction of
     * its own. A refused void fetches the provider's current view, which is applied too: the
     * money it took meanwhile is then known. {@code auditAction} may be null (a void the order
     * machine asked for is audited as the order's action).
     */
    ProviderResult<ProviderPayment> run(PaymentOperation operation, Payment payment, String cause, String auditAction) {
        PaymentProvider provider = providers.get(payment.provider());
        String providerPaymentId = payment.providerPaymentId();
        ProviderResult<ProviderPayment> answer = ProviderCalls.call(() -> switch (operation.kind()) {
            case CAPTURE -> provider.capture(providerPaymentId,
                    new Money(operation.amountMinor(), payment.amount().currency()), operation.idempotencyKey());
            case VOID -> provider.cancel(providerPaymentId, operation.idempotencyKey());
        });
        ProviderResult<ProviderPayment> current = operation.kind() == PaymentOperation.Kind.VOID
                && answer instanceof ProviderResult.Rejected<ProviderPayment>
                ? ProviderCalls.call(() -> provider.fetch(providerPaymentId)) : null;
        tx.executeWithoutResult(status -> apply(payment, operation, answer, current, cause, auditAction));
        return answer;
    }

    private void apply(Payment payment, PaymentOperation operation, ProviderResult<ProviderPayment> answer,
                       ProviderResult<ProviderPayment> current, String cause, String auditAction) {
        Payment locked = sync.lock(payment);
        sync.recordCall(locked, operation.describe(), answer);
        Instant now = clock.instant();
        if (answer instanceof ProviderResult.Done<ProviderPayment> done) {
            sync.apply(locked, done.value(), cause);
            operations.update(operation.id(), PaymentOperation.Status.DONE, ProviderCalls.describe(answer), now);
        } else if (answer instanceof ProviderResult.Rejected<ProviderPayment>) {
            if (current instanceof ProviderResult.Done<ProviderPayment> view) {
                sync.apply(locked, view.value(), "void refused; provider's current state");
            }
            operations.update(operation.id(), PaymentOperation.Status.DONE, ProviderCalls.describe(answer), now);
        } else {
            operations.update(operation.id(), PaymentOperation.Status.UNKNOWN, ProviderCalls.describe(answer), now);
            sync.scheduleCheck(operation.paymentId());
        }
        if (auditAction != null) {
            audit.record(auditAction, "payment", operation.paymentId(), ProviderCalls.outcome(answer), null,
                    operation.kind() == PaymentOperation.Kind.CAPTURE ? Map.of("amount", operation.amountMinor())
                            : Map.of());
        }
    }

    /**
     * For the resolver: re-issues, with its own idempotency key, an operation whose call ended
     * unknown, or one still open past {@link #OPEN_OPERATION_GRACE} (its caller died between the
     * intent and the answer). True when the payment has no unfinished operation left.
     */
    boolean finishStale(String paymentId) {
        Optional<PaymentOperation> unfinished = operations.unfinished(paymentId);
        if (unfinished.isEmpty()) {
            return true;
        }
        PaymentOperation operation = unfinished.get();
        boolean stale = operation.status() == PaymentOperation.Status.UNKNOWN
                || operation.created().isBefore(clock.instant().minus(OPEN_OPERATION_GRACE));
        if (!stale) {
            return false;
        }
        ProviderResult<ProviderPayment> answer = run(operation, payments.get(paymentId),
                "resolver finished " + operation.describe() + " (" + operation.id() + ")", null);
        return !(answer instanceof ProviderResult.Unknown<ProviderPayment>);
    }

    /** True when the payment has a capture or void whose answer is not saved yet. */
    boolean hasUnfinished(String paymentId) {
        return operations.unfinished(paymentId).isPresent();
    }

    /** Closes an operation the resolver gave up on, so that the payment is not blocked for ever. */
    void abandon(String paymentId, String why) {
        operations.unfinished(paymentId).ifPresent(o -> operations.update(o.id(), PaymentOperation.Status.DONE,
                "abandoned: " + why, clock.instant()));
    }
}
