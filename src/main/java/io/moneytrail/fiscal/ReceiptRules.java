package io.moneytrail.fiscal;

import io.moneytrail.order.Order;
import io.moneytrail.order.OrderLine;
import io.moneytrail.order.Vat;
import io.moneytrail.payment.RefundLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each fact calls for, by 54-FZ, as ATOL v5 spells it. Pure: the same order and fact always
 * build the same receipt.
 *
 * <ul>
 *   <li>Money arrives before fulfilment (mode {@code prepayment}): {@code sell}, {@code full_prepayment},
 *       calculated VAT rates ({@code vat122} …), paid electronically (payment type 1).</li>
 *   <li>Fulfilment: {@code sell}, {@code full_payment}, the plain rates ({@code vat22} …), paid by the advance
 *       (payment type 2), for what the customer still has paid (captured minus refunded).</li>
 *   <li>Mode {@code full_payment}: one {@code sell}, {@code full_payment}, plain rates, at capture.</li>
 *   <li>A refund mirrors what it refunds: before fulfilment {@code full_prepayment} with calculated rates,
 *       after it (or in mode {@code full_payment}) {@code full_payment} with plain rates.</li>
 * </ul>
 * VAT comes from the order line: a 20 % line (a sale made before 2026, or its refund) stays {@code vat20}
 * / {@code vat120}. VAT inside each item's sum is rounded once per item ({@link Vat#includedIn}).
 */
final class ReceiptRules {

    /** ATOL payment types (54-FZ tags 1081 and 1215). */
    static final int PAYMENT_ELECTRONIC = 1;
    static final int PAYMENT_ADVANCE = 2;
    /** ATOL v5 payment_object: 1 goods (товар), 4 service (услуга). */
    static final int OBJECT_GOODS = 1;
    static final int OBJECT_SERVICE = 4;

    private ReceiptRules() {
    }

    /** The customer a receipt is sent to: e-mail first, else phone (ATOL needs one of them). */
    static Map<String, Object> client(Order order) {
        Map<String, Object> client = new LinkedHashMap<>();
        if (order.customerEmail() != null && !order.customerEmail().isBlank()) {
            client.put("email", order.customerEmail());
        } else if (order.customerPhone() != null && !order.customerPhone().isBlank()) {
            client.put("phone", order.customerPhone());
        }
        return client;
    }

    /** The receipt for money that arrived: an advance, or the whole sale in mode {@code full_payment}. */
    static ReceiptDraft capture(Order order, long amount, FiscalMode mode, String sno) {
        boolean prepayment = mode == FiscalMode.PREPAYMENT;
        Map<String, Object> data = base(order);
        List<Share> shares = share(order.lines(), amount, List.of(), data);
        return draft(ReceiptType.SELL,
                prepayment ? ReceiptPaymentMethod.FULL_PREPAYMENT : ReceiptPaymentMethod.FULL_PAYMENT,
                prepayment ? ReceiptPurpose.PREPAYMENT : ReceiptPurpose.FULL_PAYMENT, shares, prepayment, sno,
                PAYMENT_ELECTRONIC, data);
    }

    /** The offset at fulfilment of what is still paid ({@code netAdvance}), less lines already returned. */
    static ReceiptDraft offset(Order order, long netAdvance, List<RefundLine> returned, String sno) {
        Map<String, Object> data = base(order);
        List<Share> shares = share(order.lines(), netAdvance, returned, data);
        return draft(ReceiptType.SELL, ReceiptPaymentMethod.FULL_PAYMENT, ReceiptPurpose.OFFSET, shares, false, sno,
                PAYMENT_ADVANCE, data);
    }

    /**
     * A refund's receipt. {@code lines}: what the refund names (null: its amount is allocated across the
     * order's lines in proportion, and the receipt's data says so).
     */
    static ReceiptDraft refund(Order order, long amount, List<RefundLine> lines, boolean afterFulfilment,
                               FiscalMode mode, String sno) {
        boolean advance = mode == FiscalMode.PREPAYMENT && !afterFulfilment;
        Map<String, Object> data = base(order);
        List<Share> shares;
        if (lines == null) {
            shares = share(order.lines(), amount, List.of(), data);
        } else {
            shares = named(order.lines(), lines);
            data.put("allocation", "lines");
            long named = shares.stream().mapToLong(Share::sum).sum();
            if (named != amount) {
                data.put("lines_sum", named);
                shares = proportional(shares, amount);
                data.put("allocation", "lines_proportional");
            }
        }
        return draft(ReceiptType.SELL_REFUND,
                advance ? ReceiptPaymentMethod.FULL_PREPAYMENT : ReceiptPaymentMethod.FULL_PAYMENT,
                ReceiptPurpose.REFUND, shares, advance, sno, PAYMENT_ELECTRONIC, data);
    }

    /** ATOL's VAT code for a line's rate: the plain one, or the calculated one of an advance. */
    static String vatCode(Integer ratePercent, boolean calculated, String sno) {
        if (ratePercent == null || "patent".equals(sno)) {
            return "none"; // no VAT on the line, or a patent-only store, which charges none
        }
        return switch (ratePercent) {
            case 0 -> "vat0";
            case 5, 7, 10, 20, 22 -> calculated ? "vat1" + String.format("%02d", ratePercent) : "vat" + ratePercent;
            default -> throw new UnsupportedVat(ratePercent);
        };
    }

