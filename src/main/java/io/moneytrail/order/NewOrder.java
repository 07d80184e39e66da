package io.moneytrail.order;

import java.util.List;
import java.util.Map;

/** What a store sends to create an order; validated by {@link OrderService#create}. */
public record NewOrder(String currency, String reference, String customerEmail, String customerPhone,
                       List<Line> lines, Map<String, String> metadata) {

    /** {@code paymentObject}: {@code goods} (default) or {@code service}; {@code measure}: 54-FZ tag 2108 (default 0, piece). */
    public record Line(String sku, String name, Long quantity, Long unitAmount, Integer vatRate, String paymentObject,
                       Integer measure) {

        public Line(String sku, String name, Long quantity, Long unitAmount, Integer vatRate) {
            this(sku, name, quantity, unitAmount, vatRate, null, null);
        }
    }
}
