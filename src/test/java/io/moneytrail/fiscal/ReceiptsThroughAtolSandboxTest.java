package io.moneytrail.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Receipts end to end, through the in-process sandbox's ATOL v5 dialect (the default on the embedded
 * database): a paid rouble order shows a done advance receipt well within 30 s, fulfilment its offset,
 * a refund naming a line its sell_refund; a receipt ATOL fails waits in the review queue with ATOL's
 * error and is settled by a retry or a correction.
 */
class ReceiptsThroughAtolSandboxTest extends ApiTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    private String paidOrder() {
        String order = api.post("/v1/orders", """
                {"currency":"RUB","reference":"R-1","customer":{"email":"buyer@example.com"},
                 "lines":[{"sku":"KETTLE","name":"Чайник","quantity":1,"unit_amount":122000,"vat_rate":22},
                          {"sku":"CUP","name":"Чашка","quantity":2,"unit_amount":30500,"vat_rate":22},
                          {"sku":"DELIVERY","name":"Доставка","quantity":1,"unit_amount":35000,"vat_rate":22,
                           "payment_object":"service"}]}""").expect(200).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/payments/" + payment.text("id"), r -> "captured".equals(r.text("status")));
        return order;
    }

    private JsonNode receipts(String order, Predicate<JsonNode> until) {
        return OrderReceipts.await(api, order, WITHIN, until);
    }

    private static boolean all(JsonNode data, int count, String status) {
        return OrderReceipts.all(data, count, status);
    }

    @Test
    void a_paid_order_shows_a_done_advance_receipt_within_30_seconds_then_the_offset_then_the_refund() {
        long started = System.nanoTime();
        String order = paidOrder();
        JsonNode advance = receipts(order, d -> all(d, 1, "done")).get(0);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WITHIN);
        assertThat(advance.path("type").asText()).isEqualTo("sell");
        assertThat(advance.path("purpose").asText()).isEqualTo("prepayment");
        assertThat(advance.path("payment_method").asText()).isEqualTo("full_prepayment");
        assertThat(advance.path("total").asLong()).isEqualTo(218000);
        assertThat(advance.path("items")).extracting(i -> i.path("vat").asText()).containsOnly("vat122");
        assertThat(advance.path("items").get(2).path("payment_object").asInt()).isEqualTo(4);
        assertThat(advance.path("fiscal").path("fn_number").asText()).isNotBlank();
        assertThat(advance.path("fiscal").path("fiscal_sign").asLong()).isPositive();
        assertThat(advance.path("qr").asText()).matches("t=\\d{8}T\\d{4}&s=2180\\.00&fn=\\d+&i=\\d+&fp=\\d+&n=1");

        api.post("/v1/orders/" + order + "/fulfill", null).expect(200);
        JsonNode both = receipts(order, d -> all(d, 2, "done"));
        JsonNode offset = both.get(1);
        assertThat(offset.path("purpose").asText()).isEqualTo("offset");
        assertThat(offset.path("payment_method").asText()).isEqualTo("full_payment");
        assertThat(offset.path("items")).extracting(i -> i.path("vat").asText()).containsOnly("vat22");
        assertThat(offset.path("total").asLong()).isEqualTo(218000);

        String payment = advance.path("payment").asText();
        api.post("/v1/refunds", "{\"payment\":\"" + payment + "\",\"lines\":[{\"sku\":\"CUP\",\"quantity\":1}]}",
                "fiscal-refund-" + order).expect(200);
        JsonNode three = receipts(order, d -> all(d, 3, "done"));
        JsonNode refund = three.get(2);
        assertThat(refund.path("type").asText()).isEqualTo("sell_refund");
        assertThat(refund.path("payment_method").asText()).isEqualTo("full_payment");
        assertThat(refund.path("total").asLong()).isEqualTo(30500);
        assertThat(refund.path("items")).singleElement().satisfies(i -> {
            assertThat(i.path("sku").asText()).isEqualTo("CUP");
            assertThat(i.path("quantity").asLong()).isEqualTo(1);
            assertThat(i.path("vat").asText()).isEqualTo("vat22");
        });
        assertThat(refund.path("data").path("allocation").asText()).isEqualTo("lines");
        assertThat(refund.path("qr").asText()).endsWith("&n=2");
    }

    @Test
    void a_refund_line_the_order_does_not_have_or_too_many_is_refused() {
        String order = paidOrder();
        String payment = receipts(order, d -> d.size() == 1).get(0).path("payment").asText();
        Api.Response unknown = api.post("/v1/refunds", "{\"payment\":\"" + payment
                + "\",\"lines\":[{\"sku\":\"TEAPOT\",\"quantity\":1}]}", "fiscal-bad-sku-" + order);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.errorParam()).isEqualTo("lines[0][sku]");
        Api.Response tooMany = api.post("/v1/refunds", "{\"payment\":\"" + payment
                + "\",\"lines\":[{\"sku\":\"CUP\",\"quantity\":3}]}", "fiscal-too-many-" + order);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.errorParam()).isEqualTo("lines[0][quantity]");
    }

    @Test
    void a_failed_receipt_waits_in_the_review_queue_with_atols_error_and_a_retry_settles_it() {
        api.sandbox("POST", "/atol/faults", "{\"outcome\":\"fail\",\"error_type\":\"driver\",\"error_code\":-3897}")
                .expect(200);
        String order;
        JsonNode failed;
        try {
            order = paidOrder();
            failed = receipts(order, d -> all(d, 1, "failed")).get(0);
        } finally {
            api.sandbox("DELETE", "/atol/faults", null).expect(200);
        }
        assertThat(failed.path("error").path("code").asInt()).isEqualTo(-3897);
        assertThat(failed.path("error").path("type").asText()).isEqualTo("driver");
        String id = failed.path("id").asText();
        JsonNode reviews = api.get("/v1/reviews?limit=100").expect(200).body();
        assertThat(reviews.path("receipts")).extracting(r -> r.path("id").asText()).contains(id);

        JsonNode retried = api.post("/v1/receipts/" + id + "/retry", null).expect(200).body();
        assertThat(retried.path("status").asText()).isEqualTo("pending");
        assertThat(retried.path("external_id").asText()).isEqualTo(id + "-2");
        JsonNode done = receipts(order, d -> all(d, 1, "done")).get(0);
        assertThat(done.path("data").path("earlier_external_ids").get(0).path("external_id").asText()).isEqualTo(id);
        assertThat(api.get("/v1/reviews?limit=100").expect(200).body().path("receipts"))
                .extracting(r -> r.path("id").asText()).doesNotContain(id);
        assertThat(api.post("/v1/receipts/" + id + "/retry", null).expect(409).errorCode())
                .isEqualTo("receipt_not_failed");
    }

    @Test
    void a_failed_receipt_is_settled_by_a_correction_receipt() {
        api.sandbox("POST", "/atol/faults", "{\"outcome\":\"fail\",\"error_type\":\"driver\",\"error_code\":-3897}")
                .expect(200);
        String order;
        JsonNode failed;
        try {
            order = paidOrder();
            failed = receipts(order, d -> all(d, 1, "failed")).get(0);
        } finally {
            api.sandbox("DELETE", "/atol/faults", null).expect(200);
        }
        String id = failed.path("id").asText();
        JsonNode correction = api.post("/v1/receipts/corrections",
                "{\"receipt\":\"" + id + "\",\"correction_type\":\"self\",\"base_date\":\"2026-12-01\"}").expect(200).body();
        assertThat(correction.path("type").asText()).isEqualTo("sell_correction");
        assertThat(correction.path("corrects").asText()).isEqualTo(id);
        assertThat(correction.path("total").asLong()).isEqualTo(218000);
        JsonNode settled = receipts(order, d -> d.size() == 2 && "done".equals(d.get(1).path("status").asText()));
        assertThat(settled.get(0).path("data").path("settled_by").asText()).isEqualTo(correction.path("id").asText());
        assertThat(api.get("/v1/reviews?limit=100").expect(200).body().path("receipts"))
                .extracting(r -> r.path("id").asText()).doesNotContain(id);
        assertThat(api.post("/v1/receipts/corrections", "{\"receipt\":\"" + id + "\"}").expect(409).errorCode())
                .isEqualTo("receipt_already_corrected");
    }
}
