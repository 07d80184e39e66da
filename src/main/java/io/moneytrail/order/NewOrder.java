package io.moneytrail.order;

import java.util.List;
import java.util.Map;

/** What a store sends to create an order; validated by {@link OrderService#create}. */
public record NewOrder(String currency, String reference, String customerEmail, String customerPhone,
                       List<Line> lines, Map<String, String> metadata) {

    public record Line(String sku, String name, Long quantity, Long unitAmount, Integer vatRate) {
    }
}
