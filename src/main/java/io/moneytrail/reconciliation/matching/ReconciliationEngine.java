package io.moneytrail.reconciliation.matching;

import io.moneytrail.money.Check;
import io.moneytrail.money.Money;
import io.moneytrail.reconciliation.BankEntry;
import io.moneytrail.reconciliation.Discrepancy;
import io.moneytrail.reconciliation.DiscrepancyClass;
import io.moneytrail.reconciliation.FeeTariff;
import io.moneytrail.reconciliation.Leg;
import io.moneytrail.reconciliation.MatchRule;
import io.moneytrail.reconciliation.MatchSink;
import io.moneytrail.reconciliation.ProviderRow;
import io.moneytrail.reconciliation.ProviderRowKind;
import io.moneytrail.reconciliation.ReconciliationResult;
import io.moneytrail.reconciliation.StatementPeriod;
import io.moneytrail.reconciliation.StoreOrder;
import io.moneytrail.reconciliation.StoreOrderStatus;
import io.moneytrail.reconciliation.Tolerances;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The matching engine: orders first, then provider rows, then bank entries, then
 * {@link #finish}. Deterministic (input order decides every tie) and explainable (every
 * pairing is told to the {@link MatchSink} with its rule; every discrepancy carries the rule
 * that paired its sides, or {@code unmatched}).
 *
 * <p>Memory: orders are kept as one flat {@link OrderState} each, indexed by order id and by
 * payment reference; provider rows are applied as they stream past and only rows that no
 * reference links are kept for the fallback rules; bank entries and payouts are few.
 *
 * <p>Checks per matched order, in this order, each class at most once per order (see
 * docs/reconciliation.md): currency; duplicate charge; amount (first charge vs order total);
 * refunds both ways; chargebacks; captured money on a cancelled order; the order's status vs
 * its own amounts (internal leg); the status vs the provider's amounts (only when no earlier
 * check fired).
 */
public final class ReconciliationEngine {

    private static final long SECONDS_PER_DAY = 86_400;
    /** Words in a bank entry that say it came from a payment provider. */
    private static final List<String> PROVIDER_WORDS = List.of("stripe", "yookassa", "юkassa", "yoomoney",
            "юмани", "sandbox", "moneytrail", "payout", "выплат");
    /** Bounds on the batched-payout search (subset sum): candidates looked at, and search steps. */
    private static final int BATCH_CANDIDATES_MAX = 24;
    private static final int BATCH_STEPS_MAX = 200_000;

    private final Tolerances tolerances;
    private final FeeTariff tariff;
    private final boolean impliedPayouts;
    private final MatchSink sink;

    private final ArrayList<OrderState> orders = new ArrayList<>();
    private Map<String, OrderState> byOrderId = new HashMap<>();
    private Map<String, OrderState> byPaymentReference = new HashMap<>();
    private final List<ProviderRow> unlinkedCharges = new ArrayList<>();
    private final List<ProviderRow> unlinkedOthers = new ArrayList<>();
    private final Map<String, PayoutState> payouts = new LinkedHashMap<>();
    private final List<BankEntry> bankEntries = new ArrayList<>();
    private final List<Discrepancy> discrepancies = new ArrayList<>();
    private long discrepanciesTotal;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Totals totals = new Totals();
    private final Map<String, Integer> exponents = new HashMap<>();
    private final long[] matchedBy = new long[MatchRule.values().length];
    private final Set<BankEntry> entryCounted = Collections.newSetFromMap(new IdentityHashMap<>());
    private long providerFirstEpochSecond = Long.MAX_VALUE;
    private long providerLastEpochSecond = Long.MIN_VALUE;
    private boolean bankStatementGiven;
    private StatementPeriod statementPeriod;
    private final ProviderIdentity identity = new ProviderIdentity();
    private boolean finished;

    /**
     * @param tariff the provider's fee tariff to check charges against, or null (no fee check)
     * @param impliedPayouts the provider report has no payout rows: rows name the payout they
     *                       settle in (e.g. YooKassa's daily transfer) and its amount is their net
     */
    public ReconciliationEngine(Tolerances tolerances, FeeTariff tariff, boolean impliedPayouts, MatchSink sink) {
        this.tolerances = tolerances;
        this.tariff = tariff;
        this.impliedPayouts = impliedPayouts;
        this.sink = sink;
        for (String name : List.of("orders", "orders_in_scope", "orders_matched", "orders_clean", "orders_unpaid",
                "orders_outside_report_period", "provider_rows", "provider_rows_unlinked", "payouts",
                "payouts_matched", "payouts_in_transit", "bank_entries", "bank_credits", "bank_entries_matched",
                "bank_entries_unrelated",
                // bankrecon (issue 14): every bank credit explained or reported; the statement's period decides
                "bank_debits", "bank_entries_reported", "payouts_before_statement_period")) {
            counts.put(name, 0L);
        }
        for (MatchRule rule : MatchRule.values()) {
            counts.put("matched_by_" + rule.wireName(), 0L);
        }
    }

    /** Sizes the order indexes up front (a million orders: no rehashing as they grow). Call before the first order. */
    public void expectOrders(long count) {
        Check.that(orders.isEmpty(), "expectOrders before the first order");
        int capacity = (int) Math.min(Math.max(16, count * 4 / 3 + 16), 1 << 26);
        orders.ensureCapacity((int) Math.min(count, 1 << 26));
        byOrderId = new HashMap<>(capacity);
        byPaymentReference = new HashMap<>(capacity);
    }

