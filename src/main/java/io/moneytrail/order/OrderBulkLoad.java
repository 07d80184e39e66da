package io.moneytrail.order;

import io.moneytrail.money.Money;
import java.time.Instant;
import java.util.List;

/**
 * Bulk loading of orders for benchmarks that need a large "our side" quickly (not for the
 * service's own paths, which create orders through {@link OrderService}): each order gets one
 * line of quantity 1 at its total and no VAT. One statement per table per call.
 */
public interface OrderBulkLoad {

    /** The most orders one call loads. */
    int ORDERS_MAX = 10_000;

    /** An order to load, with its one line's sku and name, and its customer's e-mail and phone (either may be null). */
    record BulkOrder(String id, String reference, Money total, OrderStatus status, Instant createdAt,
                     String sku, String name, String customerEmail, String customerPhone) {

        /** An order without customer details. */
        public BulkOrder(String id, String reference, Money total, OrderStatus status, Instant createdAt, String sku,
                         String name) {
            this(id, reference, total, status, createdAt, sku, name, null, null);
        }
    }

    /** Inserts the orders and their lines; how many orders. */
    int insert(List<BulkOrder> orders);
}
