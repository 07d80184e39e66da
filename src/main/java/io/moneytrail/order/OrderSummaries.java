package io.moneytrail.order;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Read model of the {@code orders} table for other modules that go over many orders at once
 * (reconciliation runs, checks): an order's id, creation instant, lifecycle status, currency and
 * total, with no lines and no money facts (those are the payment module's, see
 * {@code payment.PaymentFacts}). Pages are keyset pages in (created_at, id) order.
 */
public interface OrderSummaries {

    /** The most orders one call returns or looks up. */
    int PAGE_MAX = 5_000;

    /** One order, as far as a reader of many orders needs it. */
    record OrderSummary(String id, Instant createdAt, OrderStatus status, String currency,
                        long amountTotal) {
    }

    /**
     * Orders created in [from, to) after {@code after} (null: from the start) in (created_at, id)
     * order, at most {@code limit} ({@value #PAGE_MAX} at most).
     */
    List<OrderSummary> createdBetween(Instant from, Instant to, OrderSummary after, int limit);

    /** How many orders were created in [from, to) (to size a reader's indexes before it reads them). */
    long countCreatedBetween(Instant from, Instant to);

    /** Those of the given orders ({@value #PAGE_MAX} at most) created before {@code before}, in (created_at, id) order. */
    List<OrderSummary> createdBefore(Collection<String> ids, Instant before);

    /**
     * The creation instant of each of the given orders that exists ({@value #PAGE_MAX} at most). Added
     * for the ledger (issue 14 "Speed"): an order's journal entries carry it when their poster did not.
     */
    Map<String, Instant> createdAt(Collection<String> ids);

    /** An order's fulfilment: when it first became fulfilled (its timeline says so). */
    record Fulfilment(String orderId, String currency, Instant fulfilledAt) {
    }

    /**
     * Orders in {@code currency} that became fulfilled in [from, to), after {@code after} (null: from
     * the start) in (fulfilled_at, order id) order, at most {@code limit} ({@value #PAGE_MAX} at most).
     * Added for receipt reconciliation (issue 14): an order's offset receipt is due at its fulfilment.
     */
    List<Fulfilment> fulfilledBetween(Instant from, Instant to, String currency, Fulfilment after, int limit);

    /** One order line's VAT rate (null: no VAT), by SKU. */
    record LineRate(String orderId, String sku, Integer vatRate) {
    }

    /** The VAT rates of the lines of these orders ({@value #PAGE_MAX} at most). Added for receipt reconciliation. */
    List<LineRate> lineRates(Collection<String> orderIds);
}
