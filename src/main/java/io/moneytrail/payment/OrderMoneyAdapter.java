package io.moneytrail.payment;

import io.moneytrail.order.OrderMoney;
import io.moneytrail.order.OrderMoneyPort;
import io.moneytrail.order.Orders;
import io.moneytrail.order.Timeline;
import io.moneytrail.order.TimelineKind;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The payment module's side of {@link OrderMoneyPort}. */
@Component
class OrderMoneyAdapter implements OrderMoneyPort {

    private final Orders orders;
    private final Payments payments;
    private final PaymentProviders providers;
    private final PaymentActions actions;
    private final ProviderSync sync;
    private final OrderPaymentWatch watch;
    private final Timeline timeline;

    OrderMoneyAdapter(Orders orders, Payments payments, PaymentProviders providers, PaymentActions actions,
                      ProviderSync sync, OrderPaymentWatch watch, Timeline timeline) {
        this.orders = orders;
        this.payments = payments;
        this.providers = providers;
        this.actions = actions;
        this.sync = sync;
        this.watch = watch;
        this.timeline = timeline;
    }

    @Override
    public OrderMoney moneyOf(String orderId) {
        return orders.get(orderId).money();
    }

    /**
     * An attempt whose outcome is unknown (no provider reference) cannot be voided yet: the order
     * closes anyway, and if that attempt turns out to have taken money, compensation gives it
     * back. If the provider refuses a void because the money was already taken, its current view
     * is fetched and applied. The caller holds the order lock.
     */
    @Override
    public boolean voidOpenAttempts(String orderId, String cause) {
        watch.watch(orderId);
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
            ProviderResult<ProviderPayment> answer = actions.voidLocked(provider, payment, cause);
            if (answer instanceof ProviderResult.Rejected<ProviderPayment>) {
                ProviderResult<ProviderPayment> current = ProviderCalls.call(
                        () -> provider.fetch(payment.providerPaymentId()));
                if (current instanceof ProviderResult.Done<ProviderPayment> done) {
                    sync.apply(payments.get(payment.id()), done.value(), "void refused; provider's current state");
                }
            }
        }
        return moneyOf(orderId).amountNetCaptured() == 0;
    }
}
