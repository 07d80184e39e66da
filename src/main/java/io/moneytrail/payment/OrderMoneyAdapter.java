package io.moneytrail.payment;

import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.OrderMoney;
import io.moneytrail.order.OrderMoneyPort;
import io.moneytrail.order.PaymentStatus;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The payment module's side of {@link OrderMoneyPort}. */
@Component
class OrderMoneyAdapter implements OrderMoneyPort {

    private final OrderMoneyView view;
    private final OrderPaymentWatch watch;
    private final Payments payments;
    private final PaymentActions actions;
    private final ProviderSync sync;
    private final OperationRunner operations;

    OrderMoneyAdapter(OrderMoneyView view, OrderPaymentWatch watch, Payments payments, PaymentActions actions, ProviderSync sync,
                      OperationRunner operations) {
        this.view = view;
        this.watch = watch;
        this.payments = payments;
        this.actions = actions;
        this.sync = sync;
        this.operations = operations;
    }

    @Override
    public OrderMoney moneyOf(String orderId) {
        return watch.known(orderId).or(() -> view.find(orderId)).orElseThrow(() -> MoneytrailException.notFound("order", orderId));
    }

    @Override
    public Map<String, OrderMoney> moneyOf(Collection<String> orderIds) {
        return view.of(orderIds);
    }

    @Override
    public List<String> orderIdsWithPaymentStatus(PaymentStatus status, String startingAfter, int limit) {
        return view.orderIdsWith(status, startingAfter, limit);
    }

    @Override
    public boolean voidOpenAttempts(String orderId, String cause) {
        for (Payment payment : payments.ofOrder(orderId)) {
            if (PaymentState.TABLE.allows(payment.state(), PaymentState.Event.VOID)) {
                actions.voidForOrder(payment.id(), cause);
            }
        }
        return moneyOf(orderId).amountNetCaptured() == 0;
    }

    /**
     * Covers an attempt that gained money between the voids and the close (a customer paying
     * on the provider's page meanwhile). One whose void is still awaiting the provider is left
     * to the resolver: its answer, when applied, opens the compensation if one is needed.
     */
    @Override
    public void orderClosed(String orderId) {
        for (Payment payment : payments.ofOrder(orderId)) {
            if (!operations.hasUnfinished(payment.id())) {
                sync.compensateIfOrderClosed(payment);
            }
        }
    }
}
