package io.moneytrail.payment;

import java.util.List;

/**
 * A 54-FZ receipt as a payment provider that fiscalises registers it (YooKassa's own receipts): sent
 * inside a payment or refund request, or on its own (an advance's offset at fulfilment). Neutral of any
 * provider's spelling: VAT as the 54-FZ rate names ({@code none}, {@code vat0}, {@code vat5}, {@code vat7},
 * {@code vat10}, {@code vat20}, {@code vat22} and the calculated {@code vat105}, {@code vat107},
 * {@code vat110}, {@code vat120}, {@code vat122}), amounts in minor units of {@code currency}; the
 * adapter turns it into its provider's request body.
 *
 * @param kind              a receipt of income ({@code PAYMENT}) or of its return ({@code REFUND})
 * @param email             the customer's e-mail, or null
 * @param phone             the customer's phone (when there is no e-mail), or null
 * @param taxSystem         the seller's tax system: {@code osn}, {@code usn_income}, {@code usn_income_outcome},
 *                          {@code esn}, {@code patent}; null leaves it to the provider's settings
 * @param providerPaymentId the provider's payment the receipt belongs to (a receipt sent on its own), or null
 * @param providerRefundId  the provider's refund the receipt belongs to (a refund receipt sent on its own), or null
 * @param settlements       how it was settled (a receipt sent on its own); empty inside a payment or refund
 */
public record ProviderReceipt(Kind kind, String email, String phone, List<Item> items, String taxSystem,
                              String currency, String providerPaymentId, String providerRefundId,
                              List<Settlement> settlements) {

    public ProviderReceipt {
        items = List.copyOf(items);
        settlements = settlements == null ? List.of() : List.copyOf(settlements);
    }

    public enum Kind { PAYMENT, REFUND }

    /**
     * One line: {@code unitAmount} × {@code quantity} is the line's sum.
     *
     * @param paymentMode    54-FZ tag 1214: {@code full_prepayment} or {@code full_payment}
     * @param paymentSubject 54-FZ tag 1212: {@code commodity} or {@code service}
     * @param measure        54-FZ tag 2108 (0 a piece)
     */
    public record Item(String description, long quantity, long unitAmount, String vat, String paymentMode,
                       String paymentSubject, int measure) {

        public long sum() {
            return Math.multiplyExact(unitAmount, quantity);
        }
    }

    /** How a receipt sent on its own was settled: {@code prepayment} (the advance, offset) or {@code cashless}. */
    public record Settlement(String type, long amount) {
    }

    public long total() {
        return items.stream().mapToLong(Item::sum).sum();
    }
}