    /** Adds one order; returns a problem (e.g. a repeated order id) or null. */
    public String order(StoreOrder order) {
        requireOpen();
        OrderState previous = byOrderId.get(order.orderId());
        if (previous != null) {
            return "order " + order.orderId() + " appears twice (first on line " + previous.line + "); this row is ignored";
        }
        if (order.paymentReference() != null) {
            OrderState owner = byPaymentReference.get(order.paymentReference());
            if (owner != null) {
                return "payment_reference " + order.paymentReference() + " already belongs to order " + owner.orderId
                        + " (line " + owner.line + "); this row is ignored";
            }
        }
        OrderState state = new OrderState(order);
        orders.add(state);
        byOrderId.put(state.orderId, state);
        if (state.paymentReference != null) {
            byPaymentReference.put(state.paymentReference, state);
        }
        count("orders", 1);
        total("orders", state.currency, "amount_total", state.totalMinor);
        total("orders", state.currency, "amount_paid", state.paidMinor);
        total("orders", state.currency, "amount_refunded", state.refundedMinor);
        if (state.chargedBackMinor != 0) {
            total("orders", state.currency, "amount_charged_back", state.chargedBackMinor);
        }
        return null;
    }

    /**
     * Provider payment ids of the rows no order claimed as they streamed past (charges, refunds,
     * disputes), in input order: what a source of orders may look up among its earlier orders.
     */
    public Set<String> unlinkedPaymentIds() {
        Set<String> ids = new java.util.LinkedHashSet<>();
        for (List<ProviderRow> rows : List.of(unlinkedCharges, unlinkedOthers)) {
            for (ProviderRow row : rows) {
                if (row.paymentId() != null && !row.paymentId().isEmpty()) {
                    ids.add(row.paymentId());
                }
            }
        }
        return ids;
    }

    /**
     * Links again, by reference, the rows no order claimed as they streamed past, after orders were
     * added late (earlier orders a report names); charges first, then the rest, each in input order.
     * Returns the problems, as "line: problem".
     */
    public List<String> relinkByReference() {
        requireOpen();
        List<String> problems = new ArrayList<>();
        List<ProviderRow> charges = new ArrayList<>(unlinkedCharges);
        unlinkedCharges.clear();
        for (ProviderRow row : charges) {
            Link link = linkByReference(row, true);
            if (link == null) {
                unlinkedCharges.add(row);
            } else {
                String problem = applyCharge(link.order, row, link.rule);
                if (problem != null) {
                    problems.add(row.line() + ": " + problem);
                }
            }
        }
        List<ProviderRow> others = new ArrayList<>(unlinkedOthers);
        unlinkedOthers.clear();
        for (ProviderRow row : others) {
            Link link = linkByReference(row, false);
            if (link == null) {
                unlinkedOthers.add(row);
            } else {
                applyOther(link.order, row, link.rule);
            }
        }
        return problems;
    }

    /** Applies one provider report row; returns a problem (e.g. a repeated charge) or null. */
    public String providerRow(ProviderRow row) {
        requireOpen();
        count("provider_rows", 1);
        long at = row.createdAt().getEpochSecond();
        providerFirstEpochSecond = Math.min(providerFirstEpochSecond, at);
        providerLastEpochSecond = Math.max(providerLastEpochSecond, at);
        String currency = row.currency();
        total("provider", currency, row.kind().wireName(), row.amountMinor());
        total("provider", currency, "fees", row.feeMinor());
        total("provider", currency, "net", row.netMinor());
        if (row.payoutId() != null && row.kind() != ProviderRowKind.PAYOUT
                && row.kind() != ProviderRowKind.PAYOUT_REVERSAL) {
            PayoutState payout = payouts.computeIfAbsent(row.payoutId(),
                    id -> new PayoutState(id, currency, 0, null, row.line(), false));
            payout.transactionsNetMinor = Math.addExact(payout.transactionsNetMinor, row.netMinor());
            payout.transactionCount++;
            if (!payout.explicit) {
                LocalDate day = row.createdAt().atOffset(ZoneOffset.UTC).toLocalDate();
                payout.date = payout.date == null || day.isAfter(payout.date) ? day : payout.date;
            }
        }
        switch (row.kind()) {
            case PAYOUT: {
                PayoutState payout = payouts.computeIfAbsent(row.payoutId(),
                        id -> new PayoutState(id, currency, 0, null, row.line(), true));
                if (payout.explicit && payout.date != null) {
                    return "payout " + row.payoutId() + " appears twice; counted once";
                }
                payout.explicit = true;
                payout.amountMinor = Math.negateExact(row.amountMinor()); // leaves the balance, enters the bank
                payout.date = row.createdAt().atOffset(ZoneOffset.UTC).toLocalDate();
                return null;
            }
            case PAYOUT_REVERSAL: {
                PayoutState payout = payouts.get(row.payoutId());
                if (payout != null) {
                    payout.reversed = true;
                }
                return null;
            }
            case CHARGE: {
                Link link = linkByReference(row, true);
                if (link == null) {
                    unlinkedCharges.add(row);
                    return null;
                }
                return applyCharge(link.order, row, link.rule);
            }
            case PARTIAL_CAPTURE_REVERSAL:
            case REFUND:
            case REFUND_FAILURE:
            case DISPUTE:
            case DISPUTE_REVERSAL: {
                Link link = linkByReference(row, false);
                if (link == null) {
                    unlinkedOthers.add(row);
                    return null;
                }
                applyOther(link.order, row, link.rule);
                return null;
            }
            default:
                return null; // fees and other balance movements count towards payouts only
        }
    }

    /** Adds one bank statement entry (matched in {@link #finish}). */
    public void bankEntry(BankEntry entry) {
        requireOpen();
        bankStatementGiven = true;
        bankEntries.add(entry);
        count("bank_entries", 1);
        if (entry.credit()) {
            count("bank_credits", 1);
            total("bank", entry.currency(), "credits", entry.amountMinor());
        } else {
            count("bank_debits", 1);
            total("bank", entry.currency(), "debits", entry.amountMinor());
        }
    }

