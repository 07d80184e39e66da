package io.moneytrail.payment;

import io.moneytrail.money.Ids;
import io.moneytrail.order.Timeline;
import io.moneytrail.order.TimelineKind;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies what a verified webhook is about. Webhooks are hints: the payment's current state is
 * fetched from the provider (outside any transaction) and applied as a whole through
 * {@link ProviderSync}, so a duplicate, delayed or reordered webhook cannot move a state
 * backwards or count money twice.
 */
@Service
public class WebhookSync {

    /** What came of a webhook. */
    public record SyncResult(Outcome outcome, String paymentId, String orderId, String detail) {
        public enum Outcome { SYNCED, UNMATCHED, FETCH_FAILED }
    }

    private final Payments payments;
    private final PaymentProviders providers;
    private final ProviderSync sync;
    private final Timeline timeline;
    private final TransactionTemplate tx;

    WebhookSync(Payments payments, PaymentProviders providers, ProviderSync sync, Timeline timeline,
                TransactionTemplate tx) {
        this.payments = payments;
        this.providers = providers;
        this.sync = sync;
        this.timeline = timeline;
        this.tx = tx;
    }

    public SyncResult sync(String providerName, ProviderWebhook hook) {
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
        String providerPaymentId = hook.providerPaymentId() != null ? hook.providerPaymentId()
                : payment.providerPaymentId();
        ProviderResult<ProviderPayment> current = ProviderCalls.call(
                () -> providers.get(providerName).fetch(providerPaymentId));
        if (!(current instanceof ProviderResult.Done<ProviderPayment> done)) {
            return new SyncResult(SyncResult.Outcome.FETCH_FAILED, payment.id(), payment.orderId(),
                    ProviderCalls.describe(current));
        }
        if (!payment.id().equals(done.value().merchantReference())) {
            return new SyncResult(SyncResult.Outcome.UNMATCHED, payment.id(), payment.orderId(),
                    "provider payment " + providerPaymentId + " belongs to " + done.value().merchantReference());
        }
        tx.executeWithoutResult(status -> {
            Payment locked = sync.lock(payment.id());
            timeline.record(locked.orderId(), TimelineKind.WEBHOOK_RECEIVED, "webhook " + hook.type() + " ("
                            + hook.eventId() + ")",
                    Map.of("event", hook.eventId(), "type", hook.type(), "payment", payment.id()));
            sync.apply(locked, done.value(), "webhook " + hook.type());
        });
        return new SyncResult(SyncResult.Outcome.SYNCED, payment.id(), payment.orderId(), null);
    }
}
