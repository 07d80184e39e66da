package io.moneytrail.reconciliation.matching;

import io.moneytrail.reconciliation.MatchRule;
import io.moneytrail.reconciliation.StoreOrder;
import io.moneytrail.reconciliation.StoreOrderStatus;

/**
 * One order as the engine keeps it: the export's facts, flattened (no per-order objects
 * beyond this one and its id strings, since a month may hold a million orders), and what the
 * provider report said about it.
 */
final class OrderState {
    final String orderId;
    final long createdEpochSecond;
    final StoreOrderStatus status;
    final String currency;
    final long totalMinor;
    final long paidMinor;
    final long refundedMinor;
    /** What the order records as taken back in disputes (chargebacks net of reversals). */
    final long chargedBackMinor;
    final String paymentReference;
    final int line;

    MatchRule rule;
    String providerCurrency;
    int chargeCount;
    long chargedMinor;
    String firstChargeId;
    String firstPaymentId;
    String extraChargeId;
    long extraChargedMinor;
    long providerRefundedMinor;
    String firstRefundId;
    long disputedMinor;
    String disputeId;
    /** Some discrepancy names this order (so it does not count as clean). */
    boolean flagged;

    OrderState(StoreOrder order) {
        this.orderId = order.orderId();
        this.createdEpochSecond = order.createdAt().getEpochSecond();
        this.status = order.status();
        this.currency = order.currency();
        this.totalMinor = order.amountTotalMinor();
        this.paidMinor = order.amountPaidMinor();
        this.refundedMinor = order.amountRefundedMinor();
        this.chargedBackMinor = order.amountChargedBackMinor();
        this.paymentReference = order.paymentReference();
        this.line = (int) Math.min(Integer.MAX_VALUE, order.line());
    }

    /** The charge to show as evidence: the extra one for a duplicate, else the first. */
    String chargeIdFor(io.moneytrail.reconciliation.DiscrepancyClass kind) {
        return kind == io.moneytrail.reconciliation.DiscrepancyClass.DUPLICATE_CHARGE && extraChargeId != null
                ? extraChargeId : firstChargeId;
    }

    /** The charged amount without the extra (duplicate) charges. */
    long firstChargedMinor() {
        return chargedMinor - extraChargedMinor;
    }
}
