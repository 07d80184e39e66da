package io.moneytrail.payment;

import io.moneytrail.order.PaymentStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The payment module's published read model of each order's payment status (table
 * {@code order_payment_status}, V31), for lists of many orders that filter by it (the back
 * office's orders page). The status is the one the view {@code order_money} derives from the
 * money facts; the payment module writes the copy in the same transaction as the facts and
 * payment states that move it, so a reader sees both or neither. An order that never had a
 * payment attempt has no row: it is {@link PaymentStatus#UNPAID}.
 */
public interface OrderPaymentStatuses {

    /** The most orders one call answers or looks up. */
    int IDS_MAX = 1000;

    /**
     * Orders whose payment status is {@code status} (any but {@code unpaid}, which orders that never
     * had an attempt have without a row: filter those with {@link #of}), created in [from, to)
     * (either may be null), newest first by (creation time, id) after the order {@code after} in that
     * order (null: from the newest), at most {@code limit}. The order of the order list, so a page
     * of these ids is a page of that list.
     */
    List<String> orderIds(PaymentStatus status, Instant from, Instant to, String after, int limit);

    /** The payment status of each of {@code orderIds}: every one is in the answer, unpaid without a row. */
    Map<String, PaymentStatus> of(Collection<String> orderIds);
}
