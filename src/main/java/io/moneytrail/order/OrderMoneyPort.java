package io.moneytrail.order;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the order machine needs to know about money, and what it asks the money side to do.
 * The order module defines this port and the payment module implements it, so the order's
 * guards (cancel, fulfil, expire) live in {@link OrderService} without reading payment tables.
 */
public interface OrderMoneyPort {

    /** The order's money as derived from its payment transactions (net captured, payment status). */
    OrderMoney moneyOf(String orderId);

    /** The money of each of {@code orderIds} (an order with no payment has zero sums, unpaid). */
    Map<String, OrderMoney> moneyOf(Collection<String> orderIds);

    /** A page of orders whose payment status is {@code status}, newest first, after {@code startingAfter}. */
    List<String> orderIdsWithPaymentStatus(PaymentStatus status, String startingAfter, int limit);

    /**
     * Voids, at the provider, every attempt of the order that can still be voided, each as its
     * own intent, call and answer: call it with no transaction open. Answers false when money
     * turned out to be captured meanwhile (what the provider reported is kept).
     */
    boolean voidOpenAttempts(String orderId, String cause);

    /**
     * The order has just been closed (cancelled or expired) in the caller's transaction, which
     * holds the order's lock: money its payments still hold is given back by compensation.
     */
    void orderClosed(String orderId);
}
