package io.moneytrail.provider.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.checkout.Session;
import com.stripe.net.ApiResource;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.ProviderPayment;
import io.moneytrail.payment.RefundState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The status table, cell by cell, on objects stripe-java reads from the documented examples:
 * every documented status maps to our state, and a status the table does not know is an
 * unknown outcome, never a guess.
 */
class StripeStatusesTest {

    static final Path EXAMPLES = Path.of("src/test/resources/provider-examples/stripe");

    static <T> T example(String file, Class<T> type) throws IOException {
        return ApiResource.GSON.fromJson(Files.readString(EXAMPLES.resolve(file)), type);
    }

    static PaymentIntent intent(String status, String reason) throws IOException {
        PaymentIntent intent = example("payment-intent-requires-capture.json", PaymentIntent.class);
        intent.setStatus(status);
        intent.setCancellationReason(reason);
        return intent;
    }

    static Charge charge(long captured) throws IOException {
        Charge charge = example("charge.json", Charge.class);
        charge.setCaptured(captured > 0);
        charge.setAmountCaptured(captured);
        return charge;
    }

    static PaymentState state(PaymentIntent intent, Charge charge) throws StripeSnapshots.NotUnderstood {
        return StripeSnapshots.ofIntent(intent, charge, List.of(), List.of(), null).state();
    }

    @Test
    void every_payment_intent_status_has_a_state() throws Exception {
        assertThat(state(intent("requires_payment_method", null), null)).isEqualTo(PaymentState.REQUIRES_ACTION);
        assertThat(state(intent("requires_confirmation", null), null)).isEqualTo(PaymentState.REQUIRES_ACTION);
        assertThat(state(intent("requires_action", null), null)).isEqualTo(PaymentState.REQUIRES_ACTION);
        assertThat(state(intent("processing", null), null)).isEqualTo(PaymentState.PROCESSING);
        assertThat(state(intent("requires_capture", null), charge(0))).isEqualTo(PaymentState.AUTHORIZED);
        assertThat(state(intent("requires_capture", null), charge(1000))).isEqualTo(PaymentState.PARTIALLY_CAPTURED);
        assertThat(state(intent("succeeded", null), charge(4200))).isEqualTo(PaymentState.CAPTURED);
        assertThat(StripeStatuses.PAYMENT_INTENT).hasSize(7);
    }

    @Test
    void a_canceled_payment_intent_is_a_void_an_expiry_a_failure_or_a_capture_by_what_came_before() throws Exception {
        assertThat(state(intent("canceled", null), charge(0))).as("void after authorisation").isEqualTo(PaymentState.VOIDED);
        assertThat(state(intent("canceled", "requested_by_customer"), charge(0))).isEqualTo(PaymentState.VOIDED);
        assertThat(state(intent("canceled", "automatic"), charge(0))).as("the hold lapsed").isEqualTo(PaymentState.EXPIRED);
        assertThat(state(intent("canceled", "requested_by_customer"), charge(2500))).isEqualTo(PaymentState.CAPTURED);
        assertThat(state(intent("canceled", "abandoned"), null)).isEqualTo(PaymentState.EXPIRED);
        assertThat(state(intent("canceled", "expired"), null)).isEqualTo(PaymentState.EXPIRED);
        for (String reason : List.of("duplicate", "fraudulent", "requested_by_customer", "failed_invoice", "void_invoice")) {
            assertThat(state(intent("canceled", reason), null)).as(reason).isEqualTo(PaymentState.VOIDED);
        }
        PaymentIntent declinedThenAbandoned = example("payment-intent-declined.json", PaymentIntent.class);
        declinedThenAbandoned.setStatus("canceled");
        declinedThenAbandoned.setCancellationReason("abandoned");
        ProviderPayment failed = StripeSnapshots.ofIntent(declinedThenAbandoned, null, List.of(), List.of(), null);
        assertThat(failed.state()).isEqualTo(PaymentState.FAILED);
        assertThat(failed.failureCode()).isEqualTo("generic_decline");
        assertThat(failed.failureMessage()).isEqualTo("Your card was declined.");
    }