    /**
     * The period the statement declares covering (several statements: call once each; they are
     * joined). It decides which unmatched payouts are not received and which are in transit.
     */
    public void bankStatementPeriod(StatementPeriod period) {
        requireOpen();
        if (period != null) {
            bankStatementGiven = true;
            statementPeriod = period.union(statementPeriod);
        }
    }

    /** Says a bank statement was given even if it had no entries (so payouts are checked). */
    public void bankStatementGiven() {
        bankStatementGiven = true;
    }

    /**
     * Runs the fallback rules and every check, and returns the result.
     *
     * @param asOf the day payouts are judged on (arrived or overdue); null: the last booking
     *             date of the bank statement
     */
    public ReconciliationResult finish(LocalDate asOf) {
        requireOpen();
        finished = true;
        matchUnlinkedCharges();
        linkOthersByChargeId();
        checkOrders();
        if (bankStatementGiven) {
            checkBank(asOf);
        }
        for (MatchRule rule : MatchRule.values()) {
            counts.put("matched_by_" + rule.wireName(), matchedBy[rule.ordinal()]);
        }
        List<Discrepancy> sorted = new ArrayList<>(discrepancies);
        sorted.sort(Comparator.comparingInt(d -> d.kind().ordinal())); // stable: input order within a class
        Map<DiscrepancyClass, Long> byClass = new EnumMap<>(DiscrepancyClass.class);
        for (DiscrepancyClass kind : DiscrepancyClass.values()) {
            byClass.put(kind, 0L);
        }
        for (Discrepancy d : discrepancies) {
            byClass.merge(d.kind(), 1L, Long::sum);
        }
        return new ReconciliationResult(sorted, discrepanciesTotal, counts, totals.snapshot(), byClass);
    }

    // ---- provider leg ------------------------------------------------------------------

    private record Link(OrderState order, MatchRule rule) {
    }

    private Link linkByReference(ProviderRow row, boolean charge) {
        OrderState order = lookup(row.paymentId());
        if (order == null) {
            order = lookup(row.chargeId());
        }
        if (order == null && charge) {
            order = lookup(row.providerId());
        }
        if (order != null) {
            return new Link(order, MatchRule.PROVIDER_PAYMENT_REFERENCE);
        }
        if (row.orderRef() != null) {
            OrderState byRef = byOrderId.get(row.orderRef());
            if (byRef != null && (!charge || withinWindow(byRef.createdEpochSecond, row.createdAt().getEpochSecond()))) {
                return new Link(byRef, MatchRule.ORDER_REFERENCE);
            }
        }
        return null;
    }

    private OrderState lookup(String reference) {
        return reference == null ? null : byPaymentReference.get(reference);
    }

    private boolean withinWindow(long a, long b) {
        return Math.abs(a - b) <= tolerances.dateWindowDays() * SECONDS_PER_DAY;
    }

    private String applyCharge(OrderState order, ProviderRow row, MatchRule rule) {
        String chargeId = row.chargeId() != null ? row.chargeId() : row.providerId();
        if (order.chargeCount == 0) {
            order.rule = rule;
            order.providerCurrency = row.currency();
            order.firstChargeId = chargeId;
            // keep our own copy of the id when it is the same (a million orders: no second string each)
            order.firstPaymentId = row.paymentId() == null || row.paymentId().equals(order.paymentReference)
                    ? order.paymentReference : row.paymentId();
            order.chargeCount = 1;
        } else if (chargeId.equals(order.firstChargeId)) {
            return "charge " + chargeId + " appears twice in the report; counted once";
        } else {
            order.chargeCount++;
            if (order.extraChargeId == null) {
                order.extraChargeId = chargeId;
            }
            order.extraChargedMinor = Math.addExact(order.extraChargedMinor, row.amountMinor());
        }
        order.chargedMinor = Math.addExact(order.chargedMinor, row.amountMinor());
        sink.matched(Leg.PROVIDER, rule, order.orderId, chargeId);
        matchedBy[rule.ordinal()]++;
        checkFee(order, row, rule);
        return null;
    }

    private void applyOther(OrderState order, ProviderRow row, MatchRule rule) {
        switch (row.kind()) {
            case PARTIAL_CAPTURE_REVERSAL:
                order.chargedMinor = Math.addExact(order.chargedMinor, row.amountMinor());
                break;
            case REFUND:
                order.providerRefundedMinor = Math.subtractExact(order.providerRefundedMinor, row.amountMinor());
                if (order.firstRefundId == null) {
                    order.firstRefundId = row.providerId();
                }
                break;
            case REFUND_FAILURE:
                order.providerRefundedMinor = Math.subtractExact(order.providerRefundedMinor, row.amountMinor());
                break;
            case DISPUTE:
                order.disputedMinor = Math.subtractExact(order.disputedMinor, row.amountMinor());
                if (order.disputeId == null) {
                    order.disputeId = row.providerId();
                }
                break;
            case DISPUTE_REVERSAL:
                order.disputedMinor = Math.subtractExact(order.disputedMinor, row.amountMinor());
                break;
            default:
                throw new IllegalStateException("not a charge-linked row: " + row.kind());
        }
        sink.matched(Leg.PROVIDER, rule, order.orderId, row.providerId());
    }

    private void checkFee(OrderState order, ProviderRow row, MatchRule rule) {
        if (tariff == null || row.kind() != ProviderRowKind.CHARGE) {
            return;
        }
        long expected = tariff.expectedFeeMinor(row.amountMinor(), exponent(row.currency()));
        if (Math.abs(row.feeMinor() - expected) > tolerances.feeToleranceMinor()) {
            if (order != null) {
                order.flagged = true;
            }
            add(Discrepancy.of(DiscrepancyClass.FEE_DIFFERS_FROM_TARIFF).order(order == null ? null : order.orderId)
                    .payment(row.paymentId()).charge(row.chargeId() != null ? row.chargeId() : row.providerId())
                    .currency(row.currency()).ours(expected).theirs(row.feeMinor()).rule(rule)
                    .explanation("fee " + money(row.feeMinor(), row.currency()) + " on a charge of "
                            + money(row.amountMinor(), row.currency()) + "; the tariff " + tariff + " gives "
                            + money(expected, row.currency()))
                    .source("provider line " + row.line()).build());
        }
    }

