package io.moneytrail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import org.junit.jupiter.api.Test;

/**
 * The sandbox page's test "cards" for declines: {@code outcome=declined&decline_code=…} refuses
 * the payment with that code, which our payment keeps as its failure code (the funnel's decline
 * reason); an unknown code, or one with another outcome, is refused.
 */
class SandboxDeclineCodesTest extends ApiTest {

    @Test
    void a_decline_code_becomes_the_payments_failure_code() {
        String order = api.createOrder(1999, 1).text("id");
        String redirect = api.createPayment(order, "automatic").body().path("next_action").path("redirect_url").asText();
        assertThat(api.completeSandboxPage(redirect, "declined&decline_code=bogus")).isEqualTo(400);
        assertThat(api.completeSandboxPage(redirect, "succeeded&decline_code=insufficient_funds")).isEqualTo(400);
        assertThat(api.completeSandboxPage(redirect, "declined&decline_code=insufficient_funds")).isIn(200, 303);
        String payment = jdbc.sql("select id from payments where order_id = :o").param("o", order)
                .query(String.class).single();
        Api.Response failed = api.eventually("/v1/payments/" + payment, r -> "failed".equals(r.text("status")));
        assertThat(failed.body().toString()).contains("insufficient_funds");
    }
}
