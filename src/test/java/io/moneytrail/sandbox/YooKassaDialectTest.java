package io.moneytrail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import io.moneytrail.testing.ProviderExamples;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox's YooKassa dialect, spoken to directly as a shop would speak to YooKassa, its
 * answers and notifications checked field by field against the documented examples in
 * {@code src/test/resources/provider-examples/yookassa/}.
 */
class YooKassaDialectTest extends ApiTest {

    private static final JsonMapper JSON = new JsonMapper();
    private static final String ID = "[0-9a-f]{8}-000f-5000-[89ab]000-[0-9a-f]{12}";
    private static final String TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
    /** The fields whose documented value the dialect must give exactly (others: same type). */
    private static final Set<String> PAYMENT_VALUES = Set.of("status", "paid", "amount", "confirmation.type",
            "confirmation.return_url", "description", "metadata", "recipient", "refundable", "test",
            "authorization_details.three_d_secure", "cancellation_details", "payment_method.type",
            "payment_method.saved", "payment_method.card", "income_amount", "refunded_amount");

    private Api.Response yookassa(String method, String path, String body, String key, String credentials) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + "/sandbox/yookassa/v3" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        if (key != null) {
            request.header("Idempotence-Key", key);
        }
        return api.send(request.build());
    }

    private Api.Response shop(String method, String path, String body, String key) {
        return yookassa(method, path, body, key, "100500:test_sandbox_yookassa_local");
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    private static String example(String name) {
        return ProviderExamples.text("yookassa/" + name);
    }

    private static void sameShape(String example, JsonNode answer, Set<String> values) {
        ProviderExamples.assertSameShape(ProviderExamples.json("yookassa/" + example), answer, values, Set.of());
    }

    /** A payment made as the documented request makes it, paid on the hosted page with {@code outcome}. */
    private String paidPayment(String outcome) {
        String id = shop("POST", "/payments", example("create-payment-request.json"), key()).expect(200).text("id");
        assertThat(api.completeSandboxPage(api.base() + "/sandbox/yookassa/checkout/payments/v2/contract?orderId=" + id,
                outcome)).isEqualTo(303);
        return id;
    }

    /** The notification the dialect delivered to Moneytrail (stored raw, unmatched: no Moneytrail payment has it). */
    private JsonNode notification(String paymentId, String event) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            var body = jdbc.sql("select raw_body from webhook_inbox where provider = 'yookassa'"
                            + " and provider_payment_id = :payment and event_type = :event")
                    .param("payment", paymentId).param("event", event).query(byte[].class).optional();
            if (body.isPresent()) {
                return JSON.readTree(body.get());
            }
            Api.sleep(50);
        }
        throw new AssertionError("no " + event + " notification for " + paymentId);
    }

    @Test
    void a_created_payment_is_the_documented_pending_payment_and_a_repeat_with_its_key_is_the_same_answer() {
        String key = key();
        Api.Response created = shop("POST", "/payments", example("create-payment-request.json"), key).expect(200);
        sameShape("payment-pending.json", created.body(), PAYMENT_VALUES);
        assertThat(created.text("id")).hasSize(36).matches(ID);
        assertThat(created.text("created_at")).matches(TIME);
        assertThat(created.body().path("confirmation").path("confirmation_url").asText())
                .isEqualTo(api.base() + "/sandbox/yookassa/checkout/payments/v2/contract?orderId=" + created.text("id"));

        assertThat(shop("POST", "/payments", example("create-payment-request.json"), key).expect(200).raw())
                .isEqualTo(created.raw());
        Api.Response other = shop("POST", "/payments", example("create-payment-request.json")
                .replace("1500.00", "1400.00"), key).expect(400);
        sameShape("error-invalid-request.json", other.body(), Set.of("type", "code"));
        assertThat(other.text("parameter")).isEqualTo("Idempotence-Key");
        assertThat(shop("POST", "/payments", example("create-payment-request.json"), null).expect(400)
                .text("parameter")).isEqualTo("Idempotence-Key");
        assertThat(shop("GET", "/payments/" + created.text("id"), null, null).expect(200).text("status"))
                .isEqualTo("pending");
    }

    @Test
    void wrong_credentials_get_yookassas_401() {
        Api.Response refused = yookassa("GET", "/payments/2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f", null, null,
                "100500:wrong");
        assertThat(refused.status()).isEqualTo(401);
        sameShape("error-invalid-credentials.json", refused.body(), Set.of("type", "code", "parameter"));
        assertThat(yookassa("GET", "/payments/x", null, null, null).status()).isEqualTo(401);
    }

    @Test
    void an_amount_in_the_wrong_form_is_refused_naming_the_parameter() {
        Api.Response refused = shop("POST", "/payments", example("create-payment-request.json")
                .replace("\"1500.00\"", "\"1500.005\""), key()).expect(400);
        sameShape("error-invalid-request.json", refused.body(), Set.of("type", "code"));
        assertThat(refused.text("parameter")).isEqualTo("amount.value");
        assertThat(shop("POST", "/payments", example("create-payment-request.json").replace("\"1500.00\"", "1500"),
                key()).expect(400).text("parameter")).isEqualTo("amount.value");
    }

    @Test
    void an_authorised_payment_its_partial_capture_and_refunds_follow_the_documented_objects() {
        String id = paidPayment("3ds_succeeded");
        JsonNode waiting = shop("GET", "/payments/" + id, null, null).expect(200).body();
        sameShape("payment-waiting-for-capture.json", waiting, PAYMENT_VALUES);
        assertThat(waiting.path("expires_at").asText()).matches(TIME);
        sameShape("notification-payment-waiting-for-capture.json", notification(id, "payment.waiting_for_capture"),
                Set.of("type", "event", "object.status", "object.paid", "object.amount"));

        // capture 1000.00 of 1500.00: the payment completes, YooKassa keeps 3.5 %
        Api.Response captured = shop("POST", "/payments/" + id + "/capture", example("capture-payment-request.json"),
                key()).expect(200);
        sameShape("payment-succeeded.json", captured.body(), PAYMENT_VALUES);
        assertThat(captured.text("captured_at")).matches(TIME);
        sameShape("notification-payment-succeeded.json", notification(id, "payment.succeeded"),
                Set.of("type", "event", "object.status", "object.amount", "object.income_amount"));
        Api.Response again = shop("POST", "/payments/" + id + "/capture", example("capture-payment-request.json"),
                key()).expect(400);
        assertThat(again.text("type")).isEqualTo("error");
        assertThat(again.text("code")).isEqualTo("invalid_request");

        String refundRequest = example("create-refund-request.json").replace("2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f", id);
        Api.Response refund = shop("POST", "/refunds", refundRequest, key()).expect(200);
        sameShape("refund-succeeded.json", refund.body(), Set.of("status", "amount", "description", "metadata"));
        assertThat(refund.text("id")).hasSize(36).matches("[0-9a-f]{8}-0015-5000-[89ab]000-[0-9a-f]{12}");
        assertThat(refund.text("payment_id")).isEqualTo(id);
        sameShape("notification-refund-succeeded.json", notification(id, "refund.succeeded"),
                Set.of("type", "event", "object.status", "object.amount", "object.metadata"));
        JsonNode list = shop("GET", "/refunds?payment_id=" + id, null, null).expect(200).body();
        sameShape("refunds-list.json", list, Set.of("type"));
        assertThat(list.path("items").get(0)).isEqualTo(refund.body());
        assertThat(shop("GET", "/refunds/" + refund.text("id"), null, null).expect(200).body()).isEqualTo(refund.body());
        JsonNode after = shop("GET", "/payments/" + id, null, null).expect(200).body();
        assertThat(after.path("refunded_amount").path("value").asText()).isEqualTo("300.00");
        Api.Response tooMuch = shop("POST", "/refunds", refundRequest.replace("300.00", "800.00"), key()).expect(400);
        assertThat(tooMuch.text("parameter")).isEqualTo("amount");
    }

    @Test
    void a_canceled_authorisation_is_the_documented_canceled_payment() {
        String id = paidPayment("3ds_succeeded");
        Api.Response canceled = shop("POST", "/payments/" + id + "/cancel", null, key()).expect(200);
        sameShape("payment-canceled-by-merchant.json", canceled.body(), PAYMENT_VALUES);
        assertThat(shop("POST", "/payments/" + id + "/cancel", null, key()).status()).isEqualTo(400);
    }

    @Test
    void a_pending_payment_cannot_be_canceled_through_the_api() {
        String id = shop("POST", "/payments", example("create-payment-request.json"), key()).expect(200).text("id");
        Api.Response refused = shop("POST", "/payments/" + id + "/cancel", null, key()).expect(400);
        assertThat(refused.text("code")).isEqualTo("invalid_request");
        assertThat(shop("GET", "/payments/" + id, null, null).text("status")).isEqualTo("pending");
    }

    @Test
    void a_declined_payment_is_the_documented_declined_payment_and_its_notification() {
        String id = paidPayment("declined");
        sameShape("payment-canceled-declined.json", shop("GET", "/payments/" + id, null, null).expect(200).body(),
                Set.of("status", "paid", "cancellation_details", "refundable", "test", "payment_method.type"));
        sameShape("notification-payment-canceled.json", notification(id, "payment.canceled"),
                Set.of("type", "event", "object.status", "object.cancellation_details"));
        JsonNode threeDs = shop("GET", "/payments/" + paidPayment("3ds_failed"), null, null).expect(200).body();
        assertThat(threeDs.path("cancellation_details").path("reason").asText()).isEqualTo("3d_secure_failed");
    }

    @Test
    void the_hosted_page_takes_the_four_outcomes_and_refuses_others() {
        String id = shop("POST", "/payments", example("create-payment-request.json"), key()).expect(200).text("id");
        String page = api.base() + "/sandbox/yookassa/checkout/payments/v2/contract?orderId=" + id;
        Api.Response shown = api.send(HttpRequest.newBuilder(URI.create(page)).GET().build());
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.raw()).contains("1500.00 RUB").contains("3ds_succeeded");
        assertThat(api.completeSandboxPage(page, "maybe")).isEqualTo(400);
        assertThat(api.completeSandboxPage(page, "succeeded")).isEqualTo(303);
        assertThat(api.completeSandboxPage(page, "succeeded")).as("no longer pending").isEqualTo(409);
    }

    @Test
    void the_registries_list_captured_payments_net_of_the_fee_and_refunds_in_moscow_time() {
        String id = paidPayment("succeeded");
        shop("POST", "/payments/" + id + "/capture", example("capture-payment-request.json"), key()).expect(200);
        String refund = shop("POST", "/refunds", example("create-refund-request.json")
                .replace("2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f", id), key()).expect(200).text("id");
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Moscow"));
        String window = "from=" + today.minusDays(1) + "&to=" + today.plusDays(1);
        String payments = api.sandbox("GET", "/reports/yookassa/registry?" + window, null).expect(200).raw();
        assertThat(payments).startsWith("\uFEFFИдентификатор платежа;Сумма платежа;Валюта платежа;"
                + "Сумма за вычетом комиссии;Время платежа;");
        assertThat(payments).containsPattern(id + ";1000\\.00;RUB;965\\.00;\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}:\\d{2};"
                + id + ";Order 1042;bank_card;1042\n");
        String refunds = api.sandbox("GET", "/reports/yookassa/registry?" + window + "&kind=refunds", null).expect(200)
                .raw();
        assertThat(refunds).startsWith("\uFEFFИдентификатор возврата;Идентификатор платежа;Сумма возврата;");
        assertThat(refunds).containsPattern(refund + ";" + id + ";300\\.00;RUB;[0-9. :]{19};1042\n");
        assertThat(api.sandbox("GET", "/reports/yookassa/registry?" + window + "&kind=other", null).status())
                .isEqualTo(400);
    }

    @Test
    void api_faults_apply_to_the_dialect_and_a_500_is_yookassas() {
        String id = paidPayment("succeeded");
        api.sandbox("POST", "/faults", "{\"payment\":\"" + id + "\",\"api\":\"error_500\"}").expect(200);
        Api.Response failed = shop("POST", "/payments/" + id + "/capture", "{}", key());
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.text("type")).isEqualTo("error");
        assertThat(failed.text("code")).isEqualTo("internal_server_error");
        api.sandbox("DELETE", "/faults?payment=" + id, null).expect(200);
        assertThat(shop("POST", "/payments/" + id + "/capture", "{}", key()).expect(200).text("status"))
                .isEqualTo("succeeded");
        assertThat(shop("GET", "/payments/" + id, null, null).body().path("amount").path("value").asText())
                .isEqualTo("1500.00");
    }
}
