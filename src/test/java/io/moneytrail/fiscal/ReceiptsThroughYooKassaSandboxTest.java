package io.moneytrail.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * YooKassa's own receipts end to end, through the in-process sandbox's YooKassa dialect (the tests run
 * with {@code moneytrail.fiscal.yookassa-receipts=true}: payments through YooKassa get YooKassa's receipts,
 * the others keep ATOL): a paid rouble order shows a done advance receipt with YooKassa's fiscal
 * attributes, the receipt travelled inside the payment request; fulfilment sends the offset on its own
 * with a prepayment settlement; a refund carries its receipt; a receipt YooKassa cancels waits in the
 * review queue and a retry registers it anew.
 */
class ReceiptsThroughYooKassaSandboxTest extends ApiTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final String RETURN_URL = "https://shop.example/orders/return";

    private record Paid(String order, String payment, String yookassaId) {
    }

    private Paid paidOrder(String email) {
        String order = api.post("/v1/orders", """
                {"currency":"RUB","reference":"YKR-1","customer":{"email":"%s"},
                 "lines":[{"sku":"KETTLE","name":"Чайник","quantity":1,"unit_amount":122000,"vat_rate":22},
                          {"sku":"CUP","name":"Чашка","quantity":2,"unit_amount":30500,"vat_rate":22},
                          {"sku":"DELIVERY","name":"Доставка","quantity":1,"unit_amount":35000,"vat_rate":22,
                           "payment_object":"service"}]}""".formatted(email)).expect(200).text("id");
        Api.Response payment = api.post("/v1/orders/" + order + "/payments", "{\"provider\":\"yookassa\","
                + "\"capture_method\":\"automatic\",\"return_url\":\"" + RETURN_URL + "\"}").expect(200);
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/payments/" + payment.text("id"), r -> "captured".equals(r.text("status")));
        return new Paid(order, payment.text("id"), payment.text("provider_payment_id"));
    }

    private JsonNode atYooKassa(String path) {
        String basic = Base64.getEncoder().encodeToString("100500:test_sandbox_yookassa_local"
                .getBytes(StandardCharsets.UTF_8));
        return api.send(HttpRequest.newBuilder(java.net.URI.create(api.base() + "/sandbox/yookassa/v3" + path))
                .header("Authorization", "Basic " + basic).GET().build()).expect(200).body();
    }

    private JsonNode receipts(String order, Predicate<JsonNode> until) {
        return OrderReceipts.await(api, order, WITHIN, until);
    }

    private static boolean all(JsonNode data, int count, String status) {
        return OrderReceipts.all(data, count, status);
    }

    @Test
    void a_paid_order_shows_yookassas_done_advance_receipt_then_the_offset_then_the_refund() {
        long started = System.nanoTime();
        Paid paid = paidOrder("buyer@example.com");
        JsonNode advance = receipts(paid.order(), d -> all(d, 1, "done")).get(0);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WITHIN);
        assertThat(advance.path("provider").asText()).isEqualTo("yookassa");
        assertThat(advance.path("purpose").asText()).isEqualTo("prepayment");
        assertThat(advance.path("payment_method").asText()).isEqualTo("full_prepayment");
        assertThat(advance.path("total").asLong()).isEqualTo(218000);
        assertThat(advance.path("items")).extracting(i -> i.path("vat").asText()).containsOnly("vat122");
        assertThat(advance.path("fiscal").path("fn_number").asText()).matches("\\d{16}");
        assertThat(advance.path("fiscal").path("fiscal_sign").asLong()).isPositive();
        assertThat(advance.path("fiscal").path("registered_at").asText()).isNotBlank();
        assertThat(advance.path("fiscal").path("fiscal_provider_id").asText()).isNotBlank();
        assertThat(advance.path("qr").asText()).matches("t=\\d{8}T\\d{4}&s=2180\\.00&fn=\\d{16}&i=\\d+&fp=\\d+&n=1");

        // the receipt travelled with the payment, as YooKassa keeps it
        JsonNode atYooKassa = atYooKassa("/receipts?payment_id=" + paid.yookassaId()).path("items");
        assertThat(atYooKassa).hasSize(1);
        assertThat(atYooKassa.get(0).path("id").asText()).isEqualTo(advance.path("external_uuid").asText());
        assertThat(atYooKassa.get(0).path("status").asText()).isEqualTo("succeeded");
        assertThat(atYooKassa.get(0).path("fiscal_storage_number").asText())
                .isEqualTo(advance.path("fiscal").path("fn_number").asText());
        assertThat(atYooKassa.get(0).path("fiscal_attribute").asLong())
                .isEqualTo(advance.path("fiscal").path("fiscal_sign").asLong());
        assertThat(atYooKassa.get(0).path("fiscal_document_number").asLong())
                .isEqualTo(advance.path("fiscal").path("fiscal_document_number").asLong());
        assertThat(atYooKassa.get(0).path("fiscal_provider_id").asText())
                .isEqualTo(advance.path("fiscal").path("fiscal_provider_id").asText());
        assertThat(atYooKassa.get(0).path("items")).extracting(i -> i.path("vat_code").asInt()).containsOnly(12);
        assertThat(atYooKassa.get(0).path("items")).extracting(i -> i.path("payment_mode").asText())
                .containsOnly("full_prepayment");
        assertThat(atYooKassa.get(0).path("items").get(2).path("payment_subject").asText()).isEqualTo("service");
        assertThat(atYooKassa("/payments/" + paid.yookassaId()).path("receipt_registration").asText())
                .isEqualTo("succeeded");

        api.post("/v1/orders/" + paid.order() + "/fulfill", null).expect(200);
        JsonNode both = receipts(paid.order(), d -> all(d, 2, "done"));
        JsonNode offset = both.get(1);
        assertThat(offset.path("purpose").asText()).isEqualTo("offset");
        assertThat(offset.path("provider").asText()).isEqualTo("yookassa");
        assertThat(offset.path("items")).extracting(i -> i.path("vat").asText()).containsOnly("vat22");
        JsonNode offsetAtYooKassa = atYooKassa("/receipts/" + offset.path("external_uuid").asText());
        assertThat(offsetAtYooKassa.path("type").asText()).isEqualTo("payment");
        assertThat(offsetAtYooKassa.path("payment_id").asText()).isEqualTo(paid.yookassaId());
        assertThat(offsetAtYooKassa.path("settlements").get(0).path("type").asText()).isEqualTo("prepayment");
        assertThat(offsetAtYooKassa.path("settlements").get(0).path("amount").path("value").asText())
                .isEqualTo("2180.00");
        assertThat(offsetAtYooKassa.path("items")).extracting(i -> i.path("vat_code").asInt()).containsOnly(11);
        assertThat(offsetAtYooKassa.path("items")).extracting(i -> i.path("payment_mode").asText())
                .containsOnly("full_payment");

        api.post("/v1/refunds", "{\"payment\":\"" + paid.payment() + "\",\"lines\":[{\"sku\":\"CUP\",\"quantity\":1}]}",
                "yk-refund-" + paid.order()).expect(200);
        JsonNode three = receipts(paid.order(), d -> all(d, 3, "done"));
        JsonNode refund = three.get(2);
        assertThat(refund.path("type").asText()).isEqualTo("sell_refund");
        assertThat(refund.path("payment_method").asText()).isEqualTo("full_payment");
        assertThat(refund.path("total").asLong()).isEqualTo(30500);
        assertThat(refund.path("qr").asText()).endsWith("&n=2");
        JsonNode refundAtYooKassa = atYooKassa("/receipts/" + refund.path("external_uuid").asText());
        assertThat(refundAtYooKassa.path("type").asText()).isEqualTo("refund");
        assertThat(refundAtYooKassa.path("items")).singleElement().satisfies(i -> {
            assertThat(i.path("description").asText()).isEqualTo("Чашка");
            assertThat(i.path("vat_code").asInt()).isEqualTo(11);
            assertThat(i.path("amount").path("value").asText()).isEqualTo("305.00");
        });
    }

    @Test
    void a_receipt_yookassa_cancels_waits_in_the_review_queue_and_a_retry_registers_it_anew() {
        Paid paid = paidOrder("receipt-canceled@example.com");
        JsonNode failed = receipts(paid.order(), d -> all(d, 1, "failed")).get(0);
        assertThat(failed.path("error").path("type").asText()).isEqualTo("yookassa");
        assertThat(failed.path("error").path("text").asText()).contains("canceled");
        String id = failed.path("id").asText();
        assertThat(api.get("/v1/reviews?limit=100").expect(200).body().path("receipts"))
                .extracting(r -> r.path("id").asText()).contains(id);
        assertThat(atYooKassa("/payments/" + paid.yookassaId()).path("receipt_registration").asText())
                .isEqualTo("canceled");

        // a retry sends the receipt again on its own (settled cashless), and YooKassa registers it
        JsonNode retried = api.post("/v1/receipts/" + id + "/retry", null).expect(200).body();
        assertThat(retried.path("status").asText()).isEqualTo("pending");
        assertThat(retried.path("external_id").asText()).isEqualTo(id + "-2");
        JsonNode done = receipts(paid.order(), d -> all(d, 1, "done")).get(0);
        assertThat(done.path("data").path("earlier_external_ids").get(0).path("uuid").asText())
                .isEqualTo(failed.path("external_uuid").asText());
        JsonNode again = atYooKassa("/receipts/" + done.path("external_uuid").asText());
        assertThat(again.path("status").asText()).isEqualTo("succeeded");
        assertThat(again.path("settlements").get(0).path("type").asText()).isEqualTo("cashless");
        assertThat(again.path("items")).extracting(i -> i.path("payment_mode").asText()).containsOnly("full_prepayment");
        assertThat(api.get("/v1/reviews?limit=100").expect(200).body().path("receipts"))
                .extracting(r -> r.path("id").asText()).doesNotContain(id);
    }

    @Test
    void a_partial_capture_of_a_two_stage_payment_registers_the_receipt_of_what_was_captured() {
        String order = api.post("/v1/orders", """
                {"currency":"RUB","reference":"YKR-2","customer":{"email":"buyer@example.com"},
                 "lines":[{"sku":"KETTLE","name":"Чайник","quantity":1,"unit_amount":122000,"vat_rate":22},
                          {"sku":"CUP","name":"Чашка","quantity":2,"unit_amount":30500,"vat_rate":22}]}""")
                .expect(200).text("id");
        Api.Response payment = api.post("/v1/orders/" + order + "/payments", "{\"provider\":\"yookassa\","
                + "\"capture_method\":\"manual\",\"return_url\":\"" + RETURN_URL + "\"}").expect(200);
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/payments/" + payment.text("id"), r -> "authorized".equals(r.text("status")));
        api.post("/v1/payments/" + payment.text("id") + "/capture", "{\"amount\":152500}").expect(200);
        JsonNode advance = receipts(order, d -> all(d, 1, "done")).get(0);
        assertThat(advance.path("total").asLong()).isEqualTo(152500);
        JsonNode atYooKassa = atYooKassa("/receipts/" + advance.path("external_uuid").asText());
        long kopecks = 0;
        for (JsonNode item : atYooKassa.path("items")) {
            kopecks += Math.round(Double.parseDouble(item.path("amount").path("value").asText()) * 100)
                    * item.path("quantity").asLong();
        }
        assertThat(kopecks).isEqualTo(152500);
        assertThat(atYooKassa("/receipts?payment_id=" + payment.text("provider_payment_id")).path("items")).hasSize(1);
    }

    @Test
    void an_order_paid_on_its_second_yookassa_attempt_has_one_receipt_and_it_is_the_paid_attempts() {
        String order = api.post("/v1/orders", """
                {"currency":"RUB","reference":"YKR-4","customer":{"email":"second-try@example.com"},
                 "lines":[{"sku":"KETTLE","name":"Чайник","quantity":1,"unit_amount":122000,"vat_rate":22}]}""")
                .expect(200).text("id");
        String body = "{\"provider\":\"yookassa\",\"capture_method\":\"automatic\",\"return_url\":\"" + RETURN_URL
                + "\"}";
        Api.Response declined = api.post("/v1/orders/" + order + "/payments", body).expect(200);
        api.completeSandboxPage(declined.body().path("next_action").path("redirect_url").asText(), "declined");
        api.eventually("/v1/payments/" + declined.text("id"), r -> "failed".equals(r.text("status")));
        Api.Response paid = api.post("/v1/orders/" + order + "/payments", body).expect(200);
        api.completeSandboxPage(paid.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/payments/" + paid.text("id"), r -> "captured".equals(r.text("status")));

        JsonNode advance = receipts(order, d -> all(d, 1, "done")).get(0);
        assertThat(advance.path("total").asLong()).isEqualTo(122000);
        JsonNode ofPaid = atYooKassa("/receipts?payment_id=" + paid.text("provider_payment_id")).path("items");
        assertThat(ofPaid).singleElement().satisfies(r -> {
            assertThat(r.path("id").asText()).isEqualTo(advance.path("external_uuid").asText());
            assertThat(r.path("status").asText()).isEqualTo("succeeded");
        });
        // the receipt that travelled with the declined attempt was never registered, and we do not count it
        JsonNode ofDeclined = atYooKassa("/receipts?payment_id=" + declined.text("provider_payment_id")).path("items");
        assertThat(ofDeclined).allSatisfy(r -> assertThat(r.path("status").asText()).isNotEqualTo("succeeded"));

        // the offset at fulfilment settles the advance of the attempt that paid
        api.post("/v1/orders/" + order + "/fulfill", null).expect(200);
        JsonNode offset = receipts(order, d -> all(d, 2, "done")).get(1);
        assertThat(offset.path("purpose").asText()).isEqualTo("offset");
        assertThat(atYooKassa("/receipts/" + offset.path("external_uuid").asText()).path("payment_id").asText())
                .isEqualTo(paid.text("provider_payment_id"));
    }

    @Test
    void a_payment_through_another_provider_keeps_atols_receipts() {
        String order = api.post("/v1/orders", """
                {"currency":"RUB","reference":"YKR-3","customer":{"email":"buyer@example.com"},
                 "lines":[{"sku":"KETTLE","name":"Чайник","quantity":1,"unit_amount":122000,"vat_rate":22}]}""")
                .expect(200).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        JsonNode advance = receipts(order, d -> all(d, 1, "done")).get(0);
        assertThat(advance.path("provider").asText()).isEqualTo("atol");
        assertThat(advance.path("fiscal").path("ecr_registration_number").asText()).isNotBlank();
    }
}
