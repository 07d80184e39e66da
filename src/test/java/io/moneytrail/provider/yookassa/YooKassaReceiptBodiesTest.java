package io.moneytrail.provider.yookassa;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.moneytrail.fiscal.YooKassaReceiptExamples;
import io.moneytrail.money.Money;
import io.moneytrail.payment.CaptureMethod;
import io.moneytrail.payment.PaymentProvider;
import io.moneytrail.payment.ProviderReceipt;
import io.moneytrail.payment.ProviderReceipts;
import io.moneytrail.payment.ProviderResult;
import io.moneytrail.payment.ReceiptPort;
import io.moneytrail.testing.JsonText;
import io.moneytrail.testing.ProviderExamples;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every receipt rule with the exact body the adapter sends to YooKassa (src/test/resources/fiscal/yookassa,
 * written to YooKassa's documented request shapes; see README.md there for the page each follows): the
 * {@code receipt} inside {@code POST /v3/payments}, {@code /v3/payments/{id}/capture} and {@code POST /v3/refunds},
 * and the receipts sent on their own, {@code POST /v3/receipts}. A recording stub stands in for YooKassa
 * (as for the ATOL client); bodies are compared byte for byte, whitespace between tokens aside. The
 * receipts come from our own rules ({@link YooKassaReceiptExamples}).
 */
class YooKassaReceiptBodiesTest {

    private static final JsonMapper JSON = new JsonMapper();
    private static final String PAYMENT_ID = "pay_01kbyookassareceipt00000";
    private static final String ORDER_ID = "ord_01kbtestfiscal0000000000";
    private static final String RETURN_URL = "https://shop.example.com/orders/A-1001/return";

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private volatile String answer = "{}";
    private ProviderReceipt receipt;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** The adapter, asking a fiscal module that answers {@link #receipt} for every request. */
    private YooKassaProvider provider() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("receipts", new ReceiptPort() {
            @Override
            public Optional<ProviderReceipt> forPayment(String provider, String orderId, Money amount) {
                return Optional.ofNullable(receipt);
            }

            @Override
            public Optional<ProviderReceipt> forCapture(String provider, String providerPaymentId, Money amount) {
                return Optional.ofNullable(receipt);
            }

            @Override
            public Optional<ProviderReceipt> forRefund(String provider, String refundId, Money amount) {
                return Optional.ofNullable(receipt);
            }
        });
        return new YooKassaProvider(new YooKassaProperties("100500", "test_secret",
                "http://127.0.0.1:" + server.getAddress().getPort(), null, 1_000L, 1_000L),
                new org.springframework.mock.env.MockEnvironment(), JSON, java.time.Clock.systemUTC(),
                beans.getBeanProvider(ReceiptPort.class));
    }

    private String createPayment(ProviderReceipt with) {
        receipt = with;
        provider().create(new PaymentProvider.CreatePayment(PAYMENT_ID, ORDER_ID, Money.of(with.total(), "RUB"),
                CaptureMethod.AUTOMATIC, RETURN_URL));
        assertThat(paths).containsExactly("POST /v3/payments");
        return bodies.get(0);
    }

    private String refund(ProviderReceipt with) {
        receipt = with;
        provider().refund(YooKassaReceiptExamples.YOOKASSA_PAYMENT, "rfd_01kbyookassareceipt00000",
                Money.of(with.total(), "RUB"));
        assertThat(paths).containsExactly("POST /v3/refunds");
        return bodies.get(0);
    }

    private String onItsOwn(ProviderReceipt with, String key) {
        answer = ProviderExamples.text("yookassa/receipt-pending.json");
        ProviderResult<ProviderReceipts.Registration> result = provider().register(with, key);
        assertThat(result).isInstanceOf(ProviderResult.Done.class);
        assertThat(paths).containsExactly("POST /v3/receipts");
        return bodies.get(0);
    }

    static void assertBody(String file, String actual) throws IOException {
        try (InputStream in = YooKassaReceiptBodiesTest.class.getResourceAsStream("/fiscal/yookassa/" + file)) {
            if (in == null) {
                Path written = Path.of("target", "yookassa-" + file);
                Files.writeString(written, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(actual)));
                throw new AssertionError("no expected body " + file + "; ours is in " + written);
            }
            String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(JsonText.compact(actual)).as(file).isEqualTo(JsonText.compact(expected));
        }
    }

    @Test
    void an_advance_travels_in_the_payment_as_full_prepayment_with_vat_codes_12_and_5() throws IOException {
        String body = createPayment(YooKassaReceiptExamples.advance());
        assertBody("payment-advance.json", body);
        JsonNode items = JSON.readTree(body).path("receipt").path("items");
        assertThat(items).extracting(i -> i.path("vat_code").asInt()).containsExactly(12, 12, 5);
        assertThat(items).extracting(i -> i.path("payment_mode").asText()).containsOnly("full_prepayment");
    }

    @Test
    void a_store_that_ships_at_once_sends_full_payment_with_vat_codes_11_and_3() throws IOException {
        assertBody("payment-full-payment.json", createPayment(YooKassaReceiptExamples.fullPayment()));
    }

    @Test
    void a_twenty_percent_line_keeps_vat_code_6_in_the_advance_and_4_in_its_refund_after_fulfilment()
            throws IOException {
        assertBody("payment-advance-vat20.json", createPayment(YooKassaReceiptExamples.advanceOfA2025Sale()));
        bodies.clear();
        paths.clear();
        assertBody("refund-after-fulfilment-vat20.json", refund(YooKassaReceiptExamples.refundOfA2025SaleAfterFulfilment()));
    }

    @Test
    void a_partial_capture_carries_the_receipt_of_what_is_captured() throws IOException {
        receipt = YooKassaReceiptExamples.partialCapture();
        provider().capture(YooKassaReceiptExamples.YOOKASSA_PAYMENT, Money.of(152500, "RUB"), "cap_01kbpartial");
        assertThat(paths).containsExactly("POST /v3/payments/" + YooKassaReceiptExamples.YOOKASSA_PAYMENT + "/capture");
        assertBody("capture-partial.json", bodies.get(0));
    }

    @Test
    void a_refund_before_fulfilment_mirrors_the_advance() throws IOException {
        assertBody("refund-before-fulfilment.json", refund(YooKassaReceiptExamples.refundBeforeFulfilment()));
    }

    @Test
    void a_refund_after_fulfilment_without_lines_is_allocated_in_proportion_as_full_payment() throws IOException {
        assertBody("refund-after-fulfilment-proportional.json", refund(YooKassaReceiptExamples.refundAfterFulfilment()));
    }

    @Test
    void a_simplified_tax_vat_payer_sends_tax_system_2_and_vat_codes_9_and_10() throws IOException {
        String body = createPayment(YooKassaReceiptExamples.advanceOfASimplifiedTaxPayer());
        assertBody("payment-usn-income-vat5-vat7.json", body);
        assertThat(JSON.readTree(body).path("receipt").path("items").get(1).path("measure").asText())
                .isEqualTo("kilogram");
    }

    @Test
    void a_patent_store_sends_no_vat_code_1_and_the_phone_in_digits() throws IOException {
        assertBody("payment-patent-phone.json", createPayment(YooKassaReceiptExamples.fullPaymentOfAPatentStoreToAPhone()));
    }

    @Test
    void the_offset_at_fulfilment_is_a_receipt_of_its_own_settled_by_the_prepayment() throws IOException {
        assertBody("receipt-offset.json", onItsOwn(YooKassaReceiptExamples.offset(), "rct_01kboffset000000000000000"));
    }

    @Test
    void a_refund_receipt_sent_again_names_yookassas_refund_and_settles_cashless() throws IOException {
        assertBody("receipt-refund-sent-again.json", onItsOwn(YooKassaReceiptExamples.refundSentAgain(),
                "rct_01kbrefundbefore000000000-2"));
    }

    @Test
    void without_a_receipt_from_the_fiscal_module_the_requests_are_as_before() throws IOException {
        receipt = null;
        provider().create(new PaymentProvider.CreatePayment(PAYMENT_ID, ORDER_ID, Money.of(150000, "RUB"),
                CaptureMethod.AUTOMATIC, RETURN_URL));
        assertThat(JSON.readTree(bodies.get(0)).has("receipt")).isFalse();
    }

    @Test
    void yookassas_receipt_objects_are_read_with_their_status_and_fiscal_attributes() {
        ProviderReceipts.Registration succeeded = YooKassaReceipts.registration(
                ProviderExamples.json("yookassa/receipt-succeeded.json"));
        assertThat(succeeded.status()).isEqualTo("succeeded");
        assertThat(succeeded.kind()).isEqualTo(ProviderReceipt.Kind.PAYMENT);
        assertThat(succeeded.offset()).isFalse();
        assertThat(succeeded.fiscal()).containsOnlyKeys("fiscal_document_number", "fiscal_storage_number",
                "fiscal_attribute", "registered_at", "fiscal_provider_id");
        ProviderReceipts.Registration pending = YooKassaReceipts.registration(
                ProviderExamples.json("yookassa/receipt-pending.json"));
        assertThat(pending.status()).isEqualTo("pending");
        assertThat(pending.offset()).isTrue();
        assertThat(pending.fiscal()).isEmpty();
        JsonNode list = ProviderExamples.json("yookassa/receipts-list.json");
        assertThat(list.path("items")).allSatisfy(item -> assertThat(YooKassaReceipts.registration(item)).isNotNull());
        assertThat(YooKassaReceipts.VAT_CODES).hasSize(12).containsEntry("vat22", 11).containsEntry("vat122", 12)
                .containsEntry("none", 1).containsEntry("vat107", 10);
        assertThat(Map.copyOf(YooKassaReceipts.TAX_SYSTEMS)).containsEntry("osn", 1).containsEntry("patent", 6);
    }
}
