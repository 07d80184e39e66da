package io.moneytrail.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A customer's dispute moves money: the provider's view of the payment carries it, and
 * applying that view records a chargeback when it opens and a reversal when the store wins,
 * each once, each posted to the ledger (the reversal linked to the chargeback's entry).
 */
class ChargebackTest extends ApiTest {

    @Autowired
    TransactionTemplate tx;
    @Autowired
    ProviderSync sync;
    @Autowired
    PaymentProviders providers;

    private String paidPayment(long amount) {
        String order = api.createOrder(amount, 1).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/payments/" + payment.text("id"), r -> "captured".equals(r.text("status")));
        return payment.text("id");
    }

    /** Applies the provider's current view with the given disputes added, as a webhook would. */
    private void applyWithDisputes(String paymentId, ProviderPayment.Dispute... disputes) {
        tx.executeWithoutResult(status -> {
            Payment payment = sync.lock(paymentId);
            ProviderPayment now = ((ProviderResult.Done<ProviderPayment>) providers.get(payment.provider())
                    .fetch(payment.providerPaymentId())).value();
            List<ProviderPayment.Dispute> all = new ArrayList<>(now.disputes());
            all.addAll(List.of(disputes));
            sync.apply(payment, new ProviderPayment(now.providerPaymentId(), now.merchantReference(), now.state(),
                    now.amount(), now.amountAuthorized(), now.amountReleased(), now.captures(), now.refunds(),
                    now.redirectUrl(), now.failureCode(), now.failureMessage(), all), "test dispute");
        });
    }

    private long facts(String paymentId, String kind) {
        return jdbc.sql("select count(*) from payment_transactions where payment_id = :p and kind = :k")
                .param("p", paymentId).param("k", kind).query(Long.class).single();
    }

    private List<String> entries(String sourceType, String disputeId) {
        return jdbc.sql("select coalesce(reverses, '') from journal_entries where source_type = :t and source_id = :s")
                .param("t", sourceType).param("s", disputeId).query(String.class).list();
    }

    @Test
    void an_open_dispute_posts_a_chargeback_once_and_a_won_one_posts_its_reversal_linked_to_it() {
        String payment = paidPayment(4200);
        String dispute = "dp_" + payment;
        Instant opened = Instant.now().minusSeconds(60);

        applyWithDisputes(payment, new ProviderPayment.Dispute(dispute, 4200, ProviderPayment.DisputeState.OPEN, opened));
        applyWithDisputes(payment, new ProviderPayment.Dispute(dispute, 4200, ProviderPayment.DisputeState.OPEN, opened));
        assertThat(facts(payment, "chargeback")).isEqualTo(1);
        assertThat(facts(payment, "chargeback_reversal")).isZero();
        assertThat(entries("chargeback", dispute)).hasSize(1);

        applyWithDisputes(payment, new ProviderPayment.Dispute(dispute, 4200, ProviderPayment.DisputeState.WON, opened));
        assertThat(facts(payment, "chargeback")).isEqualTo(1);
        assertThat(facts(payment, "chargeback_reversal")).isEqualTo(1);
        String chargebackEntry = jdbc.sql("select id from journal_entries where source_type = 'chargeback'"
                + " and source_id = :s").param("s", dispute).query(String.class).single();
        assertThat(entries("chargeback_reversal", dispute)).containsExactly(chargebackEntry);
        assertThat(api.get("/v1/payments/" + payment).text("status")).as("a dispute does not undo the capture")
                .isEqualTo("captured");
    }

    @Test
    void an_inquiry_moves_no_money_and_a_lost_dispute_keeps_its_chargeback_only() {
        String payment = paidPayment(1500);
        applyWithDisputes(payment, new ProviderPayment.Dispute("dp_inq_" + payment, 1500,
                ProviderPayment.DisputeState.INQUIRY, Instant.now()));
        assertThat(facts(payment, "chargeback")).isZero();

        String lost = "dp_lost_" + payment;
        applyWithDisputes(payment, new ProviderPayment.Dispute(lost, 1500, ProviderPayment.DisputeState.LOST,
                Instant.now()));
        assertThat(facts(payment, "chargeback")).isEqualTo(1);
        assertThat(facts(payment, "chargeback_reversal")).isZero();
        assertThat(entries("chargeback", lost)).hasSize(1);
    }
}
