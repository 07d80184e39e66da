package io.moneytrail.order;

/** One order line; {@code amountTotal} includes VAT, {@code amountVat} is the VAT inside it. */
public record OrderLine(String sku, String name, long quantity, long unitAmount, Integer vatRate,
                        long amountTotal, long amountVat) {
}
