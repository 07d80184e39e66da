package io.moneytrail.fiscal;

import io.moneytrail.money.Money;
import io.moneytrail.order.Order;
import io.moneytrail.order.OrderLine;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.payment.ProviderReceipt;
import io.moneytrail.payment.RefundLine;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Receipts for YooKassa built by our own {@link ReceiptRules}, one per rule, for the adapter's
 * exact-body tests ({@code provider.yookassa.YooKassaReceiptBodiesTest}): the same orders as the ATOL
 * bodies' ({@link AtolRequestBodiesTest}).
 */
public final class YooKassaReceiptExamples {

    public static final String YOOKASSA_PAYMENT = "30f5e8b1-000f-5000-9000-1c2d3e4f5a6b";
    public static final String YOOKASSA_REFUND = "30f5e9c2-0015-5000-8000-2d3e4f5a6b7c";

    private YooKassaReceiptExamples() {
    }

    private static Order order(String email, String phone, OrderLine... lines) {
        long total = 0;
        for (OrderLine line : lines) {
            total += line.amountTotal();
        }
        return new Order("ord_01kbtestfiscal0000000000", "A-1001", Money.of(total, "RUB"), 0, OrderStatus.OPEN, email,
                phone, Map.of(), List.of(lines), null, Instant.EPOCH);
    }

    private static Order order(OrderLine... lines) {
        return order("buyer@example.com", "+79990000000", lines);
    }

    private static ProviderReceipt inRequest(ReceiptDraft draft, ProviderReceipt.Kind kind, String sno) {
        return YooKassaReceiptSource.of(kind, draft.items(), draft.paymentMethod(),
                (Map<?, ?>) draft.data().get("client"), sno, null, null, List.of());
    }

    /** Money arrives before fulfilment: an advance, full_prepayment, calculated rates (22/122 and 10/110). */
    public static ProviderReceipt advance() {
        Order order = order(AtolRequestBodiesTest.KETTLE, AtolRequestBodiesTest.DELIVERY, AtolRequestBodiesTest.BOOK);
        return inRequest(ReceiptRules.capture(order, 212000, FiscalMode.PREPAYMENT, "osn"),
                ProviderReceipt.Kind.PAYMENT, "osn");
    }

    /** A store that ships at once: one full_payment receipt at capture, plain rates (22 % and 10 %). */
    public static ProviderReceipt fullPayment() {
        Order order = order(AtolRequestBodiesTest.KETTLE, AtolRequestBodiesTest.BOOK);
        return inRequest(ReceiptRules.capture(order, 177000, FiscalMode.FULL_PAYMENT, "osn"),
                ProviderReceipt.Kind.PAYMENT, "osn");
    }

    /** A 20 % line (a sale made before 2026) keeps 20/120 in the advance. */
    public static ProviderReceipt advanceOfA2025Sale() {
        Order order = order(AtolRequestBodiesTest.OLD_KETTLE);
        return inRequest(ReceiptRules.capture(order, 120000, FiscalMode.PREPAYMENT, "osn"),
                ProviderReceipt.Kind.PAYMENT, "osn");
    }

    /** A partial capture of a two-stage payment: the captured part allocated over the lines. */
    public static ProviderReceipt partialCapture() {
        Order order = order(AtolRequestBodiesTest.KETTLE, AtolRequestBodiesTest.CUPS);
        return inRequest(ReceiptRules.capture(order, 152500, FiscalMode.PREPAYMENT, "osn"),
                ProviderReceipt.Kind.PAYMENT, "osn");
    }

    /** A refund before fulfilment naming a line: mirrors the advance, full_prepayment with 22/122. */
    public static ProviderReceipt refundBeforeFulfilment() {
        Order order = order(AtolRequestBodiesTest.KETTLE, AtolRequestBodiesTest.CUPS);
        return inRequest(ReceiptRules.refund(order, 30500, List.of(new RefundLine("CUP", 1)), false,
                FiscalMode.PREPAYMENT, "osn"), ProviderReceipt.Kind.REFUND, "osn");
    }

    /** A refund after fulfilment naming no lines: allocated in proportion, full_payment with 22 %. */
    public static ProviderReceipt refundAfterFulfilment() {
        Order order = order(AtolRequestBodiesTest.KETTLE, AtolRequestBodiesTest.CUPS);
        return inRequest(ReceiptRules.refund(order, 50000, null, true, FiscalMode.PREPAYMENT, "osn"),
                ProviderReceipt.Kind.REFUND, "osn");
    }

    /** A refund after fulfilment of a 2025 sale: full_payment with 20 %. */
    public static ProviderReceipt refundOfA2025SaleAfterFulfilment() {
        Order order = order(AtolRequestBodiesTest.OLD_KETTLE);
        return inRequest(ReceiptRules.refund(order, 120000, List.of(new RefundLine("KETTLE-2025", 1)), true,
                FiscalMode.PREPAYMENT, "osn"), ProviderReceipt.Kind.REFUND, "osn");
    }

    /** A simplified-tax VAT payer (usn_income): 5 % and 7 % lines in an advance become 5/105 and 7/107. */
    public static ProviderReceipt advanceOfASimplifiedTaxPayer() {
        OrderLine tea = new OrderLine("TEA", "Чай", 2, 10500, 5, 21000, 1000, OrderLine.GOODS, 0);
        OrderLine honey = new OrderLine("HONEY", "Мёд, кг", 1, 53500, 7, 53500, 3500, OrderLine.GOODS, 11);
        return inRequest(ReceiptRules.capture(order(tea, honey), 74500, FiscalMode.PREPAYMENT, "usn_income"),
                ProviderReceipt.Kind.PAYMENT, "usn_income");
    }

    /** A patent store charges no VAT; the customer left only a phone. */
    public static ProviderReceipt fullPaymentOfAPatentStoreToAPhone() {
        OrderLine repair = new OrderLine("REPAIR", "Ремонт обуви", 1, 90000, null, 90000, 0, OrderLine.SERVICE, 0);
        return inRequest(ReceiptRules.capture(order(null, "+7 999 000-00-00", repair), 90000, FiscalMode.FULL_PAYMENT,
                "patent"), ProviderReceipt.Kind.PAYMENT, "patent");
    }

    /** The offset at fulfilment, on its own: full_payment, plain rates, settled by the advance. */
    public static ProviderReceipt offset() {
        Order order = order(AtolRequestBodiesTest.KETTLE, AtolRequestBodiesTest.DELIVERY, AtolRequestBodiesTest.BOOK);
        ReceiptDraft draft = ReceiptRules.offset(order, 212000, List.of(), "osn");
        return YooKassaReceiptSource.of(ProviderReceipt.Kind.PAYMENT, draft.items(), draft.paymentMethod(),
                (Map<?, ?>) draft.data().get("client"), "osn", YOOKASSA_PAYMENT, null,
                List.of(new ProviderReceipt.Settlement("prepayment", draft.total())));
    }

    /** A canceled refund receipt sent again on its own: settled cashless, for YooKassa's refund. */
    public static ProviderReceipt refundSentAgain() {
        ProviderReceipt refund = refundBeforeFulfilment();
        return new ProviderReceipt(refund.kind(), refund.email(), refund.phone(), refund.items(), refund.taxSystem(),
                refund.currency(), YOOKASSA_PAYMENT, YOOKASSA_REFUND,
                List.of(new ProviderReceipt.Settlement("cashless", refund.total())));
    }
}
