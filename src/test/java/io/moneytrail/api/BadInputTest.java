package io.moneytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Hostile and malformed input: a 4xx with the error envelope naming the param, nothing written. */
class BadInputTest extends ApiTest {

    private long rows() {
        return jdbc.sql("select (select count(*) from orders) + (select count(*) from payments) "
                + "+ (select count(*) from refunds) + (select count(*) from order_lines)"
                + "+ (select count(*) from journal_entries) + (select count(*) from recon_files)"
                + "+ (select count(*) from webhook_endpoints)").query(Long.class).single();
    }

    /** A request written byte for byte: HttpClient refuses to send %zz or a raw NUL. */
    private Api.Response raw(String method, String target, String contentType, byte[] body) {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(60_000);
            String head = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Authorization: Bearer " + api.key() + "\r\n"
                    + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                    + "Content-Length: " + body.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            String reply = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int status = Integer.parseInt(reply.substring(9, 12));
            String json = reply.substring(reply.indexOf('{'), reply.lastIndexOf('}') + 1);
            return new Api.Response(status, new tools.jackson.databind.json.JsonMapper().readTree(json), reply);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Api.Response rawGet(String target) {
        return raw("GET", target, null, new byte[0]);
    }

    private Api.Response rejected(int status, Supplier<Api.Response> call) {
        long before = rows();
        Api.Response response = call.get();
        assertThat(response.status()).as(response.raw()).isEqualTo(status);
        assertThat(response.body().path("error").path("type").asText()).as(response.raw()).isNotEmpty();
        assertThat(response.raw()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(rows()).as("nothing written").isEqualTo(before);
        return response;
    }

    private static String order(String line) {
        return "{\"currency\":\"EUR\",\"lines\":[" + line + "]}";
    }

    @Test
    void malformed_json() {
        assertThat(rejected(400, () -> api.post("/v1/orders", "{\"currency\":")).errorCode()).isEqualTo("body_invalid");
        rejected(400, () -> api.post("/v1/orders", "not json"));
        rejected(400, () -> api.post("/v1/orders", ""));
        rejected(400, () -> api.post("/v1/orders", "[]"));
    }

    @Test
    void unknown_fields_are_named() {
        assertThat(rejected(400, () -> api.post("/v1/orders",
                order("{\"sku\":\"a\",\"name\":\"a\",\"quantity\":1,\"unit_amount\":5,\"colour\":\"red\"}")))
                .errorParam()).isEqualTo("lines[0][colour]");
    }

    @Test
    void zero_negative_fractional_and_overflowing_amounts() {
        assertThat(rejected(400, () -> api.post("/v1/orders",
                order("{\"sku\":\"a\",\"name\":\"a\",\"quantity\":1,\"unit_amount\":0}"))).errorParam())
                .isEqualTo("lines[0][unit_amount]");
        assertThat(rejected(400, () -> api.post("/v1/orders",
                order("{\"sku\":\"a\",\"name\":\"a\",\"quantity\":1,\"unit_amount\":-5}"))).errorParam())
                .isEqualTo("lines[0][unit_amount]");
        assertThat(rejected(400, () -> api.post("/v1/orders",
                order("{\"sku\":\"a\",\"name\":\"a\",\"quantity\":1,\"unit_amount\":12.5}"))).errorParam())
                .isEqualTo("lines[0][unit_amount]");
        assertThat(rejected(400, () -> api.post("/v1/orders",
                order("{\"sku\":\"a\",\"name\":\"a\",\"quantity\":1,\"unit_amount\":99999999999999999999999}")))
                .errorParam()).isEqualTo("lines[0][unit_amount]");
        assertThat(rejected(400, () -> api.post("/v1/orders",
                order("{\"sku\":\"a\",\"name\":\"a\",\"quantity\":1000000,\"unit_amount\":99999999999999}")))
                .errorCode()).isEqualTo("amount_too_large");
        assertThat(rejected(400, () -> api.post("/v1/orders",
                order("{\"sku\":\"a\",\"name\":\"a\",\"quantity\":\"1\",\"unit_amount\":5}"))).errorParam())
                .isEqualTo("lines[0][quantity]");
    }

    @Test
    void quantity_zero() {
        assertThat(rejected(400, () -> api.post("/v1/orders",
                order("{\"sku\":\"a\",\"name\":\"a\",\"quantity\":0,\"unit_amount\":5}"))).errorParam())
                .isEqualTo("lines[0][quantity]");
    }

    @Test
    void unknown_and_lower_case_currency() {
        assertThat(rejected(400, () -> api.post("/v1/orders", "{\"currency\":\"ZZZ\",\"lines\":[{\"sku\":\"a\","
                + "\"name\":\"a\",\"quantity\":1,\"unit_amount\":5}]}")).errorParam()).isEqualTo("currency");
        rejected(400, () -> api.post("/v1/orders", "{\"currency\":\"eur\",\"lines\":[{\"sku\":\"a\",\"name\":\"a\","
                + "\"quantity\":1,\"unit_amount\":5}]}"));
    }

    @Test
    void vat_rate_out_of_range_and_missing_fields() {
        assertThat(rejected(400, () -> api.post("/v1/orders",
                order("{\"sku\":\"a\",\"name\":\"a\",\"quantity\":1,\"unit_amount\":5,\"vat_rate\":150}"))).errorParam())
                .isEqualTo("lines[0][vat_rate]");
        assertThat(rejected(400, () -> api.post("/v1/orders", order("{\"name\":\"a\",\"quantity\":1,\"unit_amount\":5}")))
                .errorParam()).isEqualTo("lines[0][sku]");
        assertThat(rejected(400, () -> api.post("/v1/orders", "{\"currency\":\"EUR\"}")).errorParam()).isEqualTo("lines");
    }

    @Test
    void ten_thousand_lines() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            lines.append(i == 0 ? "" : ",").append("{\"sku\":\"s").append(i)
                    .append("\",\"name\":\"n\",\"quantity\":1,\"unit_amount\":1}");
        }
        assertThat(rejected(400, () -> api.post("/v1/orders", order(lines.toString()))).errorCode())
                .isEqualTo("too_many_lines");
    }

