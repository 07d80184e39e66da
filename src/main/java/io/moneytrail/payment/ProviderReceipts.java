package io.moneytrail.payment;

import java.util.List;
import java.util.Map;

/**
 * Receipts registered by a payment provider (YooKassa's own receipts), for the fiscal module: a
 * receipt sent on its own (an advance's offset, or one to replace a refused one), a receipt by its
 * id, and the receipts the provider made for a payment or a refund. Implemented by the adapter of a
 * provider that fiscalises, next to its {@link PaymentProvider}; every call answers a
 * {@link ProviderResult}, {@link ProviderResult.Unknown} for a timeout or a 5xx.
 */
public interface ProviderReceipts {

    /** The provider's name, as {@link PaymentProvider#name()}. */
    String provider();

    /** Registers {@code receipt} on its own; {@code idempotencyKey} makes a repeat the same request. */
    ProviderResult<Registration> register(ProviderReceipt receipt, String idempotencyKey);

    /** The receipt {@code id} as the provider has it now. */
    ProviderResult<Registration> get(String id);

    /** The receipts the provider has for its payment, or (when {@code providerRefundId} is given) its refund. */
    ProviderResult<List<Registration>> of(String providerPaymentId, String providerRefundId);

    /**
     * Where the registration of the receipt sent inside the provider's payment (or, when {@code providerRefundId}
     * is given, refund) is: {@code pending}, {@code succeeded}, {@code canceled}; {@code Done(null)} when that
     * request carried no receipt.
     */
    ProviderResult<String> registrationOf(String providerPaymentId, String providerRefundId);

    /**
     * A receipt at the provider.
     *
     * @param kind    {@code PAYMENT} or {@code REFUND}
     * @param status  {@code pending}, {@code succeeded} or {@code canceled}
     * @param offset  whether it settles an advance (a settlement of type prepayment)
     * @param total   the sum of its items, minor units
     * @param fiscal  once succeeded: what the fiscal drive put on it ({@code fiscal_document_number},
     *                {@code fiscal_storage_number}, {@code fiscal_attribute}, {@code registered_at},
     *                {@code fiscal_provider_id}), as the provider spells them
     */
    record Registration(String id, ProviderReceipt.Kind kind, String status, boolean offset, long total,
                        Map<String, Object> fiscal) {
    }
}
