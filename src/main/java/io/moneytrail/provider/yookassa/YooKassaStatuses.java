package io.moneytrail.provider.yookassa;

import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.RefundState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where YooKassa's statuses become ours, kept as data. Every status and every
 * cancellation reason YooKassa documents is listed; anything else (a status or reason added
 * after this table was written, a canceled payment without {@code cancellation_details}) has no
 * entry, and the adapter answers "unknown" for the resolver instead of guessing.
 *
 * <p>Sources: payment statuses, https://yookassa.ru/developers/payment-acceptance/getting-started/payment-process;
 * cancellation reasons, https://yookassa.ru/developers/payment-acceptance/after-the-payment/declined-payments;
 * refund statuses and refund cancellation reasons,
 * https://yookassa.ru/developers/payment-acceptance/after-the-payment/refunds.
 */
final class YooKassaStatuses {

    private YooKassaStatuses() {
    }

    /**
     * A payment status other than {@code canceled}. YooKassa has no partial-capture state: a
     * capture of part of the amount completes the payment ({@code succeeded}) and releases the
     * rest, so {@code waiting_for_capture} is always an untouched authorisation.
     */
    static final Map<String, PaymentState> PAYMENT_STATUSES = Map.of(
            "pending", PaymentState.REQUIRES_ACTION,      // created; the customer has not confirmed yet
            "waiting_for_capture", PaymentState.AUTHORIZED, // two-stage: money held, awaiting capture or cancel
            "succeeded", PaymentState.CAPTURED);           // money taken (all, or the part captured)

    /** What a {@code canceled} payment means, by {@code cancellation_details.reason}. */
    record Cancellation(PaymentState state, boolean wasAuthorized, String message) {
    }

    static final Map<String, Cancellation> CANCELLATION_REASONS = cancellations();

    private static Map<String, Cancellation> cancellations() {
        Map<String, Cancellation> table = new LinkedHashMap<>();
        // the merchant or time released an authorisation: no money was taken
        table.put("canceled_by_merchant", new Cancellation(PaymentState.VOIDED, true,
                "the payment was canceled through the API before capture"));
        table.put("expired_on_capture", new Cancellation(PaymentState.EXPIRED, true,
                "the authorisation expired before it was captured"));
        table.put("expired_on_confirmation", new Cancellation(PaymentState.EXPIRED, false,
                "the customer did not confirm the payment in time"));
        table.put("deal_expired", new Cancellation(PaymentState.EXPIRED, false,
                "the Safe Deal the payment belonged to expired"));
        // refusals: the customer's money never moved
        table.put("3d_secure_failed", declined("3-D Secure authentication failed"));
        table.put("call_issuer", declined("the issuer declined the payment for an unstated reason"));
        table.put("card_expired", declined("the card has expired"));
        table.put("country_forbidden", declined("cards issued in this country are not accepted"));
        table.put("fraud_suspected", declined("the payment was blocked as suspected fraud"));
        table.put("general_decline", declined("the payment was declined without a detailed reason"));
        table.put("identification_required", declined("the YooMoney wallet's limits require identification"));
        table.put("insufficient_funds", declined("insufficient funds"));
        table.put("internal_timeout", declined("YooKassa could not process the payment within 30 seconds"));
        table.put("invalid_card_number", declined("the card number is wrong"));
        table.put("invalid_csc", declined("the card security code (CVV2/CVC2) is wrong"));
        table.put("issuer_unavailable", declined("the issuer was unavailable"));
        table.put("loan_declined", declined("the credit or instalment application was declined"));
        table.put("payment_method_limit_exceeded", declined("the payment method's or the shop's limit is exhausted"));
        table.put("payment_method_restricted", declined("operations with this payment method are forbidden"));
        table.put("permission_revoked", declined("the customer revoked the permission for recurring payments"));
        table.put("unsupported_mobile_operator", declined("payments from this mobile operator are not supported"));
        return Map.copyOf(table);
    }

    private static Cancellation declined(String message) {
        return new Cancellation(PaymentState.FAILED, false, message);
    }

    /** Who canceled, by {@code cancellation_details.party}: used in the failure message only. */
    static final Map<String, String> CANCELLATION_PARTIES = Map.of(
            "merchant", "the merchant",
            "yoo_money", "YooKassa",
            "payment_network", "the payment network (issuer or another participant)",
            "refund_network", "the refund network (issuer or another participant)");

    /** Refund statuses: {@code canceled} is final and moved no money. */
    static final Map<String, RefundState> REFUND_STATUSES = Map.of(
            "pending", RefundState.PENDING,
            "succeeded", RefundState.SUCCEEDED,
            "canceled", RefundState.FAILED);

    /** Documented refund cancellation reasons (reported as the failure message; any reason is a failure). */
    static final Map<String, String> REFUND_CANCELLATION_REASONS = Map.ofEntries(
            Map.entry("general_decline", "declined without a detailed reason"),
            Map.entry("insufficient_funds", "not enough money on the shop's balance for the refund"),
            Map.entry("rejected_by_payee", "the payment's recipient refused the refund"),
            Map.entry("rejected_by_timeout", "the refund was not confirmed in time"),
            Map.entry("yoo_money_account_closed", "the customer's YooMoney wallet is closed"),
            Map.entry("payment_expired", "the payment is too old to refund"),
            Map.entry("payment_article_number_not_found", "an article number was not found in the payment"),
            Map.entry("payment_basket_id_not_found", "a basket id was not found in the payment"),
            Map.entry("payment_tru_code_not_found", "a TRU code was not found in the payment"),
            Map.entry("some_articles_already_refunded", "some articles were already refunded"),
            Map.entry("too_many_refunding_articles", "more articles were refunded than were paid"));

    static Optional<PaymentState> payment(String status) {
        return Optional.ofNullable(status == null ? null : PAYMENT_STATUSES.get(status));
    }

    static Optional<Cancellation> cancellation(String reason) {
        return Optional.ofNullable(reason == null ? null : CANCELLATION_REASONS.get(reason));
    }

    static Optional<RefundState> refund(String status) {
        return Optional.ofNullable(status == null ? null : REFUND_STATUSES.get(status));
    }
}
