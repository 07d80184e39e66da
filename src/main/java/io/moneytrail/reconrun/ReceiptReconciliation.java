package io.moneytrail.reconrun;

import io.moneytrail.fiscal.Receipt;
import io.moneytrail.fiscal.ReceiptError;
import io.moneytrail.fiscal.ReceiptItem;
import io.moneytrail.fiscal.ReceiptPaymentMethod;
import io.moneytrail.fiscal.ReceiptPurpose;
import io.moneytrail.fiscal.ReceiptStatus;
import io.moneytrail.fiscal.ReceiptType;
import io.moneytrail.order.OrderSummaries.Fulfilment;
import io.moneytrail.order.Vat;
import io.moneytrail.payment.PaymentFacts.MoneyMovement;
import io.moneytrail.reconciliation.Discrepancy;
import io.moneytrail.reconciliation.DiscrepancyClass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rules of receipt reconciliation, over one batch of money facts and the receipts of their
 * orders (no I/O: {@link ReceiptCheck} reads, this decides). Three kinds of money fact call for a
 * receipt, each compared with the receipts that answer it:
 * <ul>
 *   <li>a payment's captures: its {@code sell} receipts of purpose {@code prepayment} (or
 *       {@code full_payment} in that mode) with its payment id; their total must equal what the
 *       payment captured (all its captures, so one receipt per capture or one per payment both add up);</li>
 *   <li>a refund: its {@code sell_refund} receipts with its refund id, for the refunded amount;</li>
 *   <li>a fulfilment of an order paid in advance (it has a prepayment receipt): its {@code offset}
 *       receipt, for what was captured less what was refunded before the fulfilment.</li>
 * </ul>
 * A receipt counts when {@code done}; a {@code failed} one counts if a done correction receipt
 * corrects it (its total stands in). No receipt, or one still pending, is {@code receipt_missing}
 * once the money fact (or the pending receipt) is older than the grace ({@code inFlightBefore}),
 * before that it is in flight and only counted; an uncorrected failure is {@code receipt_failed};
 * done receipts adding up to another total {@code receipt_sum_mismatch}; a done receipt whose VAT
 * per rate is not its lines' VAT ({@link Vat#includedIn} per line, as 54-FZ computes it), or that
 * uses a calculated rate ({@code vat122} …) at full payment or a plain one ({@code vat22} …) in an
 * advance, {@code receipt_vat_mismatch}.
 */
final class ReceiptReconciliation {

    static final String RULE_PAYMENT = "receipt_by_payment";
    static final String RULE_REFUND = "receipt_by_refund";
    static final String RULE_FULFILMENT = "receipt_by_fulfilment";
    static final String SOURCE = "receipts";

    private static final Set<String> CALCULATED = Set.of("vat105", "vat107", "vat110", "vat120", "vat122");
    private static final Set<String> PLAIN = Set.of("vat5", "vat7", "vat10", "vat20", "vat22");
    private static final Set<String> NO_VAT = Set.of("none", "vat0");

    /** What one batch found, and what it counted. */
    record Outcome(List<Discrepancy> discrepancies, Map<String, Long> counts) {
    }

    private final Instant inFlightBefore;
    private final Map<String, Map<String, Integer>> lineRates;
    private final List<Discrepancy> found = new ArrayList<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();

    private ReceiptReconciliation(Instant inFlightBefore, Map<String, Map<String, Integer>> lineRates) {
        this.inFlightBefore = inFlightBefore;
        this.lineRates = lineRates;
        for (String name : List.of("payments_checked", "refunds_checked", "fulfilments_checked", "receipts_in_flight")) {
            counts.put(name, 0L);
        }
    }

    /**
     * @param movements       every capture and refund of the orders in scope, whenever it occurred
     * @param payments        the payments to check (captured in the period)
     * @param refunds         the refunds to check (refunded in the period)
     * @param fulfilments     the fulfilments to check (in the period)
     * @param receipts        every receipt of the orders in scope
     * @param inFlightBefore  money facts and pending receipts at or after this instant are in flight
     */
    static Outcome check(List<MoneyMovement> movements, Set<String> payments, Set<String> refunds,
                         List<Fulfilment> fulfilments, List<Receipt> receipts, Instant inFlightBefore) {
        return check(movements, payments, refunds, fulfilments, receipts, Map.of(), inFlightBefore);
    }

