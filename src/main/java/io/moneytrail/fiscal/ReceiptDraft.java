package io.moneytrail.fiscal;

import java.util.List;
import java.util.Map;

/**
 * A receipt as the rules build it, before it is stored: what it is and says. {@code paymentType}
 * is ATOL's payment type of its one payment (1 electronic money, 2 the advance offset);
 * {@code data} says how it was built (allocation) and to whom it goes (the customer's contact).
 */
record ReceiptDraft(ReceiptType type, ReceiptPaymentMethod paymentMethod, ReceiptPurpose purpose, long total,
                    List<ReceiptItem> items, Map<String, Long> vats, int paymentType, Map<String, Object> data) {
}