    /** Charges no reference linked: the only unpaid order of that currency and amount in the date window. */
    private void matchUnlinkedCharges() {
        if (unlinkedCharges.isEmpty()) {
            return;
        }
        Map<String, List<OrderState>> byAmount = new HashMap<>();
        for (OrderState order : orders) {
            if (order.chargeCount == 0) {
                byAmount.computeIfAbsent(order.currency + ":" + order.totalMinor, k -> new ArrayList<>(1)).add(order);
            }
        }
        long tolerance = tolerances.amountToleranceMinor();
        for (ProviderRow row : unlinkedCharges) {
            List<OrderState> candidates = new ArrayList<>(2);
            for (long amount = row.amountMinor() - tolerance; amount <= row.amountMinor() + tolerance; amount++) {
                for (OrderState order : byAmount.getOrDefault(row.currency() + ":" + amount, List.of())) {
                    if (order.chargeCount == 0 && withinWindow(order.createdEpochSecond, row.createdAt().getEpochSecond())) {
                        candidates.add(order);
                    }
                }
            }
            if (candidates.size() == 1) {
                applyCharge(candidates.get(0), row, MatchRule.AMOUNT_CURRENCY_DATE);
                continue;
            }
            count("provider_rows_unlinked", 1);
            checkFee(null, row, MatchRule.AMOUNT_CURRENCY_DATE);
            add(Discrepancy.of(DiscrepancyClass.CHARGED_UNKNOWN_TO_US).payment(row.paymentId())
                    .charge(row.chargeId() != null ? row.chargeId() : row.providerId()).currency(row.currency())
                    .theirs(row.amountMinor())
                    .explanation("charge of " + money(row.amountMinor(), row.currency()) + " at "
                            + row.createdAt() + (row.orderRef() != null ? " for order reference " + row.orderRef()
                            + " (no such order)" : "") + (candidates.isEmpty() ? "; no order matches it"
                            : "; " + candidates.size() + " orders of that amount in the date window, none referenced"))
                    .source("provider line " + row.line()).build());
        }
        unlinkedCharges.clear();
    }

    /** Refunds and disputes that name only a charge id: linked through the charges already matched. */
    private void linkOthersByChargeId() {
        if (unlinkedOthers.isEmpty()) {
            return;
        }
        Map<String, List<ProviderRow>> byCharge = new HashMap<>();
        List<ProviderRow> orphans = new ArrayList<>();
        for (ProviderRow row : unlinkedOthers) {
            if (row.chargeId() != null) {
                byCharge.computeIfAbsent(row.chargeId(), k -> new ArrayList<>(1)).add(row);
            } else {
                orphans.add(row);
            }
        }
        for (OrderState order : orders) {
            for (String chargeId : new String[] {order.firstChargeId, order.extraChargeId}) {
                List<ProviderRow> rows = chargeId == null ? null : byCharge.remove(chargeId);
                if (rows != null) {
                    rows.forEach(row -> applyOther(order, row, MatchRule.PROVIDER_PAYMENT_REFERENCE));
                }
            }
        }
        byCharge.values().forEach(orphans::addAll);
        orphans.sort(Comparator.comparingLong(ProviderRow::line));
        for (ProviderRow row : orphans) {
            count("provider_rows_unlinked", 1);
            if (row.kind() == ProviderRowKind.REFUND) {
                add(Discrepancy.of(DiscrepancyClass.REFUND_AT_PROVIDER_NOT_RECORDED).payment(row.paymentId())
                        .charge(row.chargeId()).refund(row.providerId()).currency(row.currency())
                        .theirs(-row.amountMinor())
                        .explanation("refund of " + money(-row.amountMinor(), row.currency())
                                + " at the provider for a payment no order of ours knows")
                        .source("provider line " + row.line()).build());
            } else if (row.kind() == ProviderRowKind.DISPUTE) {
                add(Discrepancy.of(DiscrepancyClass.CHARGEBACK_NOT_RECORDED).payment(row.paymentId())
                        .charge(row.chargeId()).refund(row.providerId()).currency(row.currency())
                        .theirs(-row.amountMinor())
                        .explanation("chargeback of " + money(-row.amountMinor(), row.currency())
                                + " for a payment no order of ours knows")
                        .source("provider line " + row.line()).build());
            }
        }
        unlinkedOthers.clear();
    }

    private void checkOrders() {
        boolean periodKnown = providerFirstEpochSecond <= providerLastEpochSecond;
        long periodStart = periodKnown ? providerFirstEpochSecond - Math.floorMod(providerFirstEpochSecond, SECONDS_PER_DAY) : 0;
        for (OrderState order : orders) {
            boolean inPeriod = !periodKnown || order.createdEpochSecond >= periodStart
                    && order.createdEpochSecond <= providerLastEpochSecond;
            if (order.chargeCount == 0) {
                checkUnmatched(order, inPeriod);
            } else {
                count("orders_in_scope", 1);
                count("orders_matched", 1);
                if (!checkMatched(order) && !order.flagged) {
                    count("orders_clean", 1);
                }
            }
        }
    }

