package io.moneytrail.order;

import io.moneytrail.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An order as read back: lifecycle, lines, and the money summary derived from its payment
 * transactions ({@code money}: the payment module's, attached by {@link OrderService}; null on
 * an order read straight from {@link Orders}).
 */
public record Order(
        String id,
        String reference,
        Money amountTotal,
        long vatTotalMinor,
        OrderStatus status,
        String customerEmail,
        String customerPhone,
        Map<String, String> metadata,
        List<OrderLine> lines,
        OrderMoney money,
        Instant created) {

    Order withMoney(OrderMoney attached) {
        return new Order(id, reference, amountTotal, vatTotalMinor, status, customerEmail, customerPhone, metadata,
                lines, attached, created);
    }

    public String currencyCode() {
        return amountTotal.currencyCode();
    }
}