    /**
     * As above, with the orders' line rates (order id → SKU → VAT rate, null for no VAT): a receipt
     * line whose SKU is an order line's must carry that line's rate (its plain or calculated code);
     * {@code none} is accepted for any line (a store outside VAT, on a patent, issues none).
     */
    static Outcome check(List<MoneyMovement> movements, Set<String> payments, Set<String> refunds,
                         List<Fulfilment> fulfilments, List<Receipt> receipts,
                         Map<String, Map<String, Integer>> lineRates, Instant inFlightBefore) {
        ReceiptReconciliation run = new ReceiptReconciliation(inFlightBefore, lineRates);
        run.checkAll(movements, payments, refunds, fulfilments, receipts);
        return new Outcome(run.found, run.counts);
    }

    private void checkAll(List<MoneyMovement> movements, Set<String> payments, Set<String> refunds,
                          List<Fulfilment> fulfilments, List<Receipt> receipts) {
        Map<String, Receipt> correctionOf = new HashMap<>();
        Map<String, List<Receipt>> byPayment = new HashMap<>();
        Map<String, List<Receipt>> byRefund = new HashMap<>();
        Map<String, List<Receipt>> offsets = new HashMap<>();
        Map<String, Boolean> advance = new HashMap<>();
        for (Receipt r : receipts) {
            if (r.type().isCorrection() || r.purpose() == ReceiptPurpose.CORRECTION) {
                if (r.correctsId() != null && r.status() == ReceiptStatus.DONE) {
                    correctionOf.put(r.correctsId(), r);
                }
                continue;
            }
            switch (r.purpose()) {
                case PREPAYMENT, FULL_PAYMENT -> {
                    if (r.type() == ReceiptType.SELL && r.paymentId() != null) {
                        byPayment.computeIfAbsent(r.paymentId(), k -> new ArrayList<>()).add(r);
                    }
                    if (r.purpose() == ReceiptPurpose.PREPAYMENT) {
                        advance.put(r.orderId(), true);
                    }
                }
                case REFUND -> {
                    if (r.type() == ReceiptType.SELL_REFUND && r.refundId() != null) {
                        byRefund.computeIfAbsent(r.refundId(), k -> new ArrayList<>()).add(r);
                    }
                }
                case OFFSET -> offsets.computeIfAbsent(r.orderId(), k -> new ArrayList<>()).add(r);
                default -> {
                }
            }
        }
        // what each payment captured and each refund returned, over all their movements
        Map<String, Fact> paymentFacts = new LinkedHashMap<>();
        Map<String, Fact> refundFacts = new LinkedHashMap<>();
        Map<String, List<MoneyMovement>> byOrder = new HashMap<>();
        for (MoneyMovement m : movements) {
            byOrder.computeIfAbsent(m.orderId(), k -> new ArrayList<>()).add(m);
            if ("capture".equals(m.kind()) && payments.contains(m.paymentId())) {
                paymentFacts.computeIfAbsent(m.paymentId(), k -> new Fact(m.orderId(), m.currency())).add(m);
            } else if ("refund".equals(m.kind()) && m.refundId() != null && refunds.contains(m.refundId())) {
                refundFacts.computeIfAbsent(m.refundId(), k -> new Fact(m.orderId(), m.currency())).add(m);
            }
        }
        for (Map.Entry<String, Fact> e : paymentFacts.entrySet()) {
            counts.merge("payments_checked", 1L, Long::sum);
            Fact fact = e.getValue();
            compare(fact, byPayment.getOrDefault(e.getKey(), List.of()), correctionOf, RULE_PAYMENT, e.getKey(), null,
                    "the capture of payment " + e.getKey());
        }
        for (Map.Entry<String, Fact> e : refundFacts.entrySet()) {
            counts.merge("refunds_checked", 1L, Long::sum);
            Fact fact = e.getValue();
            compare(fact, byRefund.getOrDefault(e.getKey(), List.of()), correctionOf, RULE_REFUND, null, e.getKey(),
                    "refund " + e.getKey());
        }
        for (Fulfilment f : fulfilments) {
            if (!advance.getOrDefault(f.orderId(), false)) {
                continue; // paid in full at capture (or nothing to offset): no offset receipt is due
            }
            Fact fact = new Fact(f.orderId(), f.currency());
            fact.last = f.fulfilledAt();
            for (MoneyMovement m : byOrder.getOrDefault(f.orderId(), List.of())) {
                if ("capture".equals(m.kind())) {
                    fact.amount += m.amountMinor();
                } else if (m.occurredAt().isBefore(f.fulfilledAt())) {
                    fact.amount -= m.amountMinor();
                }
            }
            if (fact.amount <= 0) {
                continue; // all returned before handover: nothing to offset
            }
            counts.merge("fulfilments_checked", 1L, Long::sum);
            compare(fact, offsets.getOrDefault(f.orderId(), List.of()), correctionOf, RULE_FULFILMENT, null, null,
                    "the fulfilment of order " + f.orderId());
        }
    }