    @Test
    void a_status_or_reason_the_table_does_not_know_is_not_understood() throws Exception {
        assertThatThrownBy(() -> state(intent("requires_reauthorization", null), null))
                .isInstanceOf(StripeSnapshots.NotUnderstood.class);
        assertThatThrownBy(() -> state(intent("canceled", "merchant_whim"), null))
                .isInstanceOf(StripeSnapshots.NotUnderstood.class);
        assertThatThrownBy(() -> state(intent("requires_capture", null), null))
                .as("authorised without a succeeded charge is contradictory")
                .isInstanceOf(StripeSnapshots.NotUnderstood.class);
        Dispute prevented = example("dispute.json", Dispute.class);
        prevented.setStatus("prevented");
        assertThatThrownBy(() -> StripeSnapshots.dispute(prevented)).isInstanceOf(StripeSnapshots.NotUnderstood.class);
        Refund odd = example("refund.json", Refund.class);
        odd.setStatus("reversed");
        assertThatThrownBy(() -> StripeSnapshots.refund(odd)).isInstanceOf(StripeSnapshots.NotUnderstood.class);
    }

    @Test
    void a_partial_capture_releases_the_rest_and_a_declined_attempt_is_not_yet_a_failure() throws Exception {
        ProviderPayment view = StripeSnapshots.ofIntent(intent("succeeded", null), charge(2500), List.of(), List.of(),
                null);
        assertThat(view.amountAuthorized()).isEqualTo(4200);
        assertThat(view.captures()).singleElement().satisfies(c -> assertThat(c.amount()).isEqualTo(2500));
        assertThat(view.amountReleased()).isEqualTo(1700);
        assertThat(view.merchantReference()).isEqualTo("pay_01j9z8x7w6v5t4s3r2q1p0n9m9");

        ProviderPayment declined = StripeSnapshots.ofIntent(example("payment-intent-declined.json", PaymentIntent.class),
                null, List.of(), List.of(), null);
        assertThat(declined.state()).as("the session is still open: the customer may try again")
                .isEqualTo(PaymentState.REQUIRES_ACTION);
        assertThat(declined.failureCode()).isEqualTo("generic_decline");
    }

    @Test
    void refund_and_dispute_statuses_map_to_ours() throws Exception {
        Refund refund = example("refund.json", Refund.class);
        for (var cell : List.of(List.of("pending", RefundState.PENDING), List.of("requires_action", RefundState.PENDING),
                List.of("succeeded", RefundState.SUCCEEDED), List.of("failed", RefundState.FAILED),
                List.of("canceled", RefundState.FAILED))) {
            refund.setStatus((String) cell.get(0));
            assertThat(StripeSnapshots.refund(refund).state()).as((String) cell.get(0)).isEqualTo(cell.get(1));
        }
        assertThat(StripeSnapshots.refund(refund).merchantReference()).isEqualTo("re_01j9z8x7w6v5t4s3r2q1p0n9mc");
        Dispute dispute = example("dispute.json", Dispute.class);
        for (var cell : List.of(List.of("warning_needs_response", ProviderPayment.DisputeState.INQUIRY),
                List.of("warning_under_review", ProviderPayment.DisputeState.INQUIRY),
                List.of("warning_closed", ProviderPayment.DisputeState.INQUIRY),
                List.of("needs_response", ProviderPayment.DisputeState.OPEN),
                List.of("under_review", ProviderPayment.DisputeState.OPEN),
                List.of("won", ProviderPayment.DisputeState.WON), List.of("lost", ProviderPayment.DisputeState.LOST))) {
            dispute.setStatus((String) cell.get(0));
            assertThat(StripeSnapshots.dispute(dispute).state()).as((String) cell.get(0)).isEqualTo(cell.get(1));
        }
    }

    @Test
    void a_session_without_a_payment_intent_is_awaiting_the_customer_or_expired() throws Exception {
        Session session = example("checkout-session.json", Session.class);
        assertThat(StripeSnapshots.ofSession(session).state()).isEqualTo(PaymentState.REQUIRES_ACTION);
        assertThat(StripeSnapshots.ofSession(session).redirectUrl()).isEqualTo(session.getUrl());
        assertThat(StripeSnapshots.ofSession(session).providerPaymentId()).startsWith("cs_test_");
        session.setStatus("expired");
        assertThat(StripeSnapshots.ofSession(session).state()).isEqualTo(PaymentState.EXPIRED);
        session.setStatus("complete");
        assertThatThrownBy(() -> StripeSnapshots.ofSession(session)).isInstanceOf(StripeSnapshots.NotUnderstood.class);
    }
}
