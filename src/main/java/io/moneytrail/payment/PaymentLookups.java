package io.moneytrail.payment;

import java.time.Instant;
import java.util.List;

/**
 * Reads of the payment module for pages that look at many orders or at one order whole (the
 * back office): an order's refunds, the orders behind a provider's payment id, and the day's
 * figures. Read only; moving money goes through {@link PaymentActions} and {@link RefundActions}.
 */
public interface PaymentLookups {

    /** The most order ids one provider id lookup answers. */
    int ORDER_IDS_MAX = 100;

    /** Every refund of the order's payments, oldest first. */
    List<Refund> refundsOfOrder(String orderId);

    /** The orders whose payment has this provider payment id (exactly), at most {@value #ORDER_IDS_MAX}. */
    List<String> orderIdsByProviderPaymentId(String providerPaymentId);

    /** Of {@code orderIds} (at most {@value #PROVIDER_IDS_MAX}), those that have a payment with this provider. */
    java.util.Set<String> ordersWithProvider(String provider, java.util.Collection<String> orderIds);

    int PROVIDER_IDS_MAX = 1000;

    /**
     * Figures over [from, to): orders with money captured in it, refunds created in it; and now:
     * payments in {@code unknown} since before {@code unknownBefore}.
     */
    Figures figures(Instant from, Instant to, Instant unknownBefore);

    record Figures(long ordersCaptured, long refunds, long paymentsUnknown) {
    }
}
