package io.moneytrail.payment;

import io.moneytrail.money.MoneytrailException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives back what a payment of a cancelled or expired order holds: voids the open
 * authorisation, refunds captured money. Compensations are opened by {@link ProviderSync}
 * when money arrives for a closed order, and run by {@link PaymentWorkers}.
 */
@Component
class CompensationRunner {

    private final CompensationRecords records;
    private final Payments payments;
    private final Refunds refunds;
    private final PaymentActions actions;
    private final RefundActions refundActions;
    private final TransactionTemplate tx;

    CompensationRunner(CompensationRecords records, Payments payments, Refunds refunds, PaymentActions actions,
                       RefundActions refundActions, TransactionTemplate tx) {
        this.records = records;
        this.payments = payments;
        this.refunds = refunds;
        this.actions = actions;
        this.refundActions = refundActions;
        this.tx = tx;
    }

    /** Runs one compensation; returns a note on what was done (or why it will be retried). */
    String compensate(String compensationId) {
        Compensation compensation = records.get(compensationId);
        Payment payment = payments.get(compensation.paymentId());
        StringBuilder done = new StringBuilder();
        try {
            if (payment.amountCapturable() > 0 && PaymentState.TABLE.allows(payment.state(), PaymentState.Event.VOID)) {
                actions.cancel(payment.id());
                done.append("voided ").append(payment.amountCapturable()).append("; ");
            }
            Payment after = payments.get(payment.id());
            long refundable = after.amountCaptured() - refunds.amountHeld(payment.id());
            if (refundable > 0) {
                Refund refund = refundActions.refund(payment.id(), refundable, "compensation: order "
                        + payment.orderId() + " can no longer be completed", null);
                done.append("refund ").append(refund.id()).append(" of ").append(refundable).append(" ")
                        .append(refund.state().wire());
            }
            String note = done.length() == 0 ? "nothing left to give back" : done.toString();
            tx.executeWithoutResult(status -> records.finish(compensation, note));
            return note;
        } catch (MoneytrailException e) {
            String note = "retrying: " + e.getMessage();
            records.retry(compensation, note);
            return note;
        }
    }
}
