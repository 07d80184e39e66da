package io.moneytrail.api;

import java.util.List;
import java.util.Map;

/** Request bodies. Unknown fields are rejected (the mapper fails on them), naming the field. */
final class Requests {

    private Requests() {
    }

    record CreateOrder(String currency, String reference, Customer customer, List<Line> lines,
                       Map<String, String> metadata) {
    }

    record Customer(String email, String phone) {
    }

    record Line(String sku, String name, Long quantity, Long unitAmount, Integer vatRate, String paymentObject,
                Integer measure) {
    }

    record CreatePayment(String provider, String captureMethod, String returnUrl) {
    }

    record Capture(Long amount) {
    }

    record CreateRefund(String payment, Long amount, String reason, List<RefundLine> lines) {
    }

    /** A line a refund returns: the order line's sku and how many of it (fiscal receipts, issue 14). */
    record RefundLine(String sku, Long quantity) {
    }
}