    /** The money of one fact: its order, currency, amount and when it last moved. */
    private static final class Fact {
        final String orderId;
        final String currency;
        long amount;
        Instant last = Instant.MIN;

        Fact(String orderId, String currency) {
            this.orderId = orderId;
            this.currency = currency;
        }

        void add(MoneyMovement m) {
            amount += m.amountMinor();
            if (m.occurredAt().isAfter(last)) {
                last = m.occurredAt();
            }
        }
    }

    private void compare(Fact fact, List<Receipt> receipts, Map<String, Receipt> correctionOf, String rule,
                         String paymentId, String refundId, String what) {
        List<Receipt> done = new ArrayList<>();
        List<Receipt> failed = new ArrayList<>();
        List<Receipt> pending = new ArrayList<>();
        for (Receipt r : receipts) {
            Receipt correction = correctionOf.get(r.id());
            if (r.status() == ReceiptStatus.DONE) {
                done.add(r);
            } else if (correction != null) {
                done.add(correction); // settled by a correction receipt: its total stands in
            } else if (r.status() == ReceiptStatus.FAILED) {
                failed.add(r);
            } else {
                pending.add(r);
            }
        }
        long doneTotal = done.stream().mapToLong(Receipt::total).sum();
        if (receipts.isEmpty()) {
            if (!fact.last.isBefore(inFlightBefore)) {
                counts.merge("receipts_in_flight", 1L, Long::sum);
                return;
            }
            found.add(discrepancy(DiscrepancyClass.RECEIPT_MISSING, fact, paymentId, refundId, 0L, rule,
                    what + " (" + fact.amount + " minor units) has no receipt", null));
            return;
        }
        if (!failed.isEmpty()) {
            Receipt first = failed.get(0);
            String error = first.error() == null ? "no error recorded" : describe(first.error());
            found.add(discrepancy(DiscrepancyClass.RECEIPT_FAILED, fact, paymentId, refundId, doneTotal, rule,
                    what + ": receipt " + first.id() + " failed (" + error + ") and no correction settled it"
                            + (failed.size() > 1 ? "; " + (failed.size() - 1) + " more failed" : ""), first));
            return;
        }
        if (!pending.isEmpty()) {
            Receipt first = pending.get(0);
            Instant since = first.createdAt().isAfter(fact.last) ? first.createdAt() : fact.last;
            if (!since.isBefore(inFlightBefore)) {
                counts.merge("receipts_in_flight", 1L, Long::sum);
                return;
            }
            found.add(discrepancy(DiscrepancyClass.RECEIPT_MISSING, fact, paymentId, refundId, doneTotal, rule,
                    what + ": receipt " + first.id() + " is still pending since " + first.createdAt()
                            + " (attempts " + first.attempts() + ")", first));
            return;
        }
        if (doneTotal != fact.amount) {
            found.add(discrepancy(DiscrepancyClass.RECEIPT_SUM_MISMATCH, fact, paymentId, refundId, doneTotal, rule,
                    what + " is " + fact.amount + " minor units; its done receipts "
                            + done.stream().map(Receipt::id).toList() + " total " + doneTotal, done.get(0)));
            return;
        }
        for (Receipt r : done) {
            String problem = vatProblem(r, lineRates.getOrDefault(r.orderId(), Map.of()));
            if (problem != null) {
                long[] vat = vatTotals(r);
                found.add(new Discrepancy(DiscrepancyClass.RECEIPT_VAT_MISMATCH, fact.orderId, paymentId, null, refundId,
                        null, null, fact.currency, vat[0], vat[1], null, rule,
                        what + ": receipt " + r.id() + " (" + r.paymentMethod().wire() + "): " + problem, source(r)));
                return;
            }
        }
    }