    private void checkUnmatched(OrderState order, boolean inPeriod) {
        long ownNet = order.paidMinor - order.refundedMinor - order.chargedBackMinor;
        if (order.providerRefundedMinor > order.refundedMinor || order.disputedMinor > 0) {
            // refunds or disputes of a charge from before the report's period
            count("orders_in_scope", 1);
            checkRefunds(order);
            if (order.disputedMinor > 0) {
                checkDispute(order);
            }
            return;
        }
        if (!order.status.saysPaid() && order.paidMinor == 0) {
            count("orders_unpaid", 1);
            return;
        }
        if (!inPeriod) {
            count("orders_outside_report_period", 1);
            return;
        }
        count("orders_in_scope", 1);
        if (order.status == StoreOrderStatus.CANCELLED && ownNet > 0) {
            add(order, DiscrepancyClass.CAPTURED_ON_CANCELLED_ORDER, null, false)
                    .ours(ownNet).explanation("order is cancelled but its export says " + money(ownNet, order.currency)
                            + " is captured and neither refunded nor charged back (the provider report has no charge"
                            + " for it)")
                    .build();
            return;
        }
        if (order.status == StoreOrderStatus.CANCELLED) {
            return;
        }
        add(order, DiscrepancyClass.PAID_ORDER_WITHOUT_PROVIDER_RECORD, null, false).ours(order.paidMinor)
                .explanation("order says " + order.status.wireName() + " (paid " + money(order.paidMinor, order.currency)
                        + ") but the provider report has no charge for payment reference "
                        + (order.paymentReference == null ? "(none)" : order.paymentReference) + " or order "
                        + order.orderId)
                .build();
    }

    /** Returns whether any discrepancy was found. */
    private boolean checkMatched(OrderState order) {
        MatchRule rule = order.rule;
        if (!order.providerCurrency.equals(order.currency)) {
            add(order, DiscrepancyClass.CURRENCY_MISMATCH, rule, true).ours(order.totalMinor).theirs(order.chargedMinor)
                    .theirsCurrency(order.providerCurrency)
                    .explanation("order is in " + order.currency + " (" + money(order.totalMinor, order.currency)
                            + ") but the provider charged " + money(order.chargedMinor, order.providerCurrency))
                    .build();
            return true;
        }
        boolean found = false;
        if (order.chargeCount > 1) {
            add(order, DiscrepancyClass.DUPLICATE_CHARGE, rule, true).ours(order.totalMinor).theirs(order.chargedMinor)
                    .explanation(order.chargeCount + " charges for one order: " + order.firstChargeId + " and "
                            + order.extraChargeId + (order.chargeCount > 2 ? " and more" : "") + ", "
                            + money(order.chargedMinor, order.currency) + " in all for an order of "
                            + money(order.totalMinor, order.currency))
                    .build();
            found = true;
        }
        long charged = order.firstChargedMinor();
        boolean amountsDiffer = false;
        // a partial capture (the rest released) is what the store's own record says it took: explained, not a mismatch
        boolean partiallyCaptured = order.paidMinor > 0 && order.paidMinor < order.totalMinor
                && Math.abs(charged - order.paidMinor) <= tolerances.amountToleranceMinor();
        if (partiallyCaptured) {
            count("orders_partially_captured", 1);
        } else if (Math.abs(charged - order.totalMinor) > tolerances.amountToleranceMinor()) {
            add(order, DiscrepancyClass.AMOUNT_MISMATCH, rule, true).ours(order.totalMinor).theirs(charged)
                    .explanation("order total " + money(order.totalMinor, order.currency) + ", provider charged "
                            + money(charged, order.currency))
                    .build();
            found = true;
            amountsDiffer = true;
        }
        boolean refundsDiffer = checkRefunds(order);
        boolean disputed = checkDispute(order);
        found |= refundsDiffer | disputed;
        long providerNet = charged - order.providerRefundedMinor - Math.max(0, order.disputedMinor);
        if (order.status == StoreOrderStatus.CANCELLED) {
            if (providerNet > 0) {
                add(order, DiscrepancyClass.CAPTURED_ON_CANCELLED_ORDER, rule, true).ours(0).theirs(providerNet)
                        .explanation("order is cancelled but the provider holds " + money(providerNet, order.currency)
                                + " captured for it and not refunded")
                        .build();
                return true;
            }
            // a chargeback the order records took the money back as a refund would have
            long ownHeld = order.paidMinor - order.refundedMinor - order.chargedBackMinor;
            if (ownHeld > 0 && !found) {
                add(order, DiscrepancyClass.LEDGER_DISAGREES_WITH_DERIVED_STATUS, rule, true)
                        .ours(ownHeld).theirs(providerNet)
                        .explanation("order is cancelled and the provider refunded it, but its export still has "
                                + money(ownHeld, order.currency) + " paid and neither refunded nor charged back")
                        .build();
                return true;
            }
            return found;
        }
        StoreOrderStatus own = StoreOrderStatus.derive(order.totalMinor, order.paidMinor, order.refundedMinor);
        if (!order.status.agreesWith(own)) {
            if (!found) {
                add(order, DiscrepancyClass.LEDGER_DISAGREES_WITH_DERIVED_STATUS, rule, true).ours(order.paidMinor)
                        .theirs(charged)
                        .explanation("status " + order.status.wireName() + " but the order's own amounts (paid "
                                + money(order.paidMinor, order.currency) + ", refunded "
                                + money(order.refundedMinor, order.currency) + ") say " + own.wireName())
                        .build();
            }
            return true;
        }
        if (found || amountsDiffer) {
            return true;
        }
        StoreOrderStatus theirs = StoreOrderStatus.derive(order.totalMinor, charged, order.providerRefundedMinor);
        if (!order.status.agreesWith(theirs)) {
            add(order, DiscrepancyClass.STATUS_MISMATCH, rule, true).ours(order.paidMinor).theirs(charged)
                    .explanation("order says " + order.status.wireName() + " but the provider charged "
                            + money(charged, order.currency) + " and refunded "
                            + money(order.providerRefundedMinor, order.currency) + ": " + theirs.wireName())
                    .build();
            return true;
        }
        return false;
    }

