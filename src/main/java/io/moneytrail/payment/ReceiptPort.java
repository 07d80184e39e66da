package io.moneytrail.payment;

import io.moneytrail.money.Money;
import java.util.Optional;

/**
 * Asked by a provider adapter whose provider registers receipts itself (YooKassa's own receipts) for
 * the receipt that travels inside a payment or refund request. Empty when no receipt goes with it
 * (receipts are off, another fiscal provider registers them, the order is not in roubles, or the
 * receipt cannot be built: then the fiscal module records that in its own review queue). Implemented
 * by the fiscal module, without the payment module or the adapters depending on it.
 */
public interface ReceiptPort {

    /** The receipt for a new payment of {@code amount} for the order, through {@code provider}. */
    Optional<ProviderReceipt> forPayment(String provider, String orderId, Money amount);

    /**
     * The receipt for a capture of {@code amount} of the provider's payment {@code providerPaymentId}: empty
     * when all of it is captured (the receipt sent with the payment stands), the captured part's receipt
     * when less is (it replaces the one sent with the payment).
     */
    default Optional<ProviderReceipt> forCapture(String provider, String providerPaymentId, Money amount) {
        return Optional.empty();
    }

    /** The receipt for our refund {@code refundId} (already recorded) of {@code amount}, through {@code provider}. */
    Optional<ProviderReceipt> forRefund(String provider, String refundId, Money amount);
}
