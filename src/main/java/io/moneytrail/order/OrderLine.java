package io.moneytrail.order;

/**
 * One order line; {@code amountTotal} includes VAT, {@code amountVat} is the VAT inside it.
 * {@code paymentObject} ({@code goods} or {@code service}) and {@code measure} (54-FZ tag 2108,
 * 0 = piece) are what a fiscal receipt says of the line.
 */
public record OrderLine(String sku, String name, long quantity, long unitAmount, Integer vatRate,
                        long amountTotal, long amountVat, String paymentObject, int measure) {

    public static final String GOODS = "goods";
    public static final String SERVICE = "service";

    /** A line of goods sold by the piece. */
    public OrderLine(String sku, String name, long quantity, long unitAmount, Integer vatRate, long amountTotal,
                     long amountVat) {
        this(sku, name, quantity, unitAmount, vatRate, amountTotal, amountVat, GOODS, 0);
    }
}