    private boolean checkRefunds(OrderState order) {
        if (order.providerRefundedMinor > order.refundedMinor) {
            add(order, DiscrepancyClass.REFUND_AT_PROVIDER_NOT_RECORDED, order.rule != null ? order.rule
                    : MatchRule.PROVIDER_PAYMENT_REFERENCE, true).ours(order.refundedMinor)
                    .theirs(order.providerRefundedMinor)
                    .explanation("provider refunded " + money(order.providerRefundedMinor, order.currency)
                            + ", the order records " + money(order.refundedMinor, order.currency))
                    .build();
            return true;
        }
        if (order.providerRefundedMinor < order.refundedMinor) {
            add(order, DiscrepancyClass.REFUND_RECORDED_NOT_AT_PROVIDER, order.rule, true).ours(order.refundedMinor)
                    .theirs(order.providerRefundedMinor)
                    .explanation("the order records " + money(order.refundedMinor, order.currency)
                            + " refunded, the provider refunded " + money(order.providerRefundedMinor, order.currency))
                    .build();
            return true;
        }
        return false;
    }

    /**
     * The provider's disputes against what the order records as charged back: the disputed amount
     * not reversed (in this report; a reversal alone, of a dispute in an earlier report, counts as
     * 0) must equal the order's chargebacks net of their reversals. Equal and not 0: counted
     * {@code chargebacks_recorded}. Different either way: {@code chargeback_not_recorded}, ours the
     * recorded amount, theirs the disputed one (more recorded than disputed: a chargeback the
     * provider did not take, a reversal not recorded, or a dispute outside the report's period).
     */
    private boolean checkDispute(OrderState order) {
        long disputed = Math.max(0, order.disputedMinor);
        long recorded = order.chargedBackMinor;
        if (disputed == recorded) {
            if (recorded != 0) {
                count("chargebacks_recorded", 1);
            }
            return false;
        }
        String explanation;
        if (disputed > recorded) {
            explanation = "the customer's bank took back " + money(disputed, order.currency) + " in dispute "
                    + order.disputeId + "; " + (recorded == 0 ? "the order does not show it"
                    : "the order records only " + money(recorded, order.currency) + " charged back");
        } else {
            explanation = "the order records " + money(recorded, order.currency) + " charged back but the provider"
                    + " shows " + money(disputed, order.currency) + " taken back in disputes and not reversed"
                    + (order.disputeId != null ? " (dispute " + order.disputeId + ")" : "")
                    + ": the order records more than the provider took (a chargeback the provider did not take,"
                    + " a reversal not recorded, or a dispute outside the report's period)";
        }
        add(order, DiscrepancyClass.CHARGEBACK_NOT_RECORDED, order.rule != null ? order.rule
                : MatchRule.PROVIDER_PAYMENT_REFERENCE, true).ours(recorded).theirs(disputed)
                .explanation(explanation)
                .build();
        return true;
    }

    /** A builder pre-filled with the order's evidence; {@code build()} on it records the discrepancy. */
    private Recorder add(OrderState order, DiscrepancyClass kind, MatchRule rule, boolean withProvider) {
        Discrepancy.Builder builder = Discrepancy.of(kind).order(order.orderId).currency(order.currency)
                .source("orders line " + order.line);
        if (withProvider && rule != null) {
            builder.rule(rule);
        }
        if (withProvider) {
            builder.payment(order.firstPaymentId != null ? order.firstPaymentId : order.paymentReference)
                    .charge(order.chargeIdFor(kind)).refund(order.firstRefundId);
        } else {
            builder.payment(order.paymentReference);
        }
        return new Recorder(builder);
    }

    /** Wraps a builder so that {@code build()} adds the discrepancy. */
    private final class Recorder {
        private final Discrepancy.Builder builder;

        Recorder(Discrepancy.Builder builder) {
            this.builder = builder;
        }

        Recorder ours(long minor) {
            builder.ours(minor);
            return this;
        }

        Recorder theirs(long minor) {
            builder.theirs(minor);
            return this;
        }

        Recorder theirsCurrency(String code) {
            builder.theirsCurrency(code);
            return this;
        }

        Recorder explanation(String text) {
            builder.explanation(text);
            return this;
        }

        void build() {
            add(builder.build());
        }
    }

    // ---- bank leg ----------------------------------------------------------------------