    /** A VAT rate 54-FZ has no code for (18 % ended in 2019). */
    static final class UnsupportedVat extends RuntimeException {
        UnsupportedVat(int rate) {
            super("a receipt cannot carry VAT of " + rate + " %: 54-FZ codes exist for 0, 5, 7, 10, 20 and 22 %");
        }
    }

    /** One order line's part in a receipt: its quantity and sum. */
    record Share(OrderLine line, long quantity, long sum) {
    }

    private static Map<String, Object> base(Order order) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("client", client(order));
        return data;
    }

    /**
     * The order's lines less what was returned; when {@code amount} is what they are worth, as they
     * are, else allocated in proportion (noted in {@code data}).
     */
    private static List<Share> share(List<OrderLine> lines, long amount, List<RefundLine> returned,
                                     Map<String, Object> data) {
        List<Share> remaining = new ArrayList<>();
        for (OrderLine line : lines) {
            long back = returned.stream().filter(r -> r.sku().equals(line.sku())).mapToLong(RefundLine::quantity).sum();
            long quantity = Math.max(0, line.quantity() - back);
            if (quantity > 0) {
                remaining.add(new Share(line, quantity, Math.multiplyExact(quantity, line.unitAmount())));
            }
        }
        long worth = remaining.stream().mapToLong(Share::sum).sum();
        if (worth == amount) {
            return remaining;
        }
        data.put("allocation", "proportional");
        data.put("allocation_basis", worth);
        if (remaining.isEmpty()) {
            // nothing left to name (every line returned): allocate over the order as it was
            for (OrderLine line : lines) {
                remaining.add(new Share(line, line.quantity(), line.amountTotal()));
            }
            data.put("allocation_basis", remaining.stream().mapToLong(Share::sum).sum());
        }
        return proportional(remaining, amount);
    }

    /** The lines a refund names, at their unit prices. */
    private static List<Share> named(List<OrderLine> lines, List<RefundLine> named) {
        List<Share> shares = new ArrayList<>();
        for (RefundLine returned : named) {
            OrderLine line = lines.stream().filter(l -> l.sku().equals(returned.sku())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no order line " + returned.sku()));
            shares.add(new Share(line, returned.quantity(), Math.multiplyExact(returned.quantity(), line.unitAmount())));
        }
        return shares;
    }

    /**
     * Splits {@code amount} over the shares in proportion to their sums (largest remainder: each
     * gets the floor of its part, the minor units left over go one each to the largest remainders,
     * earlier lines first on a tie), so the items add up to the amount exactly.
     */
    static List<Share> proportional(List<Share> shares, long amount) {
        long basis = shares.stream().mapToLong(Share::sum).sum();
        if (basis <= 0) {
            throw new IllegalArgumentException("nothing to allocate over");
        }
        long[] parts = new long[shares.size()];
        long[] remainders = new long[shares.size()];
        long given = 0;
        for (int i = 0; i < shares.size(); i++) {
            java.math.BigInteger product = java.math.BigInteger.valueOf(amount)
                    .multiply(java.math.BigInteger.valueOf(shares.get(i).sum()));
            java.math.BigInteger[] qr = product.divideAndRemainder(java.math.BigInteger.valueOf(basis));
            parts[i] = qr[0].longValueExact();
            remainders[i] = qr[1].longValueExact();
            given += parts[i];
        }
        for (long left = amount - given; left > 0; left--) {
            int best = 0;
            for (int i = 1; i < shares.size(); i++) {
                if (remainders[i] > remainders[best]) {
                    best = i;
                }
            }
            parts[best]++;
            remainders[best] = -1;
        }
        List<Share> allocated = new ArrayList<>();
        for (int i = 0; i < shares.size(); i++) {
            if (parts[i] > 0) {
                allocated.add(new Share(shares.get(i).line(), shares.get(i).quantity(), parts[i]));
            }
        }
        return allocated;
    }

    private static ReceiptDraft draft(ReceiptType type, ReceiptPaymentMethod method, ReceiptPurpose purpose,
                                      List<Share> shares, boolean calculated, String sno, int paymentType,
                                      Map<String, Object> data) {
        List<ReceiptItem> items = new ArrayList<>();
        Map<String, Long> vats = new LinkedHashMap<>();
        long total = 0;
        for (Share share : shares) {
            OrderLine line = share.line();
            String vat = vatCode(line.vatRate(), calculated, sno);
            long vatSum = "none".equals(vat) ? 0 : Vat.includedIn(share.sum(), line.vatRate());
            // ATOL checks price × quantity = sum: an allocated sum that does not divide is one unit of the whole
            boolean divides = share.sum() % share.quantity() == 0;
            long quantity = divides ? share.quantity() : 1;
            long price = divides ? share.sum() / share.quantity() : share.sum();
            items.add(new ReceiptItem(line.name(), line.sku(), price, quantity, share.sum(), vat, vatSum,
                    OrderLine.SERVICE.equals(line.paymentObject()) ? OBJECT_SERVICE : OBJECT_GOODS, line.measure()));
            vats.merge(vat, vatSum, Math::addExact);
            total = Math.addExact(total, share.sum());
        }
        return new ReceiptDraft(type, method, purpose, total, List.copyOf(items), vats, paymentType, data);
    }
}
