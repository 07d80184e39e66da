package io.moneytrail.payment;

import io.moneytrail.money.Money;
import java.util.Map;

/**
 * The provider SPI: the one small interface the core calls. The core assigns ids (payment
 * and refund ids are passed in and used as the provider's idempotency keys and merchant
 * references). Every call answers with a {@link ProviderResult}, which may be
 * {@link ProviderResult.Unknown}: implementations never turn a timeout into a failure.
 * Each adapter maps its provider's statuses to ours in one place.
 */
public interface PaymentProvider {

    /** The name used in the API ({@code provider: "sandbox"}) and in webhook URLs. */
    String name();

    ProviderResult<ProviderPayment> create(CreatePayment request);

    ProviderResult<ProviderPayment> capture(String providerPaymentId, Money amount, String idempotencyKey);

    /** Voids the authorisation, or releases what is left of it after partial captures. */
    ProviderResult<ProviderPayment> cancel(String providerPaymentId, String idempotencyKey);

    /** Refunds; {@code refundId} is ours and is the idempotency key. */
    ProviderResult<ProviderPayment.Refund> refund(String providerPaymentId, String refundId, Money amount);

    /** The provider's current view of a payment, with its captures and refunds. */
    ProviderResult<ProviderPayment> fetch(String providerPaymentId);

    /**
     * Verifies a webhook's signature on the raw bytes and parses it.
     *
     * @throws WebhookRejectedException when the signature is missing, wrong or too old, or
     *                                  the body cannot be parsed
     */
    ProviderWebhook verifyWebhook(byte[] rawBody, Map<String, String> headers) throws WebhookRejectedException;

    /** A request to start a payment. */
    record CreatePayment(String paymentId, String orderId, Money amount, CaptureMethod captureMethod,
                         String returnUrl) {
    }
}
