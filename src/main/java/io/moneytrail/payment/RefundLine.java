package io.moneytrail.payment;

/** A line a refund returns: the order line's sku and how many of it. */
public record RefundLine(String sku, long quantity) {
}