    @Test
    void a_ten_megabyte_body() {
        String huge = "{\"currency\":\"EUR\",\"reference\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        assertThat(rejected(413, () -> api.post("/v1/orders", huge)).errorCode()).isEqualTo("body_too_large");
        // and the service keeps serving
        api.createOrder(100, 1);
    }

    @Test
    void unknown_ids_are_404_naming_the_object() {
        assertThat(rejected(404, () -> api.get("/v1/orders/ord_nope")).errorParam()).isEqualTo("order");
        assertThat(rejected(404, () -> api.get("/v1/payments/pay_nope")).errorParam()).isEqualTo("payment");
        assertThat(rejected(404, () -> api.get("/v1/refunds/re_nope")).errorParam()).isEqualTo("refund");
        assertThat(rejected(404, () -> api.post("/v1/orders/ord_nope/payments", "{}")).errorParam()).isEqualTo("order");
        assertThat(rejected(404, () -> api.post("/v1/refunds", "{\"payment\":\"pay_nope\"}")).errorParam())
                .isEqualTo("payment");
        rejected(404, () -> api.post("/v1/payments/pay_nope/capture", "{}"));
        rejected(404, () -> api.get("/v1/no/such/route"));
    }

    @Test
    void bad_payment_parameters() {
        String order = api.createOrder(100, 1).text("id");
        assertThat(rejected(400, () -> api.post("/v1/orders/" + order + "/payments", "{\"provider\":\"paypal\"}"))
                .errorParam()).isEqualTo("provider");
        assertThat(rejected(400, () -> api.post("/v1/orders/" + order + "/payments",
                "{\"provider\":\"sandbox\",\"capture_method\":\"later\"}")).errorParam()).isEqualTo("capture_method");
        assertThat(rejected(400, () -> api.post("/v1/orders/" + order + "/payments",
                "{\"provider\":\"sandbox\",\"return_url\":\"javascript:alert(1)\"}")).errorParam()).isEqualTo("return_url");
        assertThat(rejected(400, () -> api.post("/v1/refunds", "{\"amount\":5}")).errorParam()).isEqualTo("payment");
    }

