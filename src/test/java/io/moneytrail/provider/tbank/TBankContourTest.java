package io.moneytrail.provider.tbank;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole T-Bank contour through the sandbox's T-Bank dialect: Init, the payment form,
 * notifications with their Token, GetState, Confirm and Cancel, as Moneytrail's adapter and
 * T-Bank's API reference describe them.
 */
class TBankContourTest extends ApiTest {

    static final String TERMINAL = "SandboxTerminalDEMO";
    static final String PASSWORD = "sandbox_tbank_local";
    static final String RETURN_URL = "https://shop.example/thanks";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @AfterEach
    void healTheProvider() {
        api.sandbox("DELETE", "/faults", null);
    }

    // ---------------------------------------------------------------- helpers

    String rubOrder(long amount) {
        return api.post("/v1/orders", """
                {"currency":"RUB","reference":"TB-1","customer":{"email":"buyer@example.com"},
                 "lines":[{"sku":"SKU-1","name":"Thing","quantity":1,"unit_amount":%d,"vat_rate":22}]}"""
                .formatted(amount)).expect(200).text("id");
    }

    Api.Response tbankPayment(String order, String captureMethod) {
        return api.post("/v1/orders/" + order + "/payments", "{\"provider\":\"tbank\",\"capture_method\":\""
                + captureMethod + "\",\"return_url\":\"" + RETURN_URL + "\"}").expect(200);
    }

    static String paymentUrl(Api.Response payment) {
        return payment.body().path("next_action").path("redirect_url").asString();
    }

    /** The customer's choice on the T-Bank form; answers the HTTP status and where the form sends them. */
    static String[] pay(String paymentUrl, String outcome) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(paymentUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("outcome=" + outcome)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new String[] {String.valueOf(response.statusCode()), response.headers().firstValue("Location").orElse(null)};
    }

    /** {order, payment, T-Bank PaymentId} of a payment authorised on the form. */
    String[] authorized(long amount) throws Exception {
        String order = rubOrder(amount);
        Api.Response payment = tbankPayment(order, "manual");
        pay(paymentUrl(payment), "succeeded");
        Api.Response settled = api.eventually("/v1/payments/" + payment.text("id"),
                r -> "authorized".equals(r.text("status")));
        return new String[] {order, payment.text("id"), settled.text("provider_payment_id")};
    }

