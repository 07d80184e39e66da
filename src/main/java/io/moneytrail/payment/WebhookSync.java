package io.moneytrail.payment;

import io.moneytrail.money.Ids;
import io.moneytrail.order.Timeline;
import io.moneytrail.order.TimelineKind;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Applies what a verified webhook is about, in two steps. {@link #fetch} finds our payment and
 * fetches the provider's current view of it, with no transaction open (webhooks are hints);
 * {@link #apply} applies that view as a whole through {@link ProviderSync} inside the caller's
 * transaction, so a duplicate, delayed or reordered webhook cannot move a state backwards or
 * count money twice.
 */
@Service
public class WebhookSync {

    /** What came of a webhook. */
    public record SyncResult(Outcome outcome, String paymentId, String orderId, String detail) {
        public enum Outcome { SYNCED, UNMATCHED, FETCH_FAILED }
    }

    /** A webhook's payment and the provider's current view of it, or why there is nothing to apply. */
    public static final class Fetched {
        private final Payments.Ref payment;
        private final ProviderPayment snapshot;
        private final SyncResult failure;

        private Fetched(Payments.Ref payment, ProviderPayment snapshot, SyncResult failure) {
            this.payment = payment;
            this.snapshot = snapshot;
            this.failure = failure;
        }

        /** Empty when there is a view to apply; else the result to store (unmatched, fetch failed). */
        public Optional<SyncResult> failure() {
            return Optional.ofNullable(failure);
        }
    }

    private final Payments payments;
    private final PaymentProviders providers;
    private final ProviderSync sync;
    private final Timeline timeline;

    WebhookSync(Payments payments, PaymentProviders providers, ProviderSync sync, Timeline timeline) {
        this.payments = payments;
        this.providers = providers;
        this.sync = sync;
        this.timeline = timeline;
    }

    /** Finds the webhook's payment and asks the provider for its current view. Call with no transaction open. */
    public Fetched fetch(String providerName, ProviderWebhook hook) {
        // our payment's order and provider never change: known without a statement if this instance read it lately
        Optional<Payments.Ref> known = Optional.empty();
        if (hook.merchantReference() != null && Ids.hasPrefix(hook.merchantReference(), Ids.PAYMENT)) {
            known = payments.ref(hook.merchantReference()).filter(p -> p.provider().equals(providerName));
        }
        if (known.isEmpty() && hook.providerPaymentId() != null) {
            known = payments.findByProviderId(providerName, hook.providerPaymentId()).map(Payments.Ref::of);
        }
        if (known.isEmpty()) {
            return new Fetched(null, null, new SyncResult(SyncResult.Outcome.UNMATCHED, null, null,
                    "no payment for provider payment " + hook.providerPaymentId()));
        }
        Payments.Ref payment = known.get();
        String providerPaymentId = hook.providerPaymentId() != null ? hook.providerPaymentId()
                : payments.get(payment.id()).providerPaymentId();
        ProviderResult<ProviderPayment> current = ProviderCalls.call(
                () -> providers.get(providerName).fetch(providerPaymentId));
        if (!(current instanceof ProviderResult.Done<ProviderPayment> done)) {
            return new Fetched(payment, null, new SyncResult(SyncResult.Outcome.FETCH_FAILED, payment.id(),
                    payment.orderId(), ProviderCalls.describe(current)));
        }
        if (!payment.id().equals(done.value().merchantReference())) {
            return new Fetched(payment, null, new SyncResult(SyncResult.Outcome.UNMATCHED, payment.id(),
                    payment.orderId(), "provider payment " + providerPaymentId + " belongs to "
                    + done.value().merchantReference()));
        }
        return new Fetched(payment, done.value(), null);
    }

    /**
     * Applies a fetched view; the caller's transaction (which also records the webhook as
     * processed) holds the order and payment locks from here to its commit.
     */
    public SyncResult apply(Fetched fetched, ProviderWebhook hook) {
        if (fetched.failure != null) {
            return fetched.failure;
        }
        // a view that reports refunds needs ours: read with the payment under its lock
        Payments.Ref ref = fetched.payment;
        Payments.LockedWithRefunds withRefunds = fetched.snapshot.refunds().isEmpty() ? null
                : sync.lockWithRefunds(ref.orderId(), ref.id());
        Payment locked = withRefunds != null ? withRefunds.payment() : sync.lock(ref.orderId(), ref.id());
        timeline.record(locked.orderId(), TimelineKind.WEBHOOK_RECEIVED, "webhook " + hook.type() + " ("
                        + hook.eventId() + ")",
                Map.of("event", hook.eventId(), "type", hook.type(), "payment", locked.id()));
        sync.apply(locked, fetched.snapshot, "webhook " + hook.type(),
                withRefunds != null ? withRefunds.refunds().refunds() : null);
        return new SyncResult(SyncResult.Outcome.SYNCED, locked.id(), locked.orderId(), null);
    }
}
