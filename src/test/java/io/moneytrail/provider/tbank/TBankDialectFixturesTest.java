package io.moneytrail.provider.tbank;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox's T-Bank dialect answers field by field as T-Bank's documented examples
 * (src/test/resources/provider-examples/tbank): the same field names, the same JSON types
 * (PaymentId a string in Init, GetState and Confirm answers, a number in Cancel answers and
 * notifications), Success and ErrorCode as documented; and it de-duplicates as T-Bank does.
 */
class TBankDialectFixturesTest extends ApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    JsonNode call(String method, Map<String, Object> parameters, String password) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("TerminalKey", TBankContourTest.TERMINAL);
        body.putAll(parameters);
        body.put("Token", TBankToken.of(body, password));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/sandbox/tbank/v2/" + method))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    JsonNode call(String method, Map<String, Object> parameters) throws Exception {
        return call(method, parameters, TBankContourTest.PASSWORD);
    }

    /** Every field ours has is a documented one of the same JSON type; with {@code exact}, no documented one is missing. */
    static void sameShape(String fixture, String part, JsonNode ours, boolean exact) {
        JsonNode documented = TBankTokenTest.example(fixture).get(part);
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : ours.properties()) {
            names.add(field.getKey());
            assertThat(documented.has(field.getKey())).as(fixture + " documents " + field.getKey()).isTrue();
            assertThat(field.getValue().getNodeType()).as(fixture + ": type of " + field.getKey())
                    .isEqualTo(documented.get(field.getKey()).getNodeType());
        }
        if (exact) {
            List<String> expected = new ArrayList<>();
            documented.properties().forEach(e -> expected.add(e.getKey()));
            assertThat(names).as(fixture + " fields").containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    Map<String, Object> init(String orderId, long amount, String payType) {
        Map<String, Object> init = new LinkedHashMap<>();
        init.put("Amount", amount);
        init.put("OrderId", orderId);
        init.put("Description", "Подарочная карта");
        init.put("PayType", payType);
        init.put("SuccessURL", "https://shop.example/ok");
        init.put("FailURL", "https://shop.example/fail");
        init.put("DATA", Map.of("order_id", "ord_fixture"));
        return init;
    }

    String authorizedOnTheForm(String orderId, long amount) throws Exception {
        JsonNode created = call("Init", init(orderId, amount, "T"));
        TBankContourTest.pay(created.path("PaymentURL").asString(), "succeeded");
        return created.path("PaymentId").asString();
    }

    @Test
    void init_answers_as_documented_and_is_deduplicated_by_order_id() throws Exception {
        String orderId = "pay_fixture_init_" + System.nanoTime();
        JsonNode created = call("Init", init(orderId, 140_000, "O"));
        sameShape("init-answer.json", "answer", created, true);
        assertThat(created.path("Success").asBoolean()).isTrue();
        assertThat(created.path("ErrorCode").asString()).isEqualTo("0");
        assertThat(created.path("Status").asString()).isEqualTo("NEW");
        assertThat(created.path("OrderId").asString()).isEqualTo(orderId);
        assertThat(created.path("Amount").asLong()).isEqualTo(140_000);

        JsonNode again = call("Init", init(orderId, 140_000, "O"));
        assertThat(again.path("PaymentId").asString()).isEqualTo(created.path("PaymentId").asString());
        assertThat(again.path("PaymentURL").asString()).isEqualTo(created.path("PaymentURL").asString());
        JsonNode other = call("Init", init(orderId, 150_000, "O"));
        assertThat(other.path("Success").asBoolean()).isFalse();
        assertThat(other.path("ErrorCode").asString()).isEqualTo("20");
    }

    @Test
    void getstate_and_confirm_answer_as_documented() throws Exception {
        String paymentId = authorizedOnTheForm("pay_fixture_state_" + System.nanoTime(), 100_000);
        JsonNode state = call("GetState", Map.of("PaymentId", paymentId));
        sameShape("getstate-answer.json", "answer", state, true);
        assertThat(state.path("Status").asString()).isEqualTo("AUTHORIZED");
        assertThat(state.path("Amount").asLong()).isEqualTo(100_000);

        JsonNode confirmed = call("Confirm", Map.of("PaymentId", paymentId, "Amount", 70_000));
        sameShape("confirm-answer.json", "answer", confirmed, true);
        assertThat(confirmed.path("Status").asString()).isEqualTo("CONFIRMED");
        assertThat(confirmed.path("ErrorCode").asString()).isEqualTo("0");

        JsonNode twice = call("Confirm", Map.of("PaymentId", paymentId, "Amount", 70_000));
        sameShape("error-answer.json", "answer", twice, true);
        assertThat(twice.path("ErrorCode").asString()).isEqualTo("8");
    }

    @Test
    void cancel_answers_as_documented_and_is_deduplicated_by_external_request_id() throws Exception {
        String paymentId = authorizedOnTheForm("pay_fixture_cancel_" + System.nanoTime(), 13_000);
        call("Confirm", Map.of("PaymentId", paymentId));
        Map<String, Object> refund = Map.of("PaymentId", paymentId, "Amount", 8_000, "ExternalRequestId", "re_fixture_1");
        JsonNode cancelled = call("Cancel", refund);
        sameShape("cancel-answer.json", "answer", cancelled, true);
        assertThat(cancelled.path("Status").asString()).isEqualTo("PARTIAL_REFUNDED");
        assertThat(cancelled.path("OriginalAmount").asLong()).isEqualTo(13_000);
        assertThat(cancelled.path("NewAmount").asLong()).isEqualTo(5_000);
        assertThat(cancelled.path("ExternalRequestId").asString()).isEqualTo("re_fixture_1");

        JsonNode repeated = call("Cancel", refund);
        assertThat(repeated).isEqualTo(cancelled);
        assertThat(call("GetState", Map.of("PaymentId", paymentId)).path("Amount").asLong())
                .as("refunded once").isEqualTo(5_000);
        JsonNode tooMuch = call("Cancel", Map.of("PaymentId", paymentId, "Amount", 5_001, "ExternalRequestId", "re_fixture_2"));
        assertThat(tooMuch.path("ErrorCode").asString()).isEqualTo("330");
    }

    @Test
    void a_wrong_token_gets_tbanks_error_answer() throws Exception {
        JsonNode refused = call("Init", init("pay_fixture_token_" + System.nanoTime(), 1_000, "O"), "wrong-password");
        sameShape("error-answer.json", "answer", refused, true);
        assertThat(refused.path("Success").asBoolean()).isFalse();
        assertThat(refused.path("ErrorCode").asString()).isEqualTo("204");
        JsonNode unknown = call("GetState", Map.of("PaymentId", "99999999999"));
        assertThat(unknown.path("ErrorCode").asString()).isEqualTo("255");
    }

    @Test
    void notifications_have_the_documented_fields_and_a_valid_token() throws Exception {
        String paymentId = authorizedOnTheForm("pay_fixture_notify_" + System.nanoTime(), 2_500);
        List<String> payloads = jdbc.sql("select payload from sandbox.sbx_events where payment_id = :p order by created_at")
                .param("p", paymentId).query(String.class).list();
        assertThat(payloads).hasSize(1);
        JsonNode notification = JSON.readTree(payloads.get(0));
        sameShape("notification-payment.json", "notification", notification, false);
        for (String required : List.of("TerminalKey", "OrderId", "Success", "Status", "PaymentId", "ErrorCode", "Amount",
                "Token")) {
            assertThat(notification.has(required)).as(required).isTrue();
        }
        assertThat(notification.path("Status").asString()).isEqualTo("AUTHORIZED");
        assertThat(TBankToken.matches(notification, TBankContourTest.PASSWORD)).isTrue();
        // the dialect counts a notification delivered only on HTTP 200 with the body OK, as T-Bank
        // does; Moneytrail's plain-text acknowledgement is that answer
        Instant deadline = Instant.now().plusSeconds(15);
        String delivered = null;
        while (delivered == null && Instant.now().isBefore(deadline)) {
            delivered = jdbc.sql("select delivered_at::text from sandbox.sbx_events where payment_id = :p")
                    .param("p", paymentId).query(String.class).optional().orElse(null);
            Api.sleep(100);
        }
        assertThat(delivered).as("delivered to Moneytrail under T-Bank's rule").isNotNull();
    }
}