    private static Discrepancy discrepancy(DiscrepancyClass kind, Fact fact, String paymentId, String refundId,
                                           long theirs, String rule, String explanation, Receipt receipt) {
        return new Discrepancy(kind, fact.orderId, paymentId, null, refundId, null, null, fact.currency, fact.amount,
                theirs, null, rule, explanation, receipt == null ? SOURCE : source(receipt));
    }

    private static String source(Receipt r) {
        return SOURCE + ":" + r.id() + (r.externalUuid() == null ? "" : " (" + r.provider() + " " + r.externalUuid() + ")");
    }

    /** {ours: VAT of the lines as 54-FZ computes it, theirs: the receipt's VAT per rate, summed}. */
    static long[] vatTotals(Receipt r) {
        long ours = 0;
        for (ReceiptItem item : r.items()) {
            ours += expectedVat(item);
        }
        long theirs = r.vats() == null ? 0 : r.vats().values().stream().mapToLong(Long::longValue).sum();
        return new long[] {ours, theirs};
    }

    /** Null when the receipt's VAT is right; else what is wrong, rate by rate. */
    static String vatProblem(Receipt r, Map<String, Integer> orderRates) {
        List<String> problems = new ArrayList<>();
        Map<String, Long> ours = new TreeMap<>();
        for (ReceiptItem item : r.items()) {
            String code = item.vat();
            if (item.sku() != null && orderRates.containsKey(item.sku()) && !"none".equals(code)) {
                Integer lineRate = orderRates.get(item.sku());
                Integer receiptRate = "vat0".equals(code) ? Integer.valueOf(0) : rate(code);
                if (!java.util.Objects.equals(lineRate, receiptRate)) {
                    problems.add("line " + item.name() + " has " + code + " but the order line " + item.sku()
                            + " is at " + (lineRate == null ? "no VAT" : lineRate + " %"));
                }
            }
            if (r.paymentMethod() == ReceiptPaymentMethod.FULL_PREPAYMENT && PLAIN.contains(code)) {
                problems.add("line " + item.name() + " has " + code + ", an advance takes the calculated rate");
            } else if (r.paymentMethod() == ReceiptPaymentMethod.FULL_PAYMENT && CALCULATED.contains(code)) {
                problems.add("line " + item.name() + " has " + code + ", a full payment takes the plain rate");
            } else if (!CALCULATED.contains(code) && !PLAIN.contains(code) && !NO_VAT.contains(code)) {
                problems.add("line " + item.name() + " has an unknown VAT code " + code);
            }
            ours.merge(code, expectedVat(item), Long::sum);
        }
        Map<String, Long> theirs = new TreeMap<>(r.vats() == null ? Map.of() : r.vats());
        Set<String> codes = new java.util.TreeSet<>(ours.keySet());
        codes.addAll(theirs.keySet());
        for (String code : codes) {
            long o = ours.getOrDefault(code, 0L);
            long t = theirs.getOrDefault(code, 0L);
            if (o != t) {
                problems.add(code + ": the lines' VAT is " + o + ", the receipt says " + t);
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** The VAT inside a line's sum at its rate, half up, as {@link Vat#includedIn} computes an order's. */
    static long expectedVat(ReceiptItem item) {
        Integer rate = rate(item.vat());
        return rate == null ? 0 : Vat.includedIn(item.sum(), rate);
    }

    static Integer rate(String code) {
        if (code == null || NO_VAT.contains(code)) {
            return null;
        }
        String digits = code.startsWith("vat1") && code.length() == 6 ? code.substring(4) : code.substring(3);
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** "atol 32: text", or "moneytrail: text" when the error has no code: never a "null" in the evidence. */
    static String describe(ReceiptError error) {
        StringBuilder text = new StringBuilder(error.type() == null ? "unknown" : error.type());
        if (error.code() != null) {
            text.append(' ').append(error.code());
        }
        return text.append(": ").append(error.text() == null ? "no text" : error.text()).toString();
    }
}
