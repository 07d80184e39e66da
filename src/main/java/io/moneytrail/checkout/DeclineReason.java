package io.moneytrail.checkout;

import java.util.Locale;
import java.util.Map;

/**
 * Why a payment was declined, in words a customer understands, from the provider's code as the
 * payment recorded it ({@code failure_code}): the sandbox's reasons, Stripe's decline codes,
 * YooKassa's {@code cancellation_details.reason} and T-Bank's {@code ErrorCode} (its 10xx codes
 * are 1000 plus the card network's ISO 8583 response code). A code not listed is
 * {@link #GENERIC}: "your bank declined the payment", never a guess at something more precise.
 */
public enum DeclineReason {
    INSUFFICIENT_FUNDS, THREE_DS_FAILED, CARD_EXPIRED, CARD_DETAILS_WRONG, LIMIT_EXCEEDED, NOT_ALLOWED,
    SECURITY, CONTACT_BANK, BANK_UNAVAILABLE, GENERIC;

    private static final Map<String, DeclineReason> SANDBOX = Map.of(
            "declined", GENERIC,
            "3ds_failed", THREE_DS_FAILED,
            // the sandbox page's test cards (decline_code), added for the funnel's generator
            "insufficient_funds", INSUFFICIENT_FUNDS,
            "card_expired", CARD_EXPIRED,
            "do_not_honor", CONTACT_BANK);

    private static final Map<String, DeclineReason> STRIPE = Map.ofEntries(
            Map.entry("insufficient_funds", INSUFFICIENT_FUNDS),
            Map.entry("payment_intent_authentication_failure", THREE_DS_FAILED),
            Map.entry("authentication_required", THREE_DS_FAILED),
            Map.entry("expired_card", CARD_EXPIRED),
            Map.entry("incorrect_number", CARD_DETAILS_WRONG),
            Map.entry("invalid_number", CARD_DETAILS_WRONG),
            Map.entry("incorrect_cvc", CARD_DETAILS_WRONG),
            Map.entry("invalid_cvc", CARD_DETAILS_WRONG),
            Map.entry("invalid_expiry_month", CARD_DETAILS_WRONG),
            Map.entry("invalid_expiry_year", CARD_DETAILS_WRONG),
            Map.entry("incorrect_zip", CARD_DETAILS_WRONG),
            Map.entry("card_velocity_exceeded", LIMIT_EXCEEDED),
            Map.entry("withdrawal_count_limit_exceeded", LIMIT_EXCEEDED),
            Map.entry("transaction_not_allowed", NOT_ALLOWED),
            Map.entry("card_not_supported", NOT_ALLOWED),
            Map.entry("currency_not_supported", NOT_ALLOWED),
            Map.entry("fraudulent", SECURITY),
            Map.entry("lost_card", SECURITY),
            Map.entry("stolen_card", SECURITY),
            Map.entry("pickup_card", SECURITY),
            Map.entry("merchant_blacklist", SECURITY),
            Map.entry("security_violation", SECURITY),
            Map.entry("call_issuer", CONTACT_BANK),
            Map.entry("do_not_honor", CONTACT_BANK),
            Map.entry("do_not_try_again", CONTACT_BANK),
            Map.entry("restricted_card", CONTACT_BANK),
            Map.entry("issuer_not_available", BANK_UNAVAILABLE),
            Map.entry("processing_error", BANK_UNAVAILABLE),
            Map.entry("try_again_later", BANK_UNAVAILABLE),
            Map.entry("generic_decline", GENERIC),
            Map.entry("card_declined", GENERIC));

    private static final Map<String, DeclineReason> YOOKASSA = Map.ofEntries(
            Map.entry("insufficient_funds", INSUFFICIENT_FUNDS),
            Map.entry("3d_secure_failed", THREE_DS_FAILED),
            Map.entry("card_expired", CARD_EXPIRED),
            Map.entry("invalid_card_number", CARD_DETAILS_WRONG),
            Map.entry("invalid_csc", CARD_DETAILS_WRONG),
            Map.entry("payment_method_limit_exceeded", LIMIT_EXCEEDED),
            Map.entry("payment_method_restricted", NOT_ALLOWED),
            Map.entry("country_forbidden", NOT_ALLOWED),
            Map.entry("unsupported_mobile_operator", NOT_ALLOWED),
            Map.entry("permission_revoked", NOT_ALLOWED),
            Map.entry("identification_required", NOT_ALLOWED),
            Map.entry("fraud_suspected", SECURITY),
            Map.entry("call_issuer", CONTACT_BANK),
            Map.entry("loan_declined", CONTACT_BANK),
            Map.entry("issuer_unavailable", BANK_UNAVAILABLE),
            Map.entry("internal_timeout", BANK_UNAVAILABLE),
            Map.entry("general_decline", GENERIC));

    private static final Map<String, DeclineReason> TBANK = Map.ofEntries(
            Map.entry("1051", INSUFFICIENT_FUNDS),
            Map.entry("101", THREE_DS_FAILED),
            Map.entry("1054", CARD_EXPIRED),
            Map.entry("1033", CARD_EXPIRED),
            Map.entry("1014", CARD_DETAILS_WRONG),
            Map.entry("1082", CARD_DETAILS_WRONG),
            Map.entry("1061", LIMIT_EXCEEDED),
            Map.entry("1065", LIMIT_EXCEEDED),
            Map.entry("1057", NOT_ALLOWED),
            Map.entry("1058", NOT_ALLOWED),
            Map.entry("1041", SECURITY),
            Map.entry("1043", SECURITY),
            Map.entry("1059", SECURITY),
            Map.entry("1001", CONTACT_BANK),
            Map.entry("1005", CONTACT_BANK),
            Map.entry("1062", CONTACT_BANK),
            Map.entry("1091", BANK_UNAVAILABLE),
            Map.entry("1096", BANK_UNAVAILABLE));

    /** The class of a provider's decline code; {@link #GENERIC} for a code (or provider) not listed. */
    public static DeclineReason of(String provider, String code) {
        if (provider == null || code == null) {
            return GENERIC;
        }
        Map<String, DeclineReason> table = switch (provider) {
            case "sandbox" -> SANDBOX;
            case "stripe" -> STRIPE;
            case "yookassa" -> YOOKASSA;
            case "tbank" -> TBANK;
            default -> Map.of();
        };
        return table.getOrDefault(code.strip().toLowerCase(Locale.ROOT), GENERIC);
    }

    /** The message key of the customer's sentence (checkout.decline.* in checkout/messages). */
    public String messageKey() {
        return "decline." + name().toLowerCase(Locale.ROOT);
    }
}