    private void checkBank(LocalDate asOfGiven) {
        // the day payouts are judged on: --as-of, else the last day the statement says it covers, else
        // (a statement that declares no period) its last booking date
        LocalDate periodEnd = asOfGiven;
        LocalDate periodStart = null;
        String periodSource = "--as-of";
        if (periodEnd == null && statementPeriod != null) {
            periodEnd = statementPeriod.to();
            periodStart = statementPeriod.from();
            periodSource = statementPeriod.source();
        }
        if (periodEnd == null) {
            for (BankEntry entry : bankEntries) {
                if (periodEnd == null || entry.bookingDate().isAfter(periodEnd)) {
                    periodEnd = entry.bookingDate();
                }
            }
            periodSource = "the statement's last booking date";
        }
        List<PayoutState> expected = new ArrayList<>();
        for (PayoutState payout : payouts.values()) {
            if (!payout.explicit && impliedPayouts) {
                payout.amountMinor = payout.transactionsNetMinor;
                payout.explicit = true;
            }
            if (!payout.explicit || payout.reversed || payout.amountMinor == 0) {
                continue; // transactions of a payout outside the report, or nothing to transfer
            }
            expected.add(payout);
            count("payouts", 1);
            total("payouts", payout.currency, "amount", payout.amountMinor);
            if (payout.transactionCount > 0 && payout.transactionsNetMinor != payout.amountMinor) {
                add(Discrepancy.of(DiscrepancyClass.PAYOUT_NET_DIFFERS_FROM_TRANSACTIONS).payout(payout.payoutId)
                        .currency(payout.currency).ours(payout.transactionsNetMinor).theirs(payout.amountMinor)
                        .explanation("payout " + payout.payoutId + " is " + money(payout.amountMinor, payout.currency)
                                + " but its " + payout.transactionCount + " transactions net "
                                + money(payout.transactionsNetMinor, payout.currency))
                        .source("provider line " + payout.line).build());
            }
        }
        expected.sort(Comparator.comparing((PayoutState p) -> p.date).thenComparingLong(p -> p.line));
        List<BankEntry> entries = new ArrayList<>(bankEntries);
        entries.sort(Comparator.comparing(BankEntry::bookingDate).thenComparingLong(BankEntry::line));
        // first every pairing, so that the provider's bank-side identity is learned from all of them
        List<BankEntry> unmatched = new ArrayList<>();
        for (BankEntry entry : entries) {
            if (entry.reversal() || !matchBankEntry(entry, expected)) {
                unmatched.add(entry);
            }
        }
        // then every entry nothing explains: reported, never dropped (debits only when they go to the provider)
        for (BankEntry entry : unmatched) {
            reportUnmatched(entry);
        }
        for (PayoutState payout : expected) {
            if (payout.bankRef != null) {
                continue;
            }
            LocalDate expectedBy = payout.date.plusDays(tolerances.payoutArrivalDaysMax());
            if (periodEnd == null || expectedBy.isAfter(periodEnd)) {
                count("payouts_in_transit", 1);
            } else if (periodStart != null && expectedBy.isBefore(periodStart)) {
                count("payouts_before_statement_period", 1); // an earlier statement covers its arrival
            } else {
                add(Discrepancy.of(DiscrepancyClass.PAYOUT_NOT_RECEIVED).payout(payout.payoutId)
                        .currency(payout.currency).ours(payout.amountMinor)
                        .explanation("payout of " + money(payout.amountMinor, payout.currency) + " created "
                                + payout.date + ", expected by " + expectedBy + " (" + tolerances.payoutArrivalDaysMax()
                                + " days allowed), is not in the bank statement, which covers up to " + periodEnd
                                + " (" + periodSource + ")")
                        .source("provider line " + payout.line).build());
            }
        }
    }

    /**
     * A bank entry no payout explains. A credit from the provider (as learned from the entries that
     * did match a payout: the payer's account, tax id, name or reference pattern; or its text names
     * a provider) is {@code bank_credit_without_payout}, any other credit
     * {@code bank_credit_unexplained}; a debit to the provider is {@code bank_debit_without_payout},
     * other debits are the account's own business (counted as unrelated).
     */
    private void reportUnmatched(BankEntry entry) {
        String why = identity.recognises(entry);
        if (why == null && looksLikeProvider(entry)) {
            why = "its text names a payment provider";
        }
        String what = (entry.reversal() ? "reversal " : "") + (entry.credit() ? "bank credit of " : "bank debit of ")
                + money(entry.amountMinor(), entry.currency()) + " on " + entry.bookingDate()
                + counterpartyText(entry) + " (" + abbreviate(entry.details()) + ")";
        DiscrepancyClass kind;
        String explanation;
        if (entry.credit() && why != null) {
            kind = DiscrepancyClass.BANK_CREDIT_WITHOUT_PAYOUT;
            explanation = what + " matches no payout, and it comes from the provider: " + why;
        } else if (!entry.credit() && why != null) {
            kind = DiscrepancyClass.BANK_DEBIT_WITHOUT_PAYOUT;
            explanation = what + " matches no payout, and it goes to the provider: " + why;
        } else if (entry.credit()) {
            kind = DiscrepancyClass.BANK_CREDIT_UNEXPLAINED;
            explanation = what + ": nothing explains it (no payout matches, the payer is not the provider as"
                    + " learned from the matched payouts); classify it";
        } else {
            count("bank_entries_unrelated", 1);
            return;
        }
        count("bank_entries_reported", 1);
        add(Discrepancy.of(kind).bank(entry.ref()).currency(entry.currency())
                .theirs(entry.credit() ? entry.amountMinor() : -entry.amountMinor())
                .explanation(explanation).source("bank line " + entry.line()).build());
    }

    private static String counterpartyText(BankEntry entry) {
        StringBuilder text = new StringBuilder();
        if (entry.counterpartyName() != null) {
            text.append(entry.counterpartyName());
        }
        if (entry.counterpartyTaxId() != null) {
            text.append(text.length() > 0 ? ", " : "").append("tax id ").append(entry.counterpartyTaxId());
        }
        if (entry.counterpartyAccount() != null) {
            text.append(text.length() > 0 ? ", " : "").append("account ").append(entry.counterpartyAccount());
        }
        return text.length() == 0 ? "" : (entry.credit() ? " from " : " to ") + text;
    }

