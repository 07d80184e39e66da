package io.moneytrail.fiscal;

import io.moneytrail.money.Money;
import io.moneytrail.order.Order;
import io.moneytrail.order.OrderService;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.payment.ProviderReceipt;
import io.moneytrail.payment.ReceiptPort;
import io.moneytrail.payment.Refund;
import io.moneytrail.payment.RefundLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The receipt that travels inside a YooKassa payment or refund request when YooKassa registers this
 * store's receipts (YooKassa's own receipts): built by the same {@link ReceiptRules} as ATOL's, so
 * the receipt intent written with the money fact later says the same thing. A payment carries the
 * receipt of the money it brings (an advance, {@code full_prepayment} with the calculated rates, or in
 * mode {@code full_payment} the sale); a refund mirrors what it refunds (before fulfilment
 * {@code full_prepayment} with the calculated rates, after it {@code full_payment}). Nothing goes with
 * a request when the order is not in roubles or the receipt cannot be built (no e-mail or phone, a
 * VAT rate with no 54-FZ code): the receipt intent then waits in the review queue, as with ATOL.
 */
@Component
class YooKassaReceiptSource implements ReceiptPort {

    private final FiscalSettings settings;
    private final OrderService orders;
    private final PaymentQueries payments;

    YooKassaReceiptSource(FiscalSettings settings, OrderService orders, PaymentQueries payments) {
        this.settings = settings;
        this.orders = orders;
        this.payments = payments;
    }

    @Override
    public Optional<ProviderReceipt> forPayment(String provider, String orderId, Money amount) {
        if (!applies(provider, amount)) {
            return Optional.empty();
        }
        Order order = orders.get(orderId);
        return build(() -> ReceiptRules.capture(order, amount.amountMinor(), settings.mode(), sno()),
                ProviderReceipt.Kind.PAYMENT);
    }

    @Override
    public Optional<ProviderReceipt> forCapture(String provider, String providerPaymentId, Money amount) {
        if (!applies(provider, amount)) {
            return Optional.empty();
        }
        Optional<io.moneytrail.payment.Payment> payment = payments.byProviderId(provider, providerPaymentId);
        if (payment.isEmpty() || payment.get().amount().amountMinor() == amount.amountMinor()) {
            return Optional.empty();
        }
        Order order = orders.get(payment.get().orderId());
        return build(() -> ReceiptRules.capture(order, amount.amountMinor(), settings.mode(), sno()),
                ProviderReceipt.Kind.PAYMENT);
    }

    @Override
    public Optional<ProviderReceipt> forRefund(String provider, String refundId, Money amount) {
        if (!applies(provider, amount)) {
            return Optional.empty();
        }
        Refund refund = payments.getRefund(refundId);
        Order order = orders.get(refund.orderId());
        List<RefundLine> lines = payments.refundLines(refundId);
        boolean after = order.status() == OrderStatus.FULFILLED;
        return build(() -> ReceiptRules.refund(order, amount.amountMinor(), lines, after, settings.mode(), sno()),
                ProviderReceipt.Kind.REFUND);
    }

    private boolean applies(String provider, Money amount) {
        return FiscalSettings.YOOKASSA.equals(settings.providerFor(provider))
                && ReceiptIntents.CURRENCY.equals(amount.currencyCode());
    }

    private String sno() {
        return settings.company().sno();
    }

    private interface Rules {
        ReceiptDraft draft();
    }

    private Optional<ProviderReceipt> build(Rules rules, ProviderReceipt.Kind kind) {
        ReceiptDraft draft;
        try {
            draft = rules.draft();
        } catch (ReceiptRules.UnsupportedVat | IllegalArgumentException | ArithmeticException unbuildable) {
            return Optional.empty();
        }
        Map<?, ?> client = draft.data().get("client") instanceof Map<?, ?> map ? map : Map.of();
        if (client.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(of(kind, draft.items(), draft.paymentMethod(), client, sno(), null, null, List.of()));
    }

    /** A stored or drafted receipt in the neutral shape a fiscalising provider's adapter sends. */
    static ProviderReceipt of(ProviderReceipt.Kind kind, List<ReceiptItem> items, ReceiptPaymentMethod method,
                              Map<?, ?> client, String sno, String providerPaymentId, String providerRefundId,
                              List<ProviderReceipt.Settlement> settlements) {
        List<ProviderReceipt.Item> lines = new ArrayList<>();
        for (ReceiptItem item : items) {
            lines.add(new ProviderReceipt.Item(item.name(), item.quantity(), item.price(), item.vat(), method.wire(),
                    item.paymentObject() == ReceiptRules.OBJECT_SERVICE ? "service" : "commodity", item.measure()));
        }
        Object email = client.get("email");
        Object phone = client.get("phone");
        return new ProviderReceipt(kind, email == null ? null : email.toString(),
                email == null && phone != null ? phone.toString() : null, lines, sno, ReceiptIntents.CURRENCY,
                providerPaymentId, providerRefundId, settlements);
    }
}
