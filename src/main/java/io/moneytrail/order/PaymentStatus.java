package io.moneytrail.order;

/**
 * An order's payment status. Never stored: the view {@code order_money} (migration V1)
 * derives it from the sums of the order's payment transactions, in this order of rules:
 * <ol>
 *   <li>nothing captured: {@code authorized} if money is held, else {@code pending} if an
 *       attempt is awaiting the customer or the provider, else {@code unpaid};</li>
 *   <li>nothing refunded: captured below / equal to / above the total gives
 *       {@code partially_paid} / {@code paid} / {@code overpaid};</li>
 *   <li>something refunded: net (captured - refunded) zero is {@code refunded}, below the
 *       total {@code partially_refunded}, equal {@code paid}, above {@code overpaid}.</li>
 * </ol>
 */
public enum PaymentStatus {
    UNPAID, PENDING, AUTHORIZED, PARTIALLY_PAID, PAID, OVERPAID, PARTIALLY_REFUNDED, REFUNDED;

    public String wire() {
        return name().toLowerCase();
    }

    public static PaymentStatus fromWire(String value) {
        return valueOf(value.toUpperCase());
    }
}
