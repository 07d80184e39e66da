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
                + "+ (select count(*) from refunds) + (select count(*) from order_lines)").query(Long.class).single();
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
}
