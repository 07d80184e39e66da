package io.moneytrail.reconciliation;

import java.time.Instant;

/**
 * One normalised provider report row. Amounts are signed as their effect on the provider
 * balance (a charge is positive, a refund or payout negative), in minor units of
 * {@code currency}; {@code netMinor = amountMinor - feeMinor}.
 *
 * @param providerId the row's own id (balance transaction, refund or payout id)
 * @param paymentId the provider's payment id (Stripe PaymentIntent, YooKassa payment), or null
 * @param chargeId the provider's charge id (Stripe {@code ch_…}), or null
 * @param orderRef the store's order id as the provider carries it (e.g. payment metadata), or null
 * @param payoutId the payout this row was (or will be) paid out in, or null
 * @param line the line in the file where the row starts
 */
public record ProviderRow(ProviderRowKind kind, String providerId, String paymentId, String chargeId,
                          String orderRef, long amountMinor, long feeMinor, long netMinor, String currency,
                          Instant createdAt, String payoutId, long line) {
}
