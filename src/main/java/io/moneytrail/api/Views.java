package io.moneytrail.api;

import io.moneytrail.order.Order;
import io.moneytrail.order.OrderLine;
import io.moneytrail.order.TimelineEntry;
import io.moneytrail.payment.Payment;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.Refund;
import java.util.List;
import java.util.Map;

/** The API's JSON shapes (snake_case by the global naming strategy) and how objects map to them. */
final class Views {

    private Views() {
    }

    record OrderView(String id, String object, String status, String paymentStatus, String currency,
                     long amountTotal, long amountVat, long amountAuthorized, long amountCaptured,
                     long amountRefunded, String reference, CustomerView customer, List<LineView> lines,
                     Map<String, String> metadata, long created) {
    }

    record CustomerView(String email, String phone) {
    }

    record LineView(String sku, String name, long quantity, long unitAmount, Integer vatRate, long amountTotal,
                    long amountVat, String paymentObject, int measure) {
    }

    record PaymentView(String id, String object, String order, String provider, String providerPaymentId,
                       String status, String captureMethod, long amount, String currency, long amountCapturable,
                       long amountCaptured, long amountRefunded, NextAction nextAction, String returnUrl,
                       String failureCode, String failureMessage, long created) {
    }

    record NextAction(String type, String redirectUrl) {
    }

    record RefundView(String id, String object, String payment, String order, long amount, String currency,
                      String status, String reason, String failureMessage, long created) {
    }

    record TimelineView(String object, long sequence, String kind, String summary, Map<String, Object> data,
                        long occurred, String occurredAt) {
    }

    record ListView<T>(String object, List<T> data, boolean hasMore, String url) {
    }

    static OrderView order(Order order) {
        return new OrderView(order.id(), "order", order.status().wire(), order.money().paymentStatus().wire(),
                order.currencyCode(), order.amountTotal().amountMinor(), order.vatTotalMinor(),
                order.money().amountAuthorized(), order.money().amountCaptured(), order.money().amountRefunded(),
                order.reference(), new CustomerView(order.customerEmail(), order.customerPhone()),
                order.lines().stream().map(Views::line).toList(), order.metadata(), order.created().getEpochSecond());
    }

    private static LineView line(OrderLine line) {
        return new LineView(line.sku(), line.name(), line.quantity(), line.unitAmount(), line.vatRate(),
                line.amountTotal(), line.amountVat(), line.paymentObject(), line.measure());
    }

    static PaymentView payment(Payment payment) {
        NextAction next = payment.state() == PaymentState.REQUIRES_ACTION && payment.redirectUrl() != null
                ? new NextAction("redirect", payment.redirectUrl()) : null;
        return new PaymentView(payment.id(), "payment", payment.orderId(), payment.provider(),
                payment.providerPaymentId(), payment.state().wire(), payment.captureMethod().wire(),
                payment.amount().amountMinor(), payment.amount().currencyCode(), payment.amountCapturable(),
                payment.amountCaptured(), payment.amountRefunded(), next, payment.returnUrl(), payment.failureCode(),
                payment.failureMessage(), payment.created().getEpochSecond());
    }

    static RefundView refund(Refund refund) {
        return new RefundView(refund.id(), "refund", refund.paymentId(), refund.orderId(),
                refund.amount().amountMinor(), refund.amount().currencyCode(), refund.state().wire(), refund.reason(),
                refund.failureMessage(), refund.created().getEpochSecond());
    }

    static TimelineView timeline(TimelineEntry entry) {
        return new TimelineView("timeline_entry", entry.sequence(), entry.kind().wire(), entry.summary(), entry.data(),
                entry.occurredAt().getEpochSecond(), entry.occurredAt().toString());
    }

    static <T> ListView<T> list(List<T> data, boolean hasMore, String url) {
        return new ListView<>("list", data, hasMore, url);
    }
}