    /** Calls the dialect as T-Bank's API, signed by the sandbox terminal. */
    JsonNode tbank(String method, Map<String, Object> parameters) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("TerminalKey", TERMINAL);
        body.putAll(parameters);
        body.put("Token", TBankToken.of(body, PASSWORD));
        return tbankRaw(method, JSON.writeValueAsString(body));
    }

    JsonNode tbankRaw(String method, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/sandbox/tbank/v2/" + method))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " answers 200, refusals included").isEqualTo(200);
        return JSON.readTree(response.body());
    }

    HttpResponse<String> notify(String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/webhooks/tbank"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    long facts(String paymentId, String kind) {
        return jdbc.sql("select count(*) from payment_transactions where payment_id = :p and kind = :k")
                .param("p", paymentId).param("k", kind).query(Long.class).single();
    }

    JsonNode state(String tbankPaymentId) throws Exception {
        return tbank("GetState", Map.of("PaymentId", tbankPaymentId));
    }

    // ---------------------------------------------------------------- the contour

    @Test
    void a_two_stage_payment_is_paid_on_the_form_confirmed_in_part_and_refunded_twice() throws Exception {
        String order = rubOrder(100_000);
        Api.Response payment = tbankPayment(order, "manual");
        String tbankId = payment.text("provider_payment_id");
        assertThat(tbankId).matches("[0-9]+");
        assertThat(paymentUrl(payment)).isEqualTo("http://localhost:" + port + "/sandbox/tbank/new/" + tbankId);
        assertThat(payment.text("status")).isEqualTo("requires_action");
        assertThat(state(tbankId).path("Status").asString()).isEqualTo("NEW");
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(paymentUrl(payment))).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("1000.00");

        assertThat(pay(paymentUrl(payment), "succeeded")).containsExactly("303", RETURN_URL);
        api.eventually("/v1/payments/" + payment.text("id"), r -> "authorized".equals(r.text("status")));
        assertThat(state(tbankId).path("Status").asString()).isEqualTo("AUTHORIZED");

        Api.Response captured = api.post("/v1/payments/" + payment.text("id") + "/capture", "{\"amount\":60000}")
                .expect(200);
        assertThat(captured.text("status")).isEqualTo("captured"); // T-Bank confirms once: the rest is released
        assertThat(captured.number("amount_captured")).isEqualTo(60_000);
        JsonNode confirmed = state(tbankId);
        assertThat(confirmed.path("Status").asString()).isEqualTo("CONFIRMED");
        assertThat(confirmed.path("Amount").asLong()).isEqualTo(60_000);

        Api.Response first = api.post("/v1/refunds", "{\"payment\":\"" + payment.text("id") + "\",\"amount\":10000}")
                .expect(200);
        Api.Response second = api.post("/v1/refunds", "{\"payment\":\"" + payment.text("id") + "\",\"amount\":20000}")
                .expect(200);
        assertThat(first.text("status")).isEqualTo("succeeded");
        assertThat(second.text("status")).isEqualTo("succeeded");
        assertThat(jdbc.sql("select provider_refund_id from refunds where id = :id").param("id", second.text("id"))
                .query(String.class).single()).isEqualTo("cancel-" + tbankId + "-" + second.text("id"));

        Api.Response after = api.eventually("/v1/orders/" + order, r -> r.number("amount_refunded") == 30_000);
        assertThat(after.text("payment_status")).isEqualTo("partially_refunded");
        JsonNode refunded = state(tbankId);
        assertThat(refunded.path("Status").asString()).isEqualTo("PARTIAL_REFUNDED");
        assertThat(refunded.path("Amount").asLong()).isEqualTo(30_000);
        assertThat(facts(payment.text("id"), "authorization")).isEqualTo(1);
        assertThat(facts(payment.text("id"), "capture")).isEqualTo(1);
        assertThat(facts(payment.text("id"), "void")).isEqualTo(1);
        assertThat(facts(payment.text("id"), "refund")).isEqualTo(2);
        // every notification of the payment was answered OK and matched (none rejected)
        Api.sleep(300);
        assertThat(jdbc.sql("select count(*) from sandbox.sbx_events where payment_id = :p and delivered_at is null")
                .param("p", tbankId).query(Long.class).single()).isZero();
    }

    @Test
    void a_one_stage_payment_is_captured_on_the_form_and_refunded_in_full() throws Exception {
        String order = rubOrder(25_000);
        Api.Response payment = tbankPayment(order, "automatic");
        pay(paymentUrl(payment), "succeeded");
        api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));
        api.post("/v1/refunds", "{\"payment\":\"" + payment.text("id") + "\"}").expect(200);
        api.eventually("/v1/orders/" + order, r -> "refunded".equals(r.text("payment_status")));
        assertThat(state(payment.text("provider_payment_id")).path("Status").asString()).isEqualTo("REFUNDED");
    }

    @Test
    void a_void_before_capture_reverses_the_authorisation() throws Exception {
        String[] ids = authorized(7_000);
        api.post("/v1/payments/" + ids[1] + "/cancel", null).expect(200);
        api.eventually("/v1/payments/" + ids[1], r -> "voided".equals(r.text("status")));
        assertThat(state(ids[2]).path("Status").asString()).isEqualTo("REVERSED");
    }

    /**
     * T-Bank's Cancel of a CONFIRMED payment is a refund: a void of a one-stage payment the
     * customer has just paid (its notification lost) must not turn into a refund we never book.
     * The void is refused, the payment is found paid, and T-Bank keeps the money it took.
     */
    @Test
    void a_void_of_a_payment_just_paid_is_refused_and_never_becomes_an_unbooked_refund() throws Exception {
        String order = rubOrder(16_777);
        Api.Response payment = tbankPayment(order, "automatic");
        String tbankId = payment.text("provider_payment_id");
        api.sandbox("POST", "/faults", "{\"payment\":\"" + tbankId + "\",\"webhook\":\"drop\"}").expect(200);
        pay(paymentUrl(payment), "succeeded");
        assertThat(api.get("/v1/payments/" + payment.text("id")).text("status")).isEqualTo("requires_action");
        api.post("/v1/payments/" + payment.text("id") + "/cancel", null);
        Api.Response after = api.eventually("/v1/orders/" + order, r -> r.number("amount_captured") == 16_777);
        assertThat(after.number("amount_refunded")).isZero();
        assertThat(api.get("/v1/payments/" + payment.text("id")).text("status")).isEqualTo("captured");
        JsonNode atTBank = state(tbankId);
        assertThat(atTBank.path("Status").asString()).isEqualTo("CONFIRMED");
        assertThat(atTBank.path("Amount").asLong()).isEqualTo(16_777);
    }

    @Test
    void a_declined_payment_fails_with_tbanks_error_code_and_message() throws Exception {
        String order = rubOrder(5_000);
        Api.Response payment = tbankPayment(order, "automatic");
        assertThat(pay(paymentUrl(payment), "declined")).containsExactly("303", RETURN_URL);
        Api.Response failed = api.eventually("/v1/payments/" + payment.text("id"),
                r -> "failed".equals(r.text("status")));
        assertThat(failed.text("failure_code")).isEqualTo("1051");
        assertThat(failed.text("failure_message")).contains("Недостаточно средств");
        assertThat(state(payment.text("provider_payment_id")).path("Status").asString()).isEqualTo("REJECTED");
    }

    @Test
    void three_d_secure_passed_pays_and_failed_fails_as_auth_fail() throws Exception {
        String paidOrder = rubOrder(3_300);
        Api.Response paid = tbankPayment(paidOrder, "automatic");
        pay(paymentUrl(paid), "3ds_succeeded");
        api.eventually("/v1/orders/" + paidOrder, r -> "paid".equals(r.text("payment_status")));

        Api.Response failing = tbankPayment(rubOrder(3_400), "automatic");
        pay(paymentUrl(failing), "3ds_failed");
        Api.Response failed = api.eventually("/v1/payments/" + failing.text("id"),
                r -> "failed".equals(r.text("status")));
        assertThat(failed.text("failure_code")).isEqualTo("101");
        assertThat(state(failing.text("provider_payment_id")).path("Status").asString()).isEqualTo("AUTH_FAIL");
    }

    @Test
    void a_confirm_that_times_out_is_resolved_by_the_resolver_without_a_second_confirm() throws Exception {
        String[] ids = authorized(40_000);
        api.sandbox("POST", "/faults", "{\"payment\":\"" + ids[2]
                + "\",\"api\":\"timeout\",\"api_timeout_ms\":3000,\"webhook\":\"drop\"}").expect(200);
        api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":15000}");
        assertThat(api.get("/v1/orders/" + ids[0] + "/timeline").raw()).contains("no answer within");
        api.sandbox("POST", "/faults", "{\"payment\":\"" + ids[2] + "\",\"api\":\"normal\",\"webhook\":\"drop\"}")
                .expect(200);
        Api.Response captured = api.eventually("/v1/payments/" + ids[1], r -> "captured".equals(r.text("status")));
        assertThat(captured.number("amount_captured")).isEqualTo(15_000);
        assertThat(facts(ids[1], "capture")).isEqualTo(1);
        assertThat(api.get("/v1/orders/" + ids[0] + "/timeline").raw()).contains("resolver");
        assertThat(state(ids[2]).path("Amount").asLong()).isEqualTo(15_000);
    }

    @Test
    void a_refund_whose_answer_is_lost_settles_once_when_asked_again_by_external_request_id() throws Exception {
        String[] ids = authorized(9_000);
        api.post("/v1/payments/" + ids[1] + "/capture", "{}").expect(200);
        api.sandbox("POST", "/faults", "{\"payment\":\"" + ids[2]
                + "\",\"api\":\"timeout\",\"api_timeout_ms\":3000,\"webhook\":\"drop\"}").expect(200);
        Api.Response refund = api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":4000}").expect(200);
        assertThat(refund.text("status")).isIn("unknown", "succeeded");
        api.sandbox("POST", "/faults", "{\"payment\":\"" + ids[2] + "\",\"api\":\"normal\",\"webhook\":\"drop\"}")
                .expect(200);
        api.eventually("/v1/refunds/" + refund.text("id"), r -> "succeeded".equals(r.text("status")));
        assertThat(facts(ids[1], "refund")).isEqualTo(1);
        assertThat(state(ids[2]).path("Amount").asLong()).as("refunded once at T-Bank").isEqualTo(5_000);
    }

    // ---------------------------------------------------------------- refunds made in T-Bank's dashboard

    /**
     * T-Bank lists no refunds: a refund made in its dashboard shows only as PARTIAL_REFUNDED and a
     * lower current Amount in the notification's GetState. What T-Bank took back beyond the refunds
     * we sent is recorded once, named found-PaymentId-n, and booked.
     */
    @Test
    void refunds_made_in_tbanks_dashboard_are_discovered_from_its_notifications_and_booked_once() throws Exception {
        String[] ids = authorized(10_000);
        api.post("/v1/payments/" + ids[1] + "/capture", "{}").expect(200);
        Api.Response ours = api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":2000}").expect(200);
        assertThat(ours.text("status")).isEqualTo("succeeded");

        api.sandbox("POST", "/refunds", "{\"payment\":\"" + ids[2] + "\",\"amount\":3000}").expect(200);
        Api.Response order = api.eventually("/v1/orders/" + ids[0], r -> r.number("amount_refunded") == 5_000);
        assertThat(order.text("payment_status")).isEqualTo("partially_refunded");
        assertThat(api.get("/v1/orders/" + ids[0] + "/timeline").raw()).contains("refund.discovered")
                .contains("found-" + ids[2] + "-1");
        assertThat(foundRefunds(ids[1])).containsExactly("found-" + ids[2] + "-1 3000 succeeded");

        // the same state told again (a repeated notification, correctly signed) books nothing more
        Map<String, Object> again = notification(ids, "PARTIAL_REFUNDED", 5_000);
        again.put("Token", TBankToken.of(again, PASSWORD));
        assertThat(notify(JSON.writeValueAsString(again)).statusCode()).isEqualTo(200);
        Api.sleep(800);
        assertThat(facts(ids[1], "refund")).isEqualTo(2);

        // the rest refunded in the dashboard: REFUNDED, the whole capture taken back
        api.sandbox("POST", "/refunds", "{\"payment\":\"" + ids[2] + "\",\"amount\":5000}").expect(200);
        order = api.eventually("/v1/orders/" + ids[0], r -> r.number("amount_refunded") == 10_000);
        assertThat(order.text("payment_status")).isEqualTo("refunded");
        assertThat(state(ids[2]).path("Status").asString()).isEqualTo("REFUNDED");
        assertThat(foundRefunds(ids[1])).containsExactly("found-" + ids[2] + "-1 3000 succeeded",
                "found-" + ids[2] + "-2 5000 succeeded");
        assertThat(facts(ids[1], "refund")).isEqualTo(3);
    }

    /**
     * Our refund whose answer is lost while T-Bank's PARTIAL_REFUNDED notification arrives: the
     * notification's GetState shows the money gone, and it is our refund (sent before it went
     * out), not one made in the dashboard.
     */
    @Test
    void a_refund_of_ours_whose_answer_is_lost_is_never_taken_for_a_dashboard_refund() throws Exception {
        String[] ids = authorized(9_500);
        api.post("/v1/payments/" + ids[1] + "/capture", "{}").expect(200);
        api.sandbox("POST", "/faults", "{\"payment\":\"" + ids[2] + "\",\"api\":\"timeout\",\"api_timeout_ms\":3000}")
                .expect(200);
        Api.Response refund = api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":4000}").expect(200);
        api.sandbox("POST", "/faults", "{\"payment\":\"" + ids[2] + "\",\"api\":\"normal\"}").expect(200);
        api.eventually("/v1/refunds/" + refund.text("id"), r -> "succeeded".equals(r.text("status")));
        api.eventually("/v1/orders/" + ids[0], r -> r.number("amount_refunded") == 4_000);
        Api.sleep(800);
        assertThat(foundRefunds(ids[1])).isEmpty();
        assertThat(facts(ids[1], "refund")).isEqualTo(1);
        assertThat(api.get("/v1/orders/" + ids[0]).number("amount_refunded")).isEqualTo(4_000);
    }

    /**
     * A dashboard refund whose notification never came, then a refund of ours for more than T-Bank
     * has left: T-Bank refuses ours, and the payment read again at once shows the refund made
     * elsewhere, which is booked then, not at the month's reconciliation.
     */
    @Test
    void a_refund_refused_because_the_dashboard_refunded_first_finds_that_refund_at_once() throws Exception {
        String[] ids = authorized(10_000);
        api.post("/v1/payments/" + ids[1] + "/capture", "{}").expect(200);
        api.sandbox("POST", "/faults", "{\"payment\":\"" + ids[2] + "\",\"webhook\":\"drop\"}").expect(200);
        api.sandbox("POST", "/refunds", "{\"payment\":\"" + ids[2] + "\",\"amount\":6000}").expect(200);
        Api.sleep(500);
        assertThat(api.get("/v1/orders/" + ids[0]).number("amount_refunded")).as("its notification was lost").isZero();

        Api.Response ours = api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":5000}");
        assertThat(ours.text("status")).isEqualTo("failed");
        Api.Response order = api.get("/v1/orders/" + ids[0]);
        assertThat(order.number("amount_refunded")).isEqualTo(6_000);
        assertThat(foundRefunds(ids[1])).containsExactly("found-" + ids[2] + "-1 6000 succeeded");
        assertThat(api.get("/v1/orders/" + ids[0] + "/timeline").raw())
                .contains("payment read again after the provider refused a refund");
    }

    /** The payment's refunds the adapter found (named found-PaymentId-n), as "provider id, amount, status". */
    List<String> foundRefunds(String paymentId) {
        return jdbc.sql("""
                        select provider_refund_id || ' ' || amount || ' ' || status from refunds
                        where payment_id = :p and provider_refund_id like 'found-%' order by provider_refund_id""")
                .param("p", paymentId).query(String.class).list();
    }

    // ---------------------------------------------------------------- notifications

    @Test
    void a_notification_with_a_wrong_token_is_refused_and_changes_nothing() throws Exception {
        String[] ids = authorized(8_000);
        Map<String, Object> forged = notification(ids, "CONFIRMED", 8_000);
        forged.put("Token", TBankToken.of(forged, "not-the-password"));
        HttpResponse<String> answer = notify(JSON.writeValueAsString(forged));
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).doesNotContain("OK\n").contains("signature_invalid");
        Api.sleep(500);
        assertThat(api.get("/v1/payments/" + ids[1]).text("status")).isEqualTo("authorized");
        assertThat(facts(ids[1], "capture")).isZero();
    }

    @Test
    void a_correctly_signed_notification_that_lies_is_answered_ok_and_changes_nothing() throws Exception {
        String[] ids = authorized(8_100);
        Map<String, Object> lying = notification(ids, "CONFIRMED", 8_100);
        lying.put("Token", TBankToken.of(lying, PASSWORD));
        HttpResponse<String> answer = notify(JSON.writeValueAsString(lying));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("OK");
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        Api.sleep(800);
        assertThat(api.get("/v1/payments/" + ids[1]).text("status")).as("GetState says AUTHORIZED")
                .isEqualTo("authorized");
        assertThat(facts(ids[1], "capture")).isZero();
    }

    private static Map<String, Object> notification(String[] ids, String status, long amount) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("TerminalKey", TERMINAL);
        body.put("OrderId", ids[1]);
        body.put("Success", true);
        body.put("Status", status);
        body.put("PaymentId", Long.parseLong(ids[2]));
        body.put("ErrorCode", "0");
        body.put("Amount", amount);
        return body;
    }

    // ---------------------------------------------------------------- limits

    @Test
    void other_currencies_are_refused_as_provider_unsupported() {
        String order = api.createOrder(1_000, 1).text("id"); // EUR
        Api.Response refused = api.post("/v1/orders/" + order + "/payments",
                "{\"provider\":\"tbank\",\"capture_method\":\"automatic\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("provider_unsupported");
    }
}
