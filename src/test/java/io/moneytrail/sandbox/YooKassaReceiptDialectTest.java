package io.moneytrail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import io.moneytrail.testing.ProviderExamples;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The YooKassa dialect's 54-FZ receipts, spoken to as a shop speaks to YooKassa: the {@code receipt}
 * of a payment is validated (YooKassa's error shape, naming the parameter) and registered once the
 * payment succeeded, with the fiscal attributes; a receipt is sent on its own ({@code POST /v3/receipts},
 * an advance's offset) and read back ({@code GET /v3/receipts}, {@code /v3/receipts/{id}}); answers are
 * compared field by field with the examples in {@code src/test/resources/provider-examples/yookassa/}.
 */
class YooKassaReceiptDialectTest extends ApiTest {

    private static final String RECEIPT_ID = "[0-9a-f]{8}-0019-5000-[89ab]000-[0-9a-f]{12}";
    private static final Set<String> RECEIPT_VALUES = Set.of("type", "items", "settlements", "tax_system_code");

    private Api.Response shop(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + "/sandbox/yookassa/v3" + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("100500:test_sandbox_yookassa_local".getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (!"GET".equals(method)) {
            request.header("Idempotence-Key", UUID.randomUUID().toString());
        }
        return api.send(request.build());
    }

    private static String example(String name) {
        return ProviderExamples.text("yookassa/" + name);
    }

    private static void assertRefused(Api.Response refused, String parameter) {
        refused.expect(400);
        assertThat(refused.body().path("type").asText()).isEqualTo("error");
        assertThat(refused.body().path("id").asText()).isNotBlank();
        assertThat(refused.body().path("code").asText()).isEqualTo("invalid_request");
        assertThat(refused.body().path("description").asText()).isNotBlank();
        assertThat(refused.body().path("parameter").asText()).isEqualTo(parameter);
    }

    private JsonNode eventually(String path, java.util.function.Predicate<JsonNode> until) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode answer = shop("GET", path, null).expect(200).body();
        while (!until.test(answer) && System.nanoTime() < deadline) {
            Api.sleep(100);
            answer = shop("GET", path, null).expect(200).body();
        }
        return answer;
    }

    @Test
    void a_payment_with_a_receipt_registers_it_once_paid_with_fiscal_attributes() {
        String id = shop("POST", "/payments", example("create-payment-with-receipt-request.json")).expect(200).text("id");
        assertThat(shop("GET", "/payments/" + id, null).text("receipt_registration")).isEqualTo("pending");
        JsonNode before = shop("GET", "/receipts?payment_id=" + id, null).expect(200).body();
        assertThat(before.path("type").asText()).isEqualTo("list");
        assertThat(before.path("items")).singleElement()
                .satisfies(r -> assertThat(r.path("status").asText()).isEqualTo("pending"));

        assertThat(api.completeSandboxPage(api.base() + "/sandbox/yookassa/checkout/payments/v2/contract?orderId=" + id,
                "succeeded")).isEqualTo(303);
        JsonNode list = eventually("/receipts?payment_id=" + id,
                l -> "succeeded".equals(l.path("items").path(0).path("status").asText()));
        JsonNode receipt = list.path("items").get(0);
        ProviderExamples.assertSameShape(ProviderExamples.json("yookassa/receipt-succeeded.json").deepCopy(),
                receipt, Set.of("type", "status", "tax_system_code"), Set.of());
        assertThat(receipt.path("id").asText()).matches(RECEIPT_ID);
        assertThat(receipt.path("payment_id").asText()).isEqualTo(id);
        assertThat(receipt.path("fiscal_storage_number").asText()).matches("\\d{16}");
        assertThat(receipt.path("fiscal_document_number").asText()).matches("\\d+");
        assertThat(receipt.path("fiscal_attribute").asText()).matches("\\d{10}");
        assertThat(receipt.path("items")).hasSize(2);
        assertThat(receipt.path("items").get(1).path("payment_subject").asText()).isEqualTo("service");
        assertThat(receipt.path("settlements").get(0).path("type").asText()).isEqualTo("cashless");
        assertThat(receipt.path("settlements").get(0).path("amount").path("value").asText()).isEqualTo("1570.00");
        assertThat(shop("GET", "/receipts/" + receipt.path("id").asText(), null).expect(200).body()).isEqualTo(receipt);
        assertThat(shop("GET", "/payments/" + id, null).text("receipt_registration")).isEqualTo("succeeded");
    }

    @Test
    void a_receipt_whose_items_do_not_add_up_or_with_a_bad_vat_code_is_refused_in_yookassas_shape() {
        String request = example("create-payment-with-receipt-request.json");
        assertRefused(shop("POST", "/payments", request.replace("\"1570.00\"", "\"1580.00\"")), "receipt.items");
        assertRefused(shop("POST", "/payments", request.replaceFirst("\"vat_code\": 12", "\"vat_code\": 13")),
                "receipt.items[0].vat_code");
        assertRefused(shop("POST", "/payments", request.replaceFirst("\"vat_code\": 12", "\"vat_code\": \"12\"")),
                "receipt.items[0].vat_code");
        assertRefused(shop("POST", "/payments", request.replace("\"full_prepayment\"", "\"sometime\"")),
                "receipt.items[0].payment_mode");
        assertRefused(shop("POST", "/payments", request.replace("\"email\": \"buyer@example.com\"", "\"name\": \"B\"")),
                "receipt.customer");
        assertRefused(shop("POST", "/payments", request.replace("\"tax_system_code\": 1", "\"tax_system_code\": 9")),
                "receipt.tax_system_code");
        assertRefused(shop("POST", "/payments", request.replaceFirst("\"quantity\": 1", "\"quantity\": 0")),
                "receipt.items[0].quantity");
    }

    @Test
    void an_offset_is_a_receipt_of_its_own_settled_by_the_prepayment() {
        String id = shop("POST", "/payments", example("create-payment-with-receipt-request.json")).expect(200).text("id");
        api.completeSandboxPage(api.base() + "/sandbox/yookassa/checkout/payments/v2/contract?orderId=" + id,
                "succeeded");
        String offset = example("create-receipt-offset-request.json").replace("2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f", id);
        JsonNode created = shop("POST", "/receipts", offset).expect(200).body();
        ProviderExamples.assertSameShape(ProviderExamples.json("yookassa/receipt-pending.json"), created,
                RECEIPT_VALUES, Set.of());
        assertThat(created.path("payment_id").asText()).isEqualTo(id);
        assertThat(created.path("status").asText()).isEqualTo("pending");
        JsonNode registered = eventually("/receipts/" + created.path("id").asText(),
                r -> "succeeded".equals(r.path("status").asText()));
        assertThat(registered.path("status").asText()).isEqualTo("succeeded");
        assertThat(registered.path("fiscal_storage_number").asText()).matches("\\d{16}");
        assertThat(shop("GET", "/receipts?payment_id=" + id, null).body().path("items")).hasSize(2);

        assertRefused(shop("POST", "/receipts", offset.replace("\"value\": \"1220.00\",\n        \"currency\": \"RUB\"\n"
                + "      }\n    }\n  ]", "\"value\": \"1200.00\",\n        \"currency\": \"RUB\"\n      }\n    }\n  ]")),
                "settlements");
        assertRefused(shop("POST", "/receipts", offset.replace("\"send\": true,", "")), "send");
        assertRefused(shop("POST", "/receipts", offset.replace("\"type\": \"payment\"", "\"type\": \"sale\"")), "type");
        assertThat(shop("GET", "/receipts/00000000-0019-5000-8000-000000000000", null).status()).isEqualTo(404);
    }

    @Test
    void a_refund_carries_its_receipt_checked_against_the_refunds_amount() {
        String id = shop("POST", "/payments", example("create-payment-with-receipt-request.json")).expect(200).text("id");
        api.completeSandboxPage(api.base() + "/sandbox/yookassa/checkout/payments/v2/contract?orderId=" + id,
                "succeeded");
        eventually("/payments/" + id, p -> "succeeded".equals(p.path("status").asText()));
        String refund = """
                {"payment_id":"%s","amount":{"value":"350.00","currency":"RUB"},
                 "receipt":{"customer":{"email":"buyer@example.com"},
                            "items":[{"description":"Доставка","quantity":1,"amount":{"value":"%s","currency":"RUB"},
                                      "vat_code":12,"payment_mode":"full_prepayment","payment_subject":"service",
                                      "measure":"piece"}],
                            "tax_system_code":1}}""";
        assertRefused(shop("POST", "/refunds", refund.formatted(id, "340.00")), "receipt.items");
        assertRefused(shop("POST", "/refunds", refund.formatted(id, "350.00").replace("\"vat_code\":12",
                "\"vat_code\":0")), "receipt.items[0].vat_code");
        JsonNode created = shop("POST", "/refunds", refund.formatted(id, "350.00")).expect(200).body();
        String refundId = created.path("id").asText();
        JsonNode receipts = eventually("/receipts?refund_id=" + refundId,
                l -> "succeeded".equals(l.path("items").path(0).path("status").asText()));
        assertThat(receipts.path("items")).singleElement().satisfies(r -> {
            assertThat(r.path("type").asText()).isEqualTo("refund");
            assertThat(r.path("refund_id").asText()).isEqualTo(refundId);
            assertThat(r.path("payment_id").asText()).isEqualTo(id);
            assertThat(r.path("fiscal_storage_number").asText()).matches("\\d{16}");
        });
        assertThat(shop("GET", "/refunds/" + refundId, null).text("receipt_registration")).isEqualTo("succeeded");
    }
}
