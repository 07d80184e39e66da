package io.moneytrail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import io.moneytrail.testing.ProviderExamples;
import io.moneytrail.testing.Receiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox's ATOL Online v5 dialect, read as a client following ATOL's documentation reads it:
 * every answer (token, registration, report wait/done/fail, refusals, the callback) is compared
 * field by field with the documented examples in {@code src/test/resources/provider-examples/atol/}.
 */
class AtolDialectTest extends ApiTest {

    private static final JsonMapper JSON = new JsonMapper();
    private static final String V5 = "/sandbox/atol/possystem/v5";
    private static final String GROUP = "sandbox-group";
    private static final String TIME = "\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}:\\d{2}";
    private static final String UUID_FORM = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    // ---------------------------------------------------------------- a client as the documentation describes one

    private Api.Response atol(String method, String path, String body, String token, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + V5 + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Token", token);
        }
        return api.send(request.build());
    }

    private String token() {
        return atol("POST", "/getToken", example("gettoken-request.json"), null, "application/json; charset=utf-8")
                .expect(200).text("token");
    }

    private Api.Response register(String operation, String body, String token) {
        return atol("POST", "/" + GROUP + "/" + operation, body, token, "application/json; charset=utf-8");
    }

    private Api.Response report(String uuid, String token) {
        return atol("GET", "/" + GROUP + "/report/" + uuid, null, token, null);
    }

    private Api.Response reportUntil(String uuid, String token, Predicate<Api.Response> until) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Api.Response last = report(uuid, token);
        while (!until.test(last)) {
            assertThat(System.nanoTime()).as("report of %s: %s", uuid, last.raw()).isLessThan(deadline);
            Api.sleep(100);
            last = report(uuid, token);
        }
        return last;
    }

    private static String example(String name) {
        return ProviderExamples.text("atol/" + name);
    }

    /** A documented request with its own external_id (and, optionally, its callback). */
    private static String request(String name, String externalId, String callbackUrl) {
        String text = example(name).replaceFirst("\"external_id\": \"[^\"]+\"", "\"external_id\": \"" + externalId + "\"");
        if (callbackUrl != null) {
            text = text.replace("https://shop.example/atol/callback", callbackUrl);
        } else {
            text = text.replace("\"callback_url\": \"https://shop.example/atol/callback\"", "\"callback_url\": \"\"");
        }
        return text;
    }

    private static String externalId() {
        return "rcp_test_" + UUID.randomUUID();
    }

    private static void sameShape(String example, JsonNode answer, Set<String> values) {
        ProviderExamples.assertSameShape(ProviderExamples.json("atol/" + example), answer, values, Set.of());
    }

    private static void atolError(Api.Response answer, int http, int code, String type) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(http);
        JsonNode error = answer.body().path("error");
        assertThat(error.path("code").asInt()).as(answer.raw()).isEqualTo(code);
        assertThat(error.path("type").asString()).isEqualTo(type);
        assertThat(error.path("error_id").asString()).matches(UUID_FORM);
        assertThat(error.path("text").asString()).isNotBlank();
        assertThat(answer.text("timestamp")).matches(TIME);
    }

    // ---------------------------------------------------------------- getToken

    @Test
    void get_token_answers_the_documented_token_and_refuses_a_wrong_password_with_12() {
        Api.Response answer = atol("POST", "/getToken", example("gettoken-request.json"), null,
                "application/json; charset=utf-8").expect(200);
        sameShape("gettoken-answer.json", answer.body(), Set.of("error"));
        assertThat(answer.text("timestamp")).matches(TIME);
        assertThat(answer.text("token")).hasSizeGreaterThanOrEqualTo(32);

        Api.Response viaGet = atol("GET", "/getToken?login=sandbox-atol-login&pass=sandbox-atol-password", null, null,
                null).expect(200);
        assertThat(viaGet.text("token")).isNotEqualTo(answer.text("token"));

        Api.Response wrong = atol("POST", "/getToken", example("gettoken-request.json").replace("sandbox-atol-password",
                "wrong"), null, "application/json; charset=utf-8");
        sameShape("gettoken-error.json", wrong.body(), Set.of("error.code", "error.text", "error.type", "token"));
        atolError(wrong, 401, 12, "system");
        atolError(atol("POST", "/getToken", "{\"login\":\"sandbox-atol-login\"}", null, "application/json"), 400, 13,
                "system");
    }

    // ---------------------------------------------------------------- registration and report

    @Test
    void a_documented_sell_waits_then_is_done_with_the_documented_fiscal_attributes_and_its_ofd_page() {
        String token = token();
        String externalId = externalId();
        Api.Response registered = register("sell", request("sell-prepayment-request.json", externalId, null), token)
                .expect(200);
        sameShape("register-answer.json", registered.body(), Set.of("status", "error"));
        assertThat(registered.text("uuid")).matches(UUID_FORM);
        assertThat(registered.text("timestamp")).matches(TIME);
        String uuid = registered.text("uuid");

        Api.Response done = reportUntil(uuid, token, r -> !"wait".equals(r.text("status")));
        sameShape("report-done.json", done.body(), Set.of("status", "error", "group_code", "daemon_code",
                "device_code", "payload.fns_site", "payload.fn_number", "payload.ecr_registration_number"));
        JsonNode payload = done.body().path("payload");
        assertThat(done.text("external_id")).isEqualTo(externalId);
        assertThat(done.text("callback_url")).isEmpty();
        assertThat(payload.path("total").decimalValue()).isEqualByComparingTo("1520.00");
        assertThat(payload.path("receipt_datetime").asString()).matches("\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}:00");
        assertThat(payload.path("fiscal_document_attribute").asLong()).isBetween(1L, 4_294_967_295L);
        assertThat(payload.path("shift_number").asInt()).isPositive();
        assertThat(payload.path("fiscal_receipt_number").asInt()).isPositive();
        assertThat(payload.path("fn_number").asString()).matches("\\d{16}");
        assertThat(payload.path("ecr_registration_number").asString()).matches("\\d{16}");
        assertThat(payload.path("ofd_inn").asString()).matches("\\d{10}");
        assertThat(report(uuid, token).expect(200).body().path("payload")).isEqualTo(payload); // settled once

        // the next document: the next fiscal document number, the next receipt of the shift
        String next = register("sell", request("sell-offset-request.json", externalId(), null), token).expect(200)
                .text("uuid");
        JsonNode nextPayload = reportUntil(next, token, r -> "done".equals(r.text("status"))).body().path("payload");
        assertThat(nextPayload.path("fiscal_document_number").asLong())
                .isGreaterThan(payload.path("fiscal_document_number").asLong());
        assertThat(nextPayload.path("fiscal_receipt_number").asInt())
                .isGreaterThan(payload.path("fiscal_receipt_number").asInt());

        Api.Response page = api.send(HttpRequest.newBuilder(URI.create(payload.path("ofd_receipt_url").asString()))
                .GET().build());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw()).contains("Чайник электрический").contains("vat122")
                .contains(payload.path("fiscal_document_attribute").asString());
        assertThat(api.send(HttpRequest.newBuilder(URI.create(payload.path("ofd_receipt_url").asString()
                .replaceAll("fp=\\d+", "fp=1"))).GET().build()).status()).isEqualTo(404);
    }

    @Test
    void sell_refund_and_both_corrections_are_taken_and_fiscalised() {
        String token = token();
        for (String[] kind : new String[][] {{"sell_refund", "sell-refund-request.json"},
                {"sell_correction", "sell-correction-request.json"},
                {"sell_refund_correction", "sell-correction-request.json"}}) {
            String uuid = register(kind[0], request(kind[1], externalId(), null), token).expect(200).text("uuid");
            assertThat(reportUntil(uuid, token, r -> !"wait".equals(r.text("status"))).text("status"))
                    .as(kind[0]).isEqualTo("done");
        }
        // a correction carries "correction", not "receipt"
        Api.Response wrongPart = register("sell_correction", request("sell-prepayment-request.json", externalId(), null),
                token);
        atolError(wrongPart, 400, 32, "system");
        assertThat(wrongPart.body().path("error").path("text").asString()).contains("correction");
    }

    @Test
    void a_repeated_external_id_is_error_33_with_the_uuid_of_the_document_already_registered() {
        String token = token();
        String externalId = externalId();
        String body = request("sell-prepayment-request.json", externalId, null);
        String uuid = register("sell", body, token).expect(200).text("uuid");

        Api.Response again = register("sell", body, token);
        sameShape("register-error.json", again.body(), Set.of("status", "error.code", "error.type"));
        atolError(again, 400, 33, "system");
        assertThat(again.text("uuid")).isEqualTo(uuid);
        assertThat(again.body().path("error").path("text").asString()).contains(externalId).contains(GROUP);

        // another body under the same external_id: the same refusal, the first document's uuid
        Api.Response other = register("sell", body.replace("1520.00", "1519.00"), token);
        atolError(other, 400, 33, "system");
        assertThat(other.text("uuid")).isEqualTo(uuid);
        assertThat(jdbcCount(externalId)).isEqualTo(1);
    }

    private int jdbcCount(String externalId) {
        JsonNode documents = api.sandbox("GET", "/atol/documents?external_id=" + externalId, null).expect(200).body();
        return documents.path("data").size();
    }

    @Test
    void a_body_that_breaks_the_v5_schema_is_error_32_naming_every_wrong_field() {
        String token = token();
        String body = request("sell-prepayment-request.json", externalId(), null)
                .replaceFirst("\"measure\": 0", "\"measure\": \"шт\"")               // v4's string
                .replaceFirst("\"payment_object\": 4", "\"payment_object\": \"service\"")
                .replace("\"timestamp\": \"01.12.2026 12:00:00\"", "\"timestamp\": \"2026-12-01T12:00:00Z\"")
                .replace("\"email\": \"shop@example.com\",", "")
                .replace("\"type\": \"vat122\",\n          \"sum\": 220.00", "\"type\": \"vat18\",\n          \"sum\": 220.00");
        Api.Response refused = register("sell", body, token);
        atolError(refused, 400, 32, "system");
        assertThat(refused.body().path("uuid").isNull()).isTrue();
        assertThat(refused.text("status")).isEqualTo("fail");
        assertThat(refused.body().path("error").path("text").asString()).startsWith("Ошибка валидации входного чека")
                .contains("timestamp", "receipt.company.email", "receipt.items[0].measure",
                        "receipt.items[1].payment_object", "receipt.items[0].vat.type");
        Api.Response stringSum = register("sell", request("sell-prepayment-request.json", externalId(), null)
                .replace("\"total\": 1520.00", "\"total\": \"1520.00\""), token);
        assertThat(stringSum.body().path("error").path("text").asString()).contains("receipt.total");
        atolError(register("sell", request("sell-prepayment-request.json", externalId(), null)
                .replace("\"email\": \"customer@example.com\"", "\"name\": \"Иван\""), token), 400, 32, "system");
    }

    @Test
    void tokens_groups_content_types_operations_and_uuids_are_refused_with_atols_codes() {
        String token = token();
        String body = request("sell-prepayment-request.json", externalId(), null);
        atolError(register("sell", body, null), 401, 10, "system");
        atolError(register("sell", body, "not-a-token"), 401, 10, "system");
        atolError(atol("POST", "/other-group/sell", body, token, "application/json; charset=utf-8"), 401, 20, "system");
        atolError(atol("POST", "/" + GROUP + "/sell", body, token, "text/plain"), 415, 41, "system");
        atolError(register("sell", "{not json", token), 400, 40, "system");
        atolError(register("buy", body, token), 400, 31, "system");
        atolError(register("sell_everything", body, token), 400, 31, "system");
        Api.Response unknown = report(UUID.randomUUID().toString(), token);
        atolError(unknown, 400, 30, "system");
        assertThat(unknown.text("status")).isEqualTo("fail");
        atolError(report("not-a-uuid", token), 400, 30, "system");

        // the token may also travel as ?token=, as the documentation allows
        Api.Response viaQuery = atol("POST", "/" + GROUP + "/sell?token=" + token, body, null,
                "application/json; charset=utf-8").expect(200);
        assertThat(atol("GET", "/" + GROUP + "/report/" + viaQuery.text("uuid") + "?token=" + token, null, null, null)
                .status()).isEqualTo(200);

        // a token past its 24 hours is error 11
        String old = token();
        expireToken(old);
        atolError(register("sell", request("sell-prepayment-request.json", externalId(), null), old), 401, 11, "system");
    }

    /** The token table belongs to the sandbox's schema, in the same embedded database the tests use. */
    private void expireToken(String token) {
        int updated = jdbc.sql("update sandbox.sbx_atol_tokens set expires_at = now() - interval '1 second'"
                + " where token = :t").param("t", token).update();
        assertThat(updated).isEqualTo(1);
    }

    // ---------------------------------------------------------------- the register's own refusals and faults

    @Test
    void a_total_that_is_not_the_sum_of_the_lines_or_unpaid_fails_with_the_registers_driver_error() {
        String token = token();
        String wrongTotal = register("sell", request("sell-prepayment-request.json", externalId(), null)
                .replace("\"total\": 1520.00", "\"total\": 1500.00"), token).expect(200).text("uuid");
        Api.Response failed = reportUntil(wrongTotal, token, r -> !"wait".equals(r.text("status")));
        sameShape("report-fail.json", failed.body(), Set.of("status", "error.type", "payload"));
        assertThat(failed.body().path("error").path("code").asInt()).isEqualTo(-3803);

        String unpaid = register("sell", request("sell-prepayment-request.json", externalId(), null)
                .replace("\"sum\": 1520.00", "\"sum\": 1000.00"), token).expect(200).text("uuid");
        Api.Response short_ = reportUntil(unpaid, token, r -> !"wait".equals(r.text("status")));
        sameShape("report-fail.json", short_.body(), Set.of("status", "error.code", "error.text", "error.type",
                "payload"));
    }

    @Test
    void faults_per_external_id_fail_with_atols_codes_hold_a_document_in_wait_and_time_out_the_registration()
            throws Exception {
        String token = token();
        // fail with a timeout error of the queue
        String failing = externalId();
        api.sandbox("POST", "/atol/faults", "{\"external_id\":\"" + failing + "\",\"outcome\":\"fail\","
                + "\"error_type\":\"agent\",\"error_code\":2}").expect(200);
        String uuid = register("sell", request("sell-prepayment-request.json", failing, null), token).expect(200)
                .text("uuid");
        Api.Response failed = reportUntil(uuid, token, r -> !"wait".equals(r.text("status")));
        assertThat(failed.text("status")).isEqualTo("fail");
        assertThat(failed.body().path("error").path("code").asInt()).isEqualTo(2);
        assertThat(failed.body().path("error").path("type").asString()).isEqualTo("agent");
        assertThat(failed.body().path("error").path("text").asString())
                .isEqualTo("ККТ зарегистрирована с другим ИНН или адресом расчёта");

        // a long wait: still wait after a second; once the fault is lifted it settles
        String slow = externalId();
        api.sandbox("POST", "/atol/faults", "{\"external_id\":\"" + slow + "\",\"wait_ms\":3600000}").expect(200);
        String slowUuid = register("sell", request("sell-prepayment-request.json", slow, null), token).expect(200)
                .text("uuid");
        Api.sleep(1_000);
        Api.Response waiting = report(slowUuid, token).expect(200);
        sameShape("report-wait.json", waiting.body(), Set.of("status", "error", "payload", "daemon_code",
                "device_code", "callback_url"));
        api.sandbox("DELETE", "/atol/faults?external_id=" + slow, null).expect(200);
        assertThat(reportUntil(slowUuid, token, r -> !"wait".equals(r.text("status"))).text("status"))
                .isEqualTo("done");

        // the registration times out after doing the work: the retry is 33 with the same uuid
        String timedOut = externalId();
        api.sandbox("POST", "/atol/faults", "{\"external_id\":\"" + timedOut + "\",\"api\":\"timeout\","
                + "\"api_timeout_ms\":1500}").expect(200);
        HttpRequest impatient = HttpRequest.newBuilder(URI.create(api.base() + V5 + "/" + GROUP + "/sell"))
                .timeout(Duration.ofMillis(400)).header("Content-Type", "application/json; charset=utf-8")
                .header("Token", token)
                .POST(HttpRequest.BodyPublishers.ofString(request("sell-prepayment-request.json", timedOut, null)))
                .build();
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(impatient, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        api.sandbox("DELETE", "/atol/faults?external_id=" + timedOut, null).expect(200);
        Api.Response retry = register("sell", request("sell-prepayment-request.json", timedOut, null), token);
        atolError(retry, 400, 33, "system");
        assertThat(jdbcCount(timedOut)).isEqualTo(1);
        assertThat(reportUntil(retry.text("uuid"), token, r -> !"wait".equals(r.text("status"))).text("status"))
                .isEqualTo("done");

        // error_500 refuses before anything is registered: ATOL's 50
        String refused = externalId();
        api.sandbox("POST", "/atol/faults", "{\"external_id\":\"" + refused + "\",\"api\":\"error_500\"}").expect(200);
        atolError(register("sell", request("sell-prepayment-request.json", refused, null), token), 500, 50, "system");
        assertThat(jdbcCount(refused)).isZero();

        // the tooling refuses an error ATOL does not document unless its text is given
        assertThat(api.sandbox("POST", "/atol/faults", "{\"outcome\":\"fail\",\"error_type\":\"driver\","
                + "\"error_code\":-1234}").status()).isEqualTo(400);
    }

    @Test
    void a_global_fault_applies_to_every_document_until_it_is_reset() {
        String token = token();
        try {
            api.sandbox("POST", "/atol/faults", "{\"outcome\":\"fail\"}").expect(200);
            String uuid = register("sell", request("sell-prepayment-request.json", externalId(), null), token)
                    .expect(200).text("uuid");
            Api.Response failed = reportUntil(uuid, token, r -> !"wait".equals(r.text("status")));
            assertThat(failed.body().path("error").path("type").asString()).isEqualTo("timeout");
            assertThat(failed.body().path("error").path("code").asInt()).isEqualTo(1);
        } finally {
            api.sandbox("DELETE", "/atol/faults", null).expect(200);
        }
        String uuid = register("sell", request("sell-prepayment-request.json", externalId(), null), token).expect(200)
                .text("uuid");
        assertThat(reportUntil(uuid, token, r -> !"wait".equals(r.text("status"))).text("status")).isEqualTo("done");
    }

    @Test
    void a_settled_document_is_posted_to_its_callback_url_as_the_report_gives_it() {
        String token = token();
        try (Receiver store = Receiver.start()) {
            String externalId = externalId();
            String uuid = register("sell", request("sell-prepayment-request.json", externalId, store.url()), token)
                    .expect(200).text("uuid");
            Receiver.Received callback = store.await(r -> uuid.equals(r.json().path("uuid").asString()));
            sameShape("report-done.json", callback.json(), Set.of("status", "error", "group_code"));
            assertThat(callback.json().path("callback_url").asString()).isEqualTo(store.url());
            assertThat(callback.json().path("external_id").asString()).isEqualTo(externalId);
            JsonNode reported = report(uuid, token).expect(200).body();
            assertThat(callback.json().path("payload")).isEqualTo(reported.path("payload"));

            // a failed document is called back too, and a refused callback is retried
            store.answer(r -> r.attempt() == 0 && store.received().size() < 3 ? 500 : 200);
            String failing = externalId();
            api.sandbox("POST", "/atol/faults", "{\"external_id\":\"" + failing + "\",\"outcome\":\"fail\","
                    + "\"error_type\":\"driver\",\"error_code\":-3897}").expect(200);
            String failedUuid = register("sell", request("sell-prepayment-request.json", failing, store.url()), token)
                    .expect(200).text("uuid");
            java.util.List<Receiver.Received> calls = store.awaitCount(
                    r -> failedUuid.equals(r.json().path("uuid").asString()), 2);
            assertThat(calls.get(1).json().path("status").asString()).isEqualTo("fail");
            assertThat(calls.get(1).json().path("error").path("code").asInt()).isEqualTo(-3897);
        }
    }
}
