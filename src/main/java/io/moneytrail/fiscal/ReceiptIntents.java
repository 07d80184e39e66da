package io.moneytrail.fiscal;

import io.moneytrail.order.Order;
import io.moneytrail.order.OrderService;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.OrderStatusChanged;
import io.moneytrail.payment.MoneyFactPort;
import io.moneytrail.payment.MoneyMoved;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.payment.RefundLine;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes each receipt's intent in the transaction of the fact that calls for it, so a receipt is
 * never lost: a capture or a refund through the payment module's port ({@link MoneyFactPort}, at
 * its one door for money facts), a fulfilment through the order's lifecycle event. The worker
 * sends it after commit. Only rouble orders get receipts (54-FZ receipts are in roubles); a
 * chargeback is not a sale's refund and gets none.
 */
@Component
class ReceiptIntents implements MoneyFactPort {

    static final String CURRENCY = "RUB";

    private final FiscalSettings settings;
    private final ReceiptStore store;
    private final OrderService orders;
    private final PaymentQueries payments;
    private final Clock clock;

    ReceiptIntents(FiscalSettings settings, ReceiptStore store, OrderService orders, PaymentQueries payments,
                   Clock clock) {
        this.settings = settings;
        this.store = store;
        this.orders = orders;
        this.payments = payments;
        this.clock = clock;
    }

    @Override
    public void recorded(MoneyMoved fact) {
        if (!settings.enabled() || !CURRENCY.equals(fact.amount().currencyCode())) {
            return;
        }
        switch (fact.kind()) {
            case CAPTURE -> {
                Order order = orders.get(fact.orderId());
                boolean prepayment = settings.mode() == FiscalMode.PREPAYMENT;
                intent(order, settings.providerFor(fact.provider()), fact.paymentId(), null, fact.transactionId(),
                        ReceiptType.SELL,
                        prepayment ? ReceiptPaymentMethod.FULL_PREPAYMENT : ReceiptPaymentMethod.FULL_PAYMENT,
                        prepayment ? ReceiptPurpose.PREPAYMENT : ReceiptPurpose.FULL_PAYMENT,
                        fact.amount().amountMinor(), () -> ReceiptRules.capture(order,
                                fact.amount().amountMinor(), settings.mode(), settings.company().sno()));
            }
            case REFUND -> {
                Order order = orders.get(fact.orderId());
                List<RefundLine> lines = fact.refundId() == null ? null : payments.refundLines(fact.refundId());
                boolean after = order.status() == OrderStatus.FULFILLED;
                boolean advance = settings.mode() == FiscalMode.PREPAYMENT && !after;
                intent(order, settings.providerFor(fact.provider()), fact.paymentId(), fact.refundId(),
                        fact.transactionId(), ReceiptType.SELL_REFUND,
                        advance ? ReceiptPaymentMethod.FULL_PREPAYMENT : ReceiptPaymentMethod.FULL_PAYMENT,
                        ReceiptPurpose.REFUND, fact.amount().amountMinor(), () -> ReceiptRules.refund(order,
                                fact.amount().amountMinor(), lines, after, settings.mode(), settings.company().sno()));
            }
            default -> {
                // authorisations and voids move no money to us; chargebacks are not refunds of a sale
            }
        }
    }

    /** At fulfilment, the offset of the advance: what the customer still has paid, as a full_payment receipt. */
    @EventListener
    void on(OrderStatusChanged changed) {
        if (!settings.enabled() || changed.to() != OrderStatus.FULFILLED || settings.mode() != FiscalMode.PREPAYMENT
                || !store.has(changed.orderId(), ReceiptPurpose.PREPAYMENT)) {
            return;
        }
        Order order = orders.get(changed.orderId());
        if (!CURRENCY.equals(order.currencyCode()) || order.money() == null) {
            return;
        }
        long net = order.money().amountNetCaptured();
        if (net <= 0) {
            return;
        }
        List<RefundLine> returned = payments.refundedLines(order.id());
        // the offset goes where the advance went: with YooKassa's own receipts, to the advance's payment there
        ReceiptStore.Advance advance = store.advance(order.id());
        String provider = advance == null ? settings.provider() : advance.provider();
        intent(order, provider, null, null, "fulfilment:" + order.id(), ReceiptType.SELL,
                ReceiptPaymentMethod.FULL_PAYMENT, ReceiptPurpose.OFFSET, net, () -> {
                    ReceiptDraft offset = ReceiptRules.offset(order, net, returned, settings.company().sno());
                    if (advance == null || !FiscalSettings.YOOKASSA.equals(provider)) {
                        return offset;
                    }
                    java.util.Map<String, Object> data = new java.util.LinkedHashMap<>(offset.data());
                    data.put("payment", advance.paymentId());
                    return new ReceiptDraft(offset.type(), offset.paymentMethod(), offset.purpose(), offset.total(),
                            offset.items(), offset.vats(), offset.paymentType(), data);
                });
    }

    private void intent(Order order, String provider, String paymentId, String refundId, String source,
                        ReceiptType type,
                        ReceiptPaymentMethod method, ReceiptPurpose purpose, long amount,
                        Supplier<ReceiptDraft> rules) {
        String why = null;
        ReceiptDraft draft = null;
        try {
            draft = rules.get();
            if (draft.data().get("client") instanceof java.util.Map<?, ?> client && client.isEmpty()) {
                why = "the order has neither the customer's e-mail nor phone; 54-FZ sends an online receipt to one";
            }
        } catch (ReceiptRules.UnsupportedVat | IllegalArgumentException | ArithmeticException e) {
            why = e.getMessage();
        }
        if (why != null) {
            // never lose it: the receipt that could not be built waits in the review queue for a correction
            store.insertUnbuildable(order.id(), paymentId, refundId, source, type, method, purpose, amount, CURRENCY,
                    provider, why, clock.instant());
            return;
        }
        store.insert(order.id(), paymentId, refundId, source, null, draft, CURRENCY, provider, clock.instant());
    }
}
