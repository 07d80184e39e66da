package io.moneytrail.provider.yookassa;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.ProviderPayment;
import io.moneytrail.payment.RefundState;
import io.moneytrail.testing.ProviderExamples;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The status table against every status and cancellation reason YooKassa documents, and the
 * documented payment and refund objects read into our snapshot.
 */
class YooKassaStatusTableTest {

    /** Payment statuses, https://yookassa.ru/developers/payment-acceptance/getting-started/payment-process. */
    static final List<String> DOCUMENTED_PAYMENT_STATUSES = List.of("pending", "waiting_for_capture", "succeeded",
            "canceled");

    /** cancellation_details.reason, https://yookassa.ru/developers/payment-acceptance/after-the-payment/declined-payments. */
    static final List<String> DOCUMENTED_CANCELLATION_REASONS = List.of("3d_secure_failed", "call_issuer",
            "canceled_by_merchant", "card_expired", "country_forbidden", "deal_expired", "expired_on_capture",
            "expired_on_confirmation", "fraud_suspected", "general_decline", "identification_required",
            "insufficient_funds", "internal_timeout", "invalid_card_number", "invalid_csc", "issuer_unavailable",
            "loan_declined", "payment_method_limit_exceeded", "payment_method_restricted", "permission_revoked",
            "unsupported_mobile_operator");

    /** Refund statuses, https://yookassa.ru/developers/payment-acceptance/after-the-payment/refunds. */
    static final List<String> DOCUMENTED_REFUND_STATUSES = List.of("pending", "succeeded", "canceled");

    @Test
    void every_documented_status_and_cancellation_reason_has_a_row() {
        for (String status : DOCUMENTED_PAYMENT_STATUSES) {
            if (!status.equals("canceled")) { // decided by the reason
                assertThat(YooKassaStatuses.payment(status)).as(status).isPresent();
            }
        }
        assertThat(YooKassaStatuses.CANCELLATION_REASONS.keySet())
                .containsExactlyInAnyOrderElementsOf(DOCUMENTED_CANCELLATION_REASONS);
        assertThat(YooKassaStatuses.REFUND_STATUSES.keySet())
                .containsExactlyInAnyOrderElementsOf(DOCUMENTED_REFUND_STATUSES);
    }

    @Test
    void a_cancellation_is_a_void_an_expiry_or_a_failure_and_never_takes_money() {
        assertThat(YooKassaStatuses.cancellation("canceled_by_merchant").orElseThrow().state())
                .isEqualTo(PaymentState.VOIDED);
        assertThat(YooKassaStatuses.cancellation("expired_on_capture").orElseThrow().state())
                .isEqualTo(PaymentState.EXPIRED);
        assertThat(YooKassaStatuses.cancellation("expired_on_confirmation").orElseThrow().state())
                .isEqualTo(PaymentState.EXPIRED);
        assertThat(YooKassaStatuses.cancellation("3d_secure_failed").orElseThrow().state())
                .isEqualTo(PaymentState.FAILED);
        assertThat(YooKassaStatuses.CANCELLATION_REASONS.values()).allSatisfy(c -> assertThat(c.state())
                .isIn(PaymentState.VOIDED, PaymentState.EXPIRED, PaymentState.FAILED));
    }

    @Test
    void the_documented_pending_payment_awaits_the_customer_on_its_confirmation_url() {
        ProviderPayment payment = read("payment-pending.json");
        assertThat(payment.state()).isEqualTo(PaymentState.REQUIRES_ACTION);
        assertThat(payment.providerPaymentId()).isEqualTo("2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f");
        assertThat(payment.amount().amountMinor()).isEqualTo(150_000);
        assertThat(payment.amount().currencyCode()).isEqualTo("RUB");
        assertThat(payment.amountAuthorized()).isZero();
        assertThat(payment.redirectUrl()).startsWith("https://yoomoney.ru/checkout/");
    }

    @Test
    void the_documented_waiting_for_capture_payment_is_authorised_in_full() {
        ProviderPayment payment = read("payment-waiting-for-capture.json");
        assertThat(payment.state()).isEqualTo(PaymentState.AUTHORIZED);
        assertThat(payment.amountAuthorized()).isEqualTo(150_000);
        assertThat(payment.captures()).isEmpty();
    }

