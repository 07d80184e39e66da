package io.moneytrail.order;

/**
 * What the order machine needs to know about money, and the one thing it asks the money side
 * to do. The order module defines this port and the payment module implements it, so the
 * order's guards (cancel, fulfil, expire) live here without reading payment tables.
 */
public interface OrderMoneyPort {

    /** The order's money as derived from its payment transactions (net captured, payment status). */
    OrderMoney moneyOf(String orderId);

    /**
     * Voids, at the provider, every attempt of the order that can still be voided. Answers false
     * when money turned out to be captured meanwhile (what the provider reported is kept): then
     * the order must not close.
     */
    boolean voidOpenAttempts(String orderId, String cause);
}