    private boolean matchBankEntry(BankEntry entry, List<PayoutState> expected) {
        long signed = entry.credit() ? entry.amountMinor() : -entry.amountMinor();
        long tolerance = tolerances.amountToleranceMinor();
        // 1. the entry names the payout
        for (String token : (entry.ref() + " " + entry.details()).split("[^\\p{L}\\p{N}_:.-]+")) {
            PayoutState payout = token.isEmpty() ? null : payouts.get(token);
            if (payout == null || payout.bankRef != null || !expected.contains(payout)
                    || !payout.currency.equals(entry.currency())) {
                continue;
            }
            matched(payout, entry, MatchRule.PAYOUT_REFERENCE);
            if (Math.abs(payout.amountMinor - signed) > tolerance) {
                add(Discrepancy.of(DiscrepancyClass.AMOUNT_MISMATCH).payout(payout.payoutId).bank(entry.ref())
                        .currency(payout.currency).ours(payout.amountMinor).theirs(signed)
                        .rule(MatchRule.PAYOUT_REFERENCE)
                        .explanation("bank entry names payout " + payout.payoutId + " of "
                                + money(payout.amountMinor, payout.currency) + " but carries " + money(signed, entry.currency()))
                        .source("bank line " + entry.line()).build());
            }
            return true;
        }
        // 2. one payout of that amount whose arrival window holds the booking date
        int maxDays = tolerances.payoutArrivalDaysMax();
        for (PayoutState payout : expected) {
            if (payout.bankRef == null && payout.currency.equals(entry.currency())
                    && Math.abs(payout.amountMinor - signed) <= tolerance && arrivesBy(payout, entry, maxDays)) {
                matched(payout, entry, MatchRule.PAYOUT_AMOUNT_DATE);
                return true;
            }
        }
        // 3. several payouts in one entry
        List<PayoutState> candidates = new ArrayList<>();
        for (PayoutState payout : expected) {
            if (payout.bankRef == null && payout.currency.equals(entry.currency()) && arrivesBy(payout, entry, maxDays)
                    && Long.signum(payout.amountMinor) == Long.signum(signed)) {
                candidates.add(payout);
                if (candidates.size() == BATCH_CANDIDATES_MAX) {
                    break;
                }
            }
        }
        int sizeMax = Math.min(tolerances.batchPayoutsMax(), candidates.size());
        if (entry.batchCount() > 1) {
            sizeMax = Math.min(sizeMax, entry.batchCount());
        }
        List<PayoutState> chosen = new ArrayList<>();
        int[] steps = {0};
        for (int size = entry.batchCount() > 1 ? Math.min(entry.batchCount(), sizeMax) : 2; size <= sizeMax; size++) {
            if (subset(candidates, 0, size, signed, tolerance, chosen, steps)) {
                for (PayoutState payout : chosen) {
                    matched(payout, entry, MatchRule.BATCHED_PAYOUTS);
                }
                return true;
            }
        }
        return false;
    }

    private boolean arrivesBy(PayoutState payout, BankEntry entry, int maxDays) {
        return !entry.bookingDate().isBefore(payout.date) && !entry.bookingDate().isAfter(payout.date.plusDays(maxDays));
    }

    private boolean subset(List<PayoutState> candidates, int from, int size, long remaining, long tolerance,
                           List<PayoutState> chosen, int[] steps) {
        if (size == 0) {
            return Math.abs(remaining) <= tolerance;
        }
        for (int i = from; i <= candidates.size() - size; i++) {
            if (++steps[0] > BATCH_STEPS_MAX) {
                return false;
            }
            PayoutState payout = candidates.get(i);
            chosen.add(payout);
            if (subset(candidates, i + 1, size - 1, remaining - payout.amountMinor, tolerance, chosen, steps)) {
                return true;
            }
            chosen.remove(chosen.size() - 1);
        }
        return false;
    }

    private void matched(PayoutState payout, BankEntry entry, MatchRule rule) {
        if (payout.bankRef == null) {
            count("payouts_matched", 1);
        }
        identity.learn(entry, payout.payoutId);
        payout.bankRef = entry.ref();
        sink.matched(Leg.BANK, rule, payout.payoutId, entry.ref());
        matchedBy[rule.ordinal()]++;
        if (!entryCounted.contains(entry)) {
            entryCounted.add(entry);
            count("bank_entries_matched", 1);
        }
    }


    private static boolean looksLikeProvider(BankEntry entry) {
        String text = (entry.ref() + " " + entry.details()).toLowerCase(Locale.ROOT);
        for (String word : PROVIDER_WORDS) {
            if (text.contains(word)) {
                return true;
            }
        }
        return text.contains("po_");
    }

    // ---- bookkeeping -------------------------------------------------------------------

    private void add(Discrepancy discrepancy) {
        discrepanciesTotal++;
        if (discrepancies.size() < ReconciliationResult.DISCREPANCIES_KEPT_MAX) {
            discrepancies.add(discrepancy);
        }
        if (discrepancy.orderId() != null) {
            OrderState order = byOrderId.get(discrepancy.orderId());
            if (order != null) {
                order.flagged = true;
            }
        }
    }

    private void count(String name, long n) {
        counts.merge(name, n, Long::sum);
    }

    private void total(String leg, String currency, String name, long minor) {
        totals.add(leg, currency, name, minor);
    }

    /** Sums per leg, currency and name; remembers the last (leg, currency) since rows come in runs. */
    private static final class Totals {
        private final Map<String, Map<String, Map<String, long[]>>> values = new LinkedHashMap<>();
        private String lastLeg;
        private String lastCurrency;
        private Map<String, long[]> last;

        void add(String leg, String currency, String name, long minor) {
            Map<String, long[]> cells;
            if (leg.equals(lastLeg) && currency.equals(lastCurrency)) {
                cells = last;
            } else {
                cells = values.computeIfAbsent(leg, l -> new LinkedHashMap<>())
                        .computeIfAbsent(currency, c -> new LinkedHashMap<>());
                lastLeg = leg;
                lastCurrency = currency;
                last = cells;
            }
            long[] cell = cells.get(name);
            if (cell == null) {
                cell = new long[1];
                cells.put(name, cell);
            }
            cell[0] = Math.addExact(cell[0], minor);
        }

        Map<String, Map<String, Map<String, Long>>> snapshot() {
            Map<String, Map<String, Map<String, Long>>> copy = new LinkedHashMap<>();
            values.forEach((leg, currencies) -> currencies.forEach((currency, cells) -> cells.forEach((name, cell) ->
                    copy.computeIfAbsent(leg, l -> new LinkedHashMap<>()).computeIfAbsent(currency, c -> new LinkedHashMap<>())
                            .put(name, cell[0]))));
            return copy;
        }
    }

    private int exponent(String currency) {
        return exponents.computeIfAbsent(currency, c -> Money.currency(c).getDefaultFractionDigits());
    }

    private String money(long minor, String currency) {
        return new Money(minor, Money.currency(currency)).toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException("the engine has finished; start a new one");
        }
    }
}
