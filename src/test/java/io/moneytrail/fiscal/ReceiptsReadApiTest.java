package io.moneytrail.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The read side of receipts: the order's list, the list by status and period, the QR string. */
class ReceiptsReadApiTest extends ApiTest {

    @Autowired
    Receipts receipts;

    private String insertDone(String orderId, String id, Instant created) {
        jdbc.sql("""
                insert into receipts (id, order_id, payment_id, source, type, payment_method, purpose, status, total,
                                      currency, items, vats, data, provider, external_id, external_uuid, fiscal,
                                      done_at, created_at, updated_at)
                values (:id, :order, 'pay_test', :source, 'sell', 'full_prepayment', 'prepayment', 'done', 122000, 'RUB',
                        cast(:items as jsonb), cast('{"vat122":22000}' as jsonb), '{}', 'atol', :id, 'a1b2c3',
                        cast(:fiscal as jsonb), :at, :at, :at)
                """)
                .param("id", id).param("order", orderId).param("source", "test:" + id)
                .param("items", """
                        [{"name":"Чайник","sku":"KETTLE","price":122000,"quantity":1,"sum":122000,"vat":"vat122",
                          "vat_sum":22000,"payment_object":1,"measure":0}]""")
                .param("fiscal", """
                        {"fn_number":"9999078902004011","fiscal_document_number":133,"fiscal_document_attribute":3449555941,
                         "fiscal_receipt_number":6,"shift_number":23,"receipt_datetime":"2026-12-01T21:05:00",
                         "ecr_registration_number":"0000000001002292","fns_site":"www.nalog.gov.ru","ofd_inn":"7704211201"}""")
                .param("at", Timestamp.from(created)).update();
        return id;
    }

    @Test
    void an_orders_receipts_show_items_vat_codes_fiscal_attributes_and_the_qr_string() {
        String order = api.createOrder(122000, 1).text("id");
        String id = insertDone(order, "rct_" + order.substring(4), Instant.now());

        JsonNode list = api.get("/v1/orders/" + order + "/receipts").expect(200).body();
        assertThat(list.path("object").asText()).isEqualTo("list");
        JsonNode receipt = list.path("data").get(0);
        assertThat(receipt.path("id").asText()).isEqualTo(id);
        assertThat(receipt.path("object").asText()).isEqualTo("receipt");
        assertThat(receipt.path("type").asText()).isEqualTo("sell");
        assertThat(receipt.path("status").asText()).isEqualTo("done");
        assertThat(receipt.path("total").asLong()).isEqualTo(122000);
        assertThat(receipt.path("items").get(0).path("vat").asText()).isEqualTo("vat122");
        assertThat(receipt.path("fiscal").path("fiscal_document_number").asLong()).isEqualTo(133);
        assertThat(receipt.path("fiscal").path("fiscal_sign").asLong()).isEqualTo(3449555941L);
        assertThat(receipt.path("fiscal").path("fn_number").asText()).isEqualTo("9999078902004011");
        assertThat(receipt.path("qr").asText())
                .isEqualTo("t=20261201T2105&s=1220.00&fn=9999078902004011&i=133&fp=3449555941&n=1");

        assertThat(receipts.ofOrder(order)).singleElement().satisfies(r -> {
            assertThat(r.vats()).containsEntry("vat122", 22000L);
            assertThat(r.fiscal().fiscalDocumentAttribute()).isEqualTo(3449555941L);
        });
    }

    @Test
    void receipts_are_listed_by_status_and_period() {
        String order = api.createOrder(122000, 1).text("id");
        Instant at = Instant.parse("2001-02-03T10:00:00Z");
        String id = insertDone(order, "rct_" + order.substring(4), at);

        JsonNode page = api.get("/v1/receipts?status=done&from=2001-02-03&to=2001-02-04").expect(200).body();
        assertThat(page.path("data")).extracting(n -> n.path("id").asText()).contains(id);
        assertThat(api.get("/v1/receipts?status=failed&from=2001-02-03&to=2001-02-04").expect(200).body()
                .path("data")).isEmpty();
        assertThat(api.get("/v1/receipts?status=done&from=2001-02-04").expect(200).body().path("data"))
                .extracting(n -> n.path("id").asText()).doesNotContain(id);
        assertThat(api.get("/v1/receipts?status=lost").expect(400).errorParam()).isEqualTo("status");
        assertThat(receipts.list(ReceiptStatus.DONE, at, at.plusSeconds(1), null, 10))
                .extracting(Receipt::id).containsExactly(id);
        Api.Response missing = api.get("/v1/orders/ord_01jd7x0c9m4s3y2r8v6k5t1q0w/receipts");
        assertThat(missing.status()).isEqualTo(404);
    }
}
