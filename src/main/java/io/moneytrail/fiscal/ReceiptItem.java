package io.moneytrail.fiscal;

/**
 * One line of a receipt. Amounts are minor units of the receipt's currency; {@code vat} is ATOL's
 * code ({@code vat22}, {@code vat122}, {@code none} …) and {@code vatSum} the VAT inside {@code sum};
 * {@code paymentObject} and {@code measure} are ATOL v5's integers (1 goods, 4 service; 0 piece).
 */
public record ReceiptItem(String name, String sku, long price, long quantity, long sum, String vat, long vatSum,
                          int paymentObject, int measure) {
}
