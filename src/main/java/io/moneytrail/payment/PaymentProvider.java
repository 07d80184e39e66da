package io.moneytrail.payment;

import io.moneytrail.money.Money;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

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
     * Verifies a webhook (its signature on the raw bytes, its token, or where it came from) and
     * parses it. What it says is a hint: the core fetches the payment before applying anything.
     *
     * @throws WebhookRejectedException when the signature is missing, wrong or too old, the
     *                                  sender is not the provider, or the body cannot be parsed
     */
    ProviderWebhook verifyWebhook(WebhookRequest request) throws WebhookRejectedException;

    /**
     * The answer the provider expects to an accepted webhook (T-Bank wants the plain body
     * {@code OK}); null keeps Moneytrail's JSON receipt.
     */
    default WebhookAcknowledgement acknowledgement() {
        return null;
    }

    /** What this provider can do; the core refuses the rest with {@code provider_unsupported} before any intent. */
    default Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    /** Whether payments in this currency can be taken at all. */
    default boolean supportsCurrency(String currency) {
        return true;
    }

    /** Operations not every provider offers. */
    enum Capability {
        /** Authorise now, capture later ({@code capture_method: manual}). */
        TWO_STAGE("two-stage payments (capture_method manual)"),
        /** Capture less than what was authorised. */
        PARTIAL_CAPTURE("partial capture"),
        /** Release an authorisation. */
        VOID("void"),
        /** Refund less than what was captured. */
        PARTIAL_REFUND("partial refunds"),
        /** More than one refund of one payment. */
        MULTIPLE_REFUNDS("more than one refund per payment");

        private final String description;

        Capability(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * An inbound webhook as received.
     *
     * @param headers       header names in lower case
     * @param clientAddress the sender's IP address: the connection's peer, or the address a
     *                      trusted proxy reports in {@code X-Forwarded-For}
     */
    record WebhookRequest(byte[] body, Map<String, String> headers, String clientAddress) {
    }

    /** A webhook answer in the provider's own terms. */
    record WebhookAcknowledgement(String contentType, String body) {
    }

    /** A request to start a payment. */
    record CreatePayment(String paymentId, String orderId, Money amount, CaptureMethod captureMethod,
                         String returnUrl) {
    }
}
