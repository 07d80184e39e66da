package io.moneytrail.payment;

import java.util.List;
import org.springframework.stereotype.Service;

/** Reads of payments, refunds and what needs an operator, for the API and other modules. */
@Service
public class PaymentQueries {

    /** What needs an operator: payments and refunds the resolver gave up on, held compensations. */
    public record Reviews(List<Payment> payments, List<Refund> refunds, List<Compensation> compensations) {
    }

    private final Payments payments;
    private final Refunds refunds;
    private final Compensations compensations;

    PaymentQueries(Payments payments, Refunds refunds, Compensations compensations) {
        this.payments = payments;
        this.refunds = refunds;
        this.compensations = compensations;
    }

    public Payment get(String id) {
        return payments.get(id);
    }

    /** Our payment behind a provider's payment id, if any (a fiscalising provider's adapter asks it). */
    public java.util.Optional<Payment> byProviderId(String provider, String providerPaymentId) {
        return payments.findByProviderId(provider, providerPaymentId);
    }

    public Refund getRefund(String id) {
        return refunds.get(id);
    }

    /** The lines a refund named; null when it named none (fiscal receipts allocate its amount then). */
    public List<RefundLine> refundLines(String refundId) {
        return refunds.linesOf(refundId);
    }

    /** Per sku, the quantities the order's refunds (all but failed ones) named so far. */
    public List<RefundLine> refundedLines(String orderId) {
        return refunds.linesOfOrder(orderId);
    }

    public List<Payment> ofOrder(String orderId) {
        return payments.ofOrder(orderId);
    }

    /** An order's money transactions (authorisations, captures, voids, refunds, …) in the order they happened. */
    public List<MoneyTransaction> transactionsOfOrder(String orderId) {
        return payments.transactionsOfOrder(orderId);
    }

    public Reviews reviews(int limit) {
        return new Reviews(payments.inReview(limit), refunds.inReview(limit), compensations.held(limit));
    }
}