    @Test
    void a_partial_capture_is_a_capture_and_a_release_of_the_rest() {
        ObjectNode node = (ObjectNode) ProviderExamples.json("yookassa/payment-succeeded.json");
        ((ObjectNode) node.get("metadata")).put(YooKassaPayments.REQUESTED_AMOUNT, "1500.00");
        ((ObjectNode) node.get("metadata")).put(YooKassaPayments.PAYMENT_ID, "pay_1");
        ProviderPayment payment = YooKassaPayments.payment(node, List.of()).value();
        assertThat(payment.state()).isEqualTo(PaymentState.CAPTURED);
        assertThat(payment.merchantReference()).isEqualTo("pay_1");
        assertThat(payment.amount().amountMinor()).as("the amount asked for").isEqualTo(150_000);
        assertThat(payment.amountAuthorized()).isEqualTo(150_000);
        assertThat(payment.captures()).singleElement().satisfies(c -> {
            assertThat(c.amount()).isEqualTo(100_000);
            assertThat(c.at()).hasToString("2026-05-04T07:05:12.310Z");
        });
        assertThat(payment.amountReleased()).isEqualTo(50_000);
    }

    @Test
    void a_payment_captured_in_full_releases_nothing() {
        ProviderPayment payment = read("payment-succeeded.json");
        assertThat(payment.state()).isEqualTo(PaymentState.CAPTURED);
        assertThat(payment.captures()).singleElement().satisfies(c -> assertThat(c.amount()).isEqualTo(100_000));
        assertThat(payment.amountReleased()).isZero();
    }

    @Test
    void a_payment_canceled_by_the_merchant_is_voided_and_its_hold_released() {
        ProviderPayment payment = read("payment-canceled-by-merchant.json");
        assertThat(payment.state()).isEqualTo(PaymentState.VOIDED);
        assertThat(payment.amountAuthorized()).isEqualTo(150_000);
        assertThat(payment.amountReleased()).isEqualTo(150_000);
    }

    @Test
    void a_declined_payment_fails_with_yookassas_party_and_reason() {
        ProviderPayment payment = read("payment-canceled-declined.json");
        assertThat(payment.state()).isEqualTo(PaymentState.FAILED);
        assertThat(payment.amountAuthorized()).isZero();
        assertThat(payment.failureCode()).isEqualTo("general_decline");
        assertThat(payment.failureMessage()).contains("declined").contains("payment network");
    }

    @Test
    void an_undocumented_status_or_reason_is_unknown_never_a_guess() {
        ObjectNode status = (ObjectNode) ProviderExamples.json("yookassa/payment-pending.json");
        status.put("status", "processing");
        assertThat(YooKassaPayments.payment(status, List.of()).value()).isNull();
        assertThat(YooKassaPayments.payment(status, List.of()).unknownReason()).contains("processing");

        ObjectNode reason = (ObjectNode) ProviderExamples.json("yookassa/payment-canceled-declined.json");
        ((ObjectNode) reason.get("cancellation_details")).put("reason", "moon_in_wrong_phase");
        assertThat(YooKassaPayments.payment(reason, List.of()).value()).isNull();

        ObjectNode noDetails = (ObjectNode) ProviderExamples.json("yookassa/payment-canceled-declined.json");
        noDetails.remove("cancellation_details");
        assertThat(YooKassaPayments.payment(noDetails, List.of()).value()).isNull();

        ObjectNode refund = (ObjectNode) ProviderExamples.json("yookassa/refund-succeeded.json");
        refund.put("status", "waiting");
        assertThat(YooKassaPayments.refund(refund).value()).isNull();
    }

    @Test
    void an_amount_with_more_decimals_than_its_currency_is_unknown() {
        ObjectNode node = (ObjectNode) ProviderExamples.json("yookassa/payment-pending.json");
        ((ObjectNode) node.get("amount")).put("value", "10.005");
        assertThat(YooKassaPayments.payment(node, List.of()).value()).isNull();
        ((ObjectNode) node.get("amount")).put("value", "1 000.00");
        assertThat(YooKassaPayments.payment(node, List.of()).value()).isNull();
    }

    @Test
    void the_documented_refund_is_read_with_our_refund_id() {
        ProviderPayment.Refund refund = YooKassaPayments.refund(ProviderExamples.json("yookassa/refund-succeeded.json"))
                .value();
        assertThat(refund.id()).isEqualTo("2f8d0000-0015-5000-8000-0a0b0c0d0e0f");
        assertThat(refund.merchantReference()).isEqualTo("r-77");
        assertThat(refund.amount()).isEqualTo(30_000);
        assertThat(refund.state()).isEqualTo(RefundState.SUCCEEDED);
        JsonNode list = ProviderExamples.json("yookassa/refunds-list.json");
        assertThat(YooKassaPayments.refund(list.get("items").get(0)).value()).isEqualTo(refund);
    }

    private static ProviderPayment read(String example) {
        YooKassaPayments.Read<ProviderPayment> read = YooKassaPayments.payment(
                ProviderExamples.json("yookassa/" + example), List.of());
        assertThat(read.unknownReason()).isNull();
        return read.value();
    }
}
