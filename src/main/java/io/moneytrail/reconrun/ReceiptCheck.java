package io.moneytrail.reconrun;

import io.moneytrail.fiscal.Receipt;
import io.moneytrail.fiscal.Receipts;
import io.moneytrail.order.OrderSummaries;
import io.moneytrail.order.OrderSummaries.Fulfilment;
import io.moneytrail.payment.PaymentFacts;
import io.moneytrail.payment.PaymentFacts.MoneyMovement;
import io.moneytrail.reconciliation.Discrepancy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Receipt reconciliation's reading side: over a period, the rouble captures, refunds and
 * fulfilments (through {@link PaymentFacts} and {@link OrderSummaries}) and the receipts of their
 * orders (through the fiscal module's read API, {@link Receipts}, only), a page at a time, judged
 * by {@link ReceiptReconciliation}. Only roubles: 54-FZ receipts are in roubles, and the fiscal
 * module issues none for other currencies. Money facts from before the store's first receipt ever
 * are not expected to have one (fiscalisation had not begun; counted as {@code before_first_receipt}),
 * and a store with no receipt at all is not checked ({@code checked: false}).
 */
@Component
class ReceiptCheck {

    static final String CURRENCY = "RUB";
    static final int PAGE = 1_000;

    private final PaymentFacts payments;
    private final OrderSummaries orders;
    private final Receipts receipts;
    private final boolean enabled;
    private volatile Duration grace;

    ReceiptCheck(PaymentFacts payments, OrderSummaries orders, Receipts receipts,
                 @Value("${moneytrail.reconciliation.receipts.enabled:true}") boolean enabled,
                 @Value("${moneytrail.reconciliation.receipts.grace:PT15M}") Duration grace) {
        this.payments = payments;
        this.orders = orders;
        this.receipts = receipts;
        this.enabled = enabled;
        this.grace = grace;
    }

    /** For tests: how old a money fact must be before a missing or pending receipt is reported. */
    Duration grace(Duration newGrace) {
        Duration old = grace;
        grace = newGrace;
        return old;
    }

    /** The discrepancies of [from, to) and what was counted, as of {@code now}. */
    ReceiptReconciliation.Outcome run(Instant from, Instant to, Instant now) {
        Map<String, Long> counts = new LinkedHashMap<>();
        List<Discrepancy> found = new ArrayList<>();
        List<Receipt> first = enabled ? receipts.list(null, null, null, null, 1) : List.of();
        if (first.isEmpty()) {
            counts.put("checked", 0L);
            return new ReceiptReconciliation.Outcome(found, counts);
        }
        counts.put("checked", 1L);
        Instant fiscalisedFrom = first.get(0).createdAt();
        Instant start = from.isBefore(fiscalisedFrom) ? fiscalisedFrom : from;
        Instant inFlightBefore = now.minus(grace);
        if (!start.isBefore(to)) {
            counts.put("before_first_receipt", 1L);
            return new ReceiptReconciliation.Outcome(found, counts);
        }
        // the captures and refunds of the period, a page at a time, each page with its orders' receipts
        Set<String> seenPayments = new HashSet<>();
        MoneyMovement after = null;
        while (true) {
            List<MoneyMovement> page = payments.movementsBetween(start, to, CURRENCY, after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            Set<String> paymentIds = new LinkedHashSet<>();
            Set<String> refundIds = new LinkedHashSet<>();
            Set<String> orderIds = new LinkedHashSet<>();
            for (MoneyMovement m : page) {
                if ("capture".equals(m.kind()) && seenPayments.add(m.paymentId())) {
                    paymentIds.add(m.paymentId());
                    orderIds.add(m.orderId());
                } else if ("refund".equals(m.kind()) && m.refundId() != null) {
                    refundIds.add(m.refundId());
                    orderIds.add(m.orderId());
                }
            }
            judge(orderIds, paymentIds, refundIds, List.of(), inFlightBefore, found, counts);
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1);
        }
        // the fulfilments of the period
        Fulfilment afterFulfilment = null;
        while (true) {
            List<Fulfilment> page = orders.fulfilledBetween(start, to, CURRENCY, afterFulfilment, PAGE);
            if (page.isEmpty()) {
                break;
            }
            Set<String> orderIds = new LinkedHashSet<>();
            page.forEach(f -> orderIds.add(f.orderId()));
            judge(orderIds, Set.of(), Set.of(), page, inFlightBefore, found, counts);
            if (page.size() < PAGE) {
                break;
            }
            afterFulfilment = page.get(page.size() - 1);
        }
        return new ReceiptReconciliation.Outcome(found, counts);
    }

    private void judge(Set<String> orderIds, Set<String> paymentIds, Set<String> refundIds, List<Fulfilment> fulfilments,
                       Instant inFlightBefore, List<Discrepancy> found, Map<String, Long> counts) {
        if (orderIds.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(orderIds);
        List<MoneyMovement> movements = new ArrayList<>();
        List<Receipt> ofOrders = new ArrayList<>();
        Map<String, Map<String, Integer>> rates = new java.util.HashMap<>();
        for (int i = 0; i < ids.size(); i += Receipts.PAGE_SIZE_MAX) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + Receipts.PAGE_SIZE_MAX));
            movements.addAll(payments.movementsOfOrders(chunk));
            ofOrders.addAll(receipts.ofOrders(chunk));
            for (OrderSummaries.LineRate line : orders.lineRates(chunk)) {
                rates.computeIfAbsent(line.orderId(), k -> new java.util.HashMap<>()).put(line.sku(), line.vatRate());
            }
        }
        ReceiptReconciliation.Outcome outcome = ReceiptReconciliation.check(movements, paymentIds, refundIds,
                fulfilments, ofOrders, rates, inFlightBefore);
        found.addAll(outcome.discrepancies());
        outcome.counts().forEach((name, n) -> counts.merge(name, n, Long::sum));
    }
}