    @Test
    void wrong_method_and_content_type() {
        rejected(405, () -> api.send(api.request("/v1/orders").DELETE().build()));
        rejected(415, () -> api.send(api.request("/v1/orders").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build()));
    }

    @Test
    void the_service_answers_garbage_paths_without_a_stack_trace() {
        Api.Response response = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/orders/%2e%2e%2f"))
                .header("Authorization", "Bearer " + api.key()).GET().build());
        assertThat(response.status()).isBetween(400, 499);
        assertThat(response.raw()).doesNotContain("Exception");
    }

    // ------------------------------------------------------------ input PostgreSQL would refuse

    @Test
    void a_nul_character_in_any_json_string_is_a_400_naming_the_field() {
        Api.Response top = rejected(400, () -> api.post("/v1/orders", "{\"currency\":\"EUR\",\"reference\":\"A\\u0000B\","
                + "\"lines\":[{\"sku\":\"a\",\"name\":\"a\",\"quantity\":1,\"unit_amount\":5}]}"));
        assertThat(top.errorCode()).isEqualTo("parameter_invalid");
        assertThat(top.errorParam()).isEqualTo("reference");
        assertThat(top.body().path("error").path("message").asText()).contains("NUL");
        assertThat(rejected(400, () -> api.post("/v1/orders",
                order("{\"sku\":\"a\",\"name\":\"\\u0000\",\"quantity\":1,\"unit_amount\":5}"))).errorParam())
                .isEqualTo("lines[0][name]");
        assertThat(rejected(400, () -> api.post("/v1/orders", "{\"currency\":\"EUR\",\"metadata\":{\"k\\u0000\":\"v\"},"
                + "\"lines\":[{\"sku\":\"a\",\"name\":\"a\",\"quantity\":1,\"unit_amount\":5}]}")).errorCode())
                .isEqualTo("parameter_invalid");
        assertThat(rejected(400, () -> api.post("/v1/ledger/adjustments", "{\"reason\":\"x\\u0000\",\"lines\":[]}"))
                .errorParam()).isEqualTo("reason");
        assertThat(rejected(400, () -> api.post("/v1/webhook_endpoints", "{\"url\":\"https://a.example/\\u0000\"}"))
                .errorParam()).isEqualTo("url");
    }

    @Test
    void an_unpaired_surrogate_in_a_json_string_is_a_400_naming_the_field() {
        Api.Response response = rejected(400, () -> api.post("/v1/orders", "{\"currency\":\"EUR\",\"reference\":\"\\ud800x\","
                + "\"lines\":[{\"sku\":\"a\",\"name\":\"a\",\"quantity\":1,\"unit_amount\":5}]}"));
        assertThat(response.errorParam()).isEqualTo("reference");
        assertThat(response.body().path("error").path("message").asText()).contains("surrogate");
    }

    @Test
    void odd_but_valid_unicode_is_kept_as_sent() {
        String reference = "\u202Eevil\u202C e\u0301 \uD83D\uDCB8";
        String id = api.post("/v1/orders", "{\"currency\":\"EUR\",\"reference\":\"" + reference + "\","
                + "\"lines\":[{\"sku\":\"a\",\"name\":\"a\",\"quantity\":1,\"unit_amount\":5}]}").expect(200).text("id");
        assertThat(api.get("/v1/orders/" + id).expect(200).text("reference")).isEqualTo(reference);
    }

    /**
     * Refused with a 400 envelope: by the security firewall (which refuses some of these in any
     * URL: request_rejected) or, past it, by our query check, which names the parameter.
     */
    private void refusedNaming(String param, java.util.function.Supplier<Api.Response> call) {
        Api.Response response = rejected(400, call);
        assertThat(response.errorCode()).as(response.raw()).isIn("parameter_invalid", "request_rejected");
        if (response.errorCode().equals("parameter_invalid")) {
            assertThat(response.errorParam()).as(response.raw()).isEqualTo(param);
        }
    }

    @Test
    void a_nul_or_broken_percent_encoding_in_a_query_parameter_is_a_400_naming_it() {
        for (String list : java.util.List.of("/v1/orders", "/v1/events", "/v1/webhook_endpoints", "/v1/ledger/entries",
                "/v1/reconciliation/files", "/v1/reconciliation/runs", "/v1/reconciliation/exceptions")) {
            for (String value : java.util.List.of("%00", "A%00B", "%zz", "%", "%C3%28", "%ED%A0%80")) {
                refusedNaming("starting_after", () -> rawGet(list + "?starting_after=" + value));
            }
        }
        refusedNaming("from", () -> rawGet("/v1/ledger/export?format=csv&from=%zz&to=2026-01-01"));
        refusedNaming("account", () -> rawGet("/v1/ledger/entries?account=a%zz"));
        refusedNaming("name", () -> raw("POST", "/v1/reconciliation/files?kind=provider&name=a%zz", "text/csv",
                "x".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        // what the firewall lets through is still checked here
        Api.Response invalidUtf8 = rejected(400, () -> rawGet("/v1/orders?starting_after=%C3%28"));
        assertThat(invalidUtf8.errorParam()).as(invalidUtf8.raw()).isEqualTo("starting_after");
    }

    @Test
    void a_cursor_that_is_not_an_id_of_the_listed_kind_is_a_400() {
        for (String list : java.util.List.of("/v1/orders", "/v1/ledger/entries", "/v1/reconciliation/files",
                "/v1/reconciliation/runs", "/v1/reconciliation/exceptions")) {
            assertThat(rejected(400, () -> api.get(list + "?starting_after=pay_01jd7x0c9m4s3y2r8v6k5t1q0w")).errorParam())
                    .as(list).isEqualTo("starting_after");
            assertThat(rejected(400, () -> api.get(list + "?starting_after=" + "x".repeat(2000))).errorParam())
                    .as(list).isEqualTo("starting_after");
        }
        // a well-formed cursor that names nothing is an empty page, not an error
        api.get("/v1/orders?starting_after=ord_00000000000000000000000000").expect(200);
    }

    @Test
    void dates_and_instants_outside_years_1_to_9999_are_a_400_naming_the_parameter() {
        for (String value : java.util.List.of("%2B300000-01-01T00:00:00Z", "-5000-01-01T00:00:00Z", "0000-01-01",
                "0000-01-01T00:00:00Z", "999999999999")) {
            assertThat(rejected(400, () -> api.get("/v1/ledger/trial-balance?as_of=" + value)).errorParam())
                    .as(value).isEqualTo("as_of");
            assertThat(rejected(400, () -> api.get("/v1/ledger/entries?from=" + value)).errorParam())
                    .as(value).isEqualTo("from");
        }
        assertThat(rejected(400, () -> api.get("/v1/ledger/export?format=csv&from=%2B300000-01-01&to=%2B300000-01-02"))
                .errorParam()).isEqualTo("from");
        assertThat(rejected(400, () -> api.post("/v1/reconciliation/runs",
                "{\"from\":\"+300000-01-01\",\"to\":\"+300000-01-02\",\"provider_file\":\"rf_x\"}")).errorParam())
                .isEqualTo("from");
        assertThat(rejected(400, () -> api.post("/v1/ledger/adjustments", "{\"reason\":\"x\",\"effective_at\":"
                + "\"+300000-01-01T00:00:00Z\",\"lines\":[{\"account\":\"assets:bank:configured\",\"direction\":\"debit\","
                + "\"amount\":1,\"currency\":\"EUR\"},{\"account\":\"assets:bank:configured\",\"direction\":\"credit\","
                + "\"amount\":1,\"currency\":\"EUR\"}]}")).errorParam()).isEqualTo("effective_at");
    }

    @Test
    void a_wildcard_or_malformed_content_type_is_a_415() {
        for (String type : java.util.List.of("*/*", "application/*", "/", "json")) {
            assertThat(rejected(415, () -> raw("POST", "/v1/reconciliation/exceptions/rx_01zzzzzzzzzzzzzzzzzzzzzzzz/ignore",
                    type, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))).errorCode()).as(type)
                    .isEqualTo("content_type_unsupported");
            rejected(415, () -> raw("POST", "/v1/orders", type, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    @Test
    void a_nul_in_an_uploaded_statement_or_report_is_a_400_naming_the_line() {
        byte[] csv = "id,type\ntxn_1,char\u0000ge\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Api.Response response = rejected(400, () -> raw("POST", "/v1/reconciliation/files?kind=provider&format=sandbox"
                + "&name=nul.csv", "text/csv", csv));
        assertThat(response.errorCode()).isEqualTo("file_unusable");
        assertThat(response.body().path("error").path("message").asText()).contains(":2:").contains("NUL");
        byte[] mt940 = ":20:STMT\n:25:IT60X0542811101000000123456\n:28C:1/1\n:60F:C261127EUR100,00\n:86:A\u0000\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(rejected(400, () -> raw("POST", "/v1/reconciliation/files?kind=bank&format=mt940&name=nul.sta",
                "text/plain", mt940)).body().path("error").path("message").asText()).contains("NUL");
    }

    /** The safety net: what PostgreSQL refuses is a 400 (the statement, and its transaction, failed). */
    @Test
    void a_value_the_database_refuses_is_a_400_not_a_500() {
        java.util.Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("select cast(:v as text)", "parameter_invalid");
        refusals.put("select to_timestamp(1e15)", "parameter_invalid");
        refusals.put("select cast('\"\\u0000\"' as jsonb)", "parameter_invalid");
        refusals.put("select cast(9223372036854775807 as bigint) + 1", "parameter_invalid");
        refusals.put("do $$ declare v varchar(2); begin v := 'abc'; end $$", "parameter_too_long");
        refusals.forEach((sql, code) -> {
            RuntimeException refused = null;
            try {
                var statement = jdbc.sql(sql);
                (sql.contains(":v") ? statement.param("v", "A\u0000B") : statement).query().listOfRows();
            } catch (RuntimeException e) {
                refused = e;
            }
            assertThat(refused).as(sql).isNotNull();
            ApiError error = ApiExceptionHandler.refusedByDatabase(refused);
            assertThat(error).as(sql).isNotNull();
            assertThat(error.httpStatus()).isEqualTo(400);
            assertThat(error.code()).as(sql).isEqualTo(code);
        });
        assertThat(ApiExceptionHandler.refusedByDatabase(new IllegalStateException("a bug"))).isNull();
    }

    @Test
    void a_request_whose_accept_rules_out_json_is_a_406_before_anything_changes() {
        String order = api.createOrder(100, 1).text("id");
        for (String accept : java.util.List.of("text/html", "image/png", "application/json;q=0", "x")) {
            rejected(406, () -> api.send(api.request("/v1/orders/" + order + "/cancel").header("Accept", accept)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build()));
            rejected(406, () -> api.send(api.request("/v1/orders").header("Accept", accept)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"currency\":\"EUR\",\"lines\":[{\"sku\":\"a\",\"name\":\"a\",\"quantity\":1,\"unit_amount\":5}]}"))
                    .build()));
        }
        assertThat(api.get("/v1/orders/" + order).expect(200).text("status")).isEqualTo("open");
        // JSON among others, or anything, is fine; the export still answers its file types
        api.send(api.request("/v1/orders/" + order).header("Accept", "text/html, application/json;q=0.5").GET().build())
                .expect(200);
        api.send(api.request("/v1/orders/" + order).header("Accept", "*/*").GET().build()).expect(200);
    }

    @Test
    void a_path_whose_decoded_form_looks_like_broken_percent_encoding_is_a_4xx() {
        // %25 decodes to '%': the routing path is /v1/payments/%00%zz/cancel, which must not be decoded again
        // (the firewall now refuses %25 too; the audit filter no longer throws either way)
        Api.Response response = raw("POST", "/v1/payments/%2500%25zz/cancel", "application/json",
                "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.raw()).isBetween(400, 499);
        assertThat(response.errorType()).isEqualTo("invalid_request_error");
    }
}
