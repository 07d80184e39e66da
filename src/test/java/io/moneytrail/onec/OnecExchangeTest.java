package io.moneytrail.onec;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.ledger.Journal;
import io.moneytrail.ledger.JournalEntry;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.order.OrderService;
import io.moneytrail.order.Timeline;
import io.moneytrail.order.TimelineEntry;
import io.moneytrail.order.TimelineKind;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The 1C exchange over HTTP as 1C speaks it: checkauth, init, query, success, file; the exported
 * amounts checked against the ledger; 1C's changes applied once through the order's transition
 * table; hostile files refused whole.
 */
class OnecExchangeTest extends ApiTest {

    private static final String EXCHANGE = "/1c/exchange?type=sale&mode=";
    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    Journal journal;
    @Autowired
    Timeline timeline;
    @Autowired
    OnecOrders tracked;
    @Autowired
    OnecChanges changes;
    @Autowired
    OrderService orders;
    @Autowired
    PaymentQueries payments;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    Clock clock;

    record Answer(int status, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        List<String> lines() {
            return List.of(text().split("\n", -1));
        }
    }

    // ---------------------------------------------------------------- speaking the protocol

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String mode) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + EXCHANGE + mode));
    }

    private Answer checkauth(String user, String password) {
        return send(request("checkauth").header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))).GET().build());
    }

    /** Logs in as 1C does and answers the {@code Cookie} header to send with the session's requests. */
    private String login() {
        Answer answer = checkauth(ONEC_USERNAME, ONEC_PASSWORD);
        assertThat(answer.status()).isEqualTo(200);
        List<String> lines = answer.lines();
        return lines.get(1) + "=" + lines.get(2);
    }

    private Answer get(String mode, String cookie) {
        return send(request(mode).header("Cookie", cookie).GET().build());
    }

    private Answer file(String cookie, byte[] body) {
        return send(request("file&filename=orders-" + System.nanoTime() + ".xml").header("Cookie", cookie)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** Acknowledges everything other tests left changed, so this test's orders are in the next query. */
    private void drain(String cookie) {
        for (int round = 0; round < 30; round++) {
            Answer query = get("query", cookie);
            assertThat(query.status()).isEqualTo(200);
            boolean empty = documents(query.body()).isEmpty();
            assertThat(get("success", cookie).text()).isEqualTo("success");
            if (empty) {
                return;
            }
        }
    }

    private static Map<String, Element> documents(byte[] xml) {
        try {
            Document parsed = CommerceMlTest.parse(xml);
            assertThat(parsed.getDocumentElement().getTagName()).isEqualTo("КоммерческаяИнформация");
            assertThat(parsed.getDocumentElement().getAttribute("ВерсияСхемы")).isEqualTo("2.10");
            Map<String, Element> byId = new HashMap<>();
            NodeList list = parsed.getDocumentElement().getChildNodes();
            for (int i = 0; i < list.getLength(); i++) {
                if (list.item(i) instanceof Element e && e.getTagName().equals("Документ")) {
                    byId.put(child(e, "Ид"), e);
                }
            }
            return byId;
        } catch (Exception e) {
            throw new AssertionError("not a CommerceML document: " + e.getMessage(), e);
        }
    }

    /** The text of the direct child {@code name} of {@code parent}. */
    private static String child(Element parent, String name) {
        return children(parent, name).get(0).getTextContent();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList list = parent.getChildNodes();
        for (int i = 0; i < list.getLength(); i++) {
            if (list.item(i) instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static Map<String, String> requisites(Element document) {
        Map<String, String> values = new HashMap<>();
        for (Element requisite : children(children(document, "ЗначенияРеквизитов").get(0), "ЗначениеРеквизита")) {
            values.put(child(requisite, "Наименование"), child(requisite, "Значение"));
        }
        return values;
    }

    /** Major units with a dot as minor units (RUB: two decimals). */
    private static long minor(String amount) {
        assertThat(amount).matches("-?\\d+\\.\\d{2}");
        return new BigDecimal(amount).movePointRight(2).longValueExact();
    }

    // ---------------------------------------------------------------- the store's orders

    private String order(String lines) {
        return api.post("/v1/orders", """
                {"currency":"RUB","reference":"WEB-%s","customer":{"email":"buyer@example.com","phone":"+7 900 000-00-00"},
                 "lines":[%s]}""".formatted(System.nanoTime(), lines)).expect(200).text("id");
    }

    private String paidOrder(String lines) {
        String order = order(lines);
        Api.Response payment = api.createPayment(order, "automatic");
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), "succeeded");
        api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));
        return order;
    }

    private static byte[] fixture(String name, Charset charset, Map<String, String> marks) throws IOException {
        String text = new String(CommerceMlTest.resource(name), charset);
        for (Map.Entry<String, String> mark : marks.entrySet()) {
            text = text.replace("{{" + mark.getKey() + "}}", mark.getValue());
        }
        return text.getBytes(charset);
    }

    private long statusChangesBy1c(String order) {
        return timeline.of(order).stream().filter(e -> e.kind() == TimelineKind.ORDER_STATUS_CHANGED)
                .filter(e -> "1c".equals(e.data().get("actor"))).count();
    }

    private long auditRows(String order, String action, String outcome) {
        return jdbc.sql("""
                        select count(*) from audit_log where object_id = :o and action = :a and outcome = :out
                        and actor_id = '1c' and actor_role = 'onec'
                        """)
                .param("o", order).param("a", action).param("out", outcome).query(Long.class).single();
    }

    // ---------------------------------------------------------------- tests

    @Test
    void checkauth_with_the_right_password_answers_success_the_cookie_name_and_value_and_the_cookie_logs_in() {
        Answer answer = checkauth(ONEC_USERNAME, ONEC_PASSWORD);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("text/plain;charset=UTF-8");
        List<String> lines = answer.lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("success");
        assertThat(lines.get(1)).isEqualTo("MONEYTRAIL_1C");
        assertThat(lines.get(2)).matches("[0-9]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

        Answer init = get("init", lines.get(1) + "=" + lines.get(2));
        assertThat(init.status()).isEqualTo(200);
        assertThat(init.lines()).containsExactly("zip=no", "file_limit=8388608");
    }

    @Test
    void a_wrong_password_is_failure_and_401_and_nothing_but_the_session_cookie_gets_past_checkauth() {
        Answer wrong = checkauth(ONEC_USERNAME, "not-the-password");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.lines().get(0)).isEqualTo("failure");
        assertThat(wrong.lines().get(1)).isEqualTo("wrong user name or password");
        assertThat(checkauth("someone-else", ONEC_PASSWORD).status()).isEqualTo(401);
        Answer none = send(request("checkauth").GET().build());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.lines().get(0)).isEqualTo("failure");

        // no cookie, a forged cookie, or the service's admin API key: not logged in to the exchange
        for (HttpRequest request : List.of(request("query").GET().build(),
                request("query").header("Cookie", "MONEYTRAIL_1C=4102444800.AAAA.forged").GET().build(),
                request("query").header("Authorization", "Bearer " + api.key()).GET().build())) {
            Answer refused = send(request);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.lines().get(0)).isEqualTo("failure");
            assertThat(refused.lines().get(1)).contains("checkauth");
        }
        // guessing is bounded: past the login throttle's failures for a user name, refused without a check
        for (int i = 0; i < 5; i++) {
            assertThat(checkauth("guesser", "guess-" + i).status()).isEqualTo(401);
        }
        Answer throttled = checkauth("guesser", "guess-5");
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.lines().get(0)).isEqualTo("failure");
        assertThat(checkauth(ONEC_USERNAME, ONEC_PASSWORD).status()).as("the exchange's own user still logs in")
                .isEqualTo(200);

        // and the exchange's session is no API key
        String cookie = login();
        assertThat(send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/orders"))
                .header("Cookie", cookie).GET().build()).status()).isEqualTo(401);
    }

    @Test
    void other_errors_answer_failure_and_the_reason_in_the_protocols_form() {
        String cookie = login();
        Answer catalog = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/1c/exchange?type=catalog&mode=init")).header("Cookie", cookie).GET().build());
        assertThat(catalog.status()).isEqualTo(200);
        assertThat(catalog.lines().get(0)).isEqualTo("failure");
        assertThat(catalog.lines().get(1)).contains("type=sale");
        Answer mode = get("dance", cookie);
        assertThat(mode.lines()).containsExactly("failure",
                "mode 'dance' is not one of checkauth, init, query, success, file");
        Answer fileByGet = get("file", cookie);
        assertThat(fileByGet.lines().get(0)).isEqualTo("failure");
    }

    @Test
    void query_exports_each_changed_order_as_a_document_whose_every_amount_agrees_with_the_ledger() {
        String cookie = login();
        drain(cookie);
        String order = paidOrder("""
                {"sku":"KETTLE-1","name":"Чайник электрический","quantity":2,"unit_amount":6100,"vat_rate":22},
                {"sku":"BOOK-7","name":"Книга «Учёт»","quantity":3,"unit_amount":1999,"vat_rate":10},
                {"sku":"GIFT-0","name":"Открытка","quantity":1,"unit_amount":150}""");
        api.post("/v1/orders/" + order + "/fulfill", null).expect(200);

        Answer query = get("query", cookie);
        assertThat(query.status()).isEqualTo(200);
        assertThat(query.contentType()).isEqualTo("application/xml;charset=UTF-8");
        assertThat(new String(query.body(), 0, 38, StandardCharsets.UTF_8))
                .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        Element document = documents(query.body()).get(order);
        assertThat(document).as("the paid and fulfilled order is exported").isNotNull();
        assertThat(child(document, "ХозОперация")).isEqualTo("Заказ товара");
        assertThat(child(document, "Роль")).isEqualTo("Продавец");
        assertThat(child(document, "Валюта")).isEqualTo("RUB");
        assertThat(child(document, "Курс")).isEqualTo("1");
        assertThat(child(document, "Номер")).startsWith("WEB-");
        assertThat(child(document, "Дата")).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(child(document, "Время")).matches("\\d{2}:\\d{2}:\\d{2}");
        Element buyer = children(children(document, "Контрагенты").get(0), "Контрагент").get(0);
        assertThat(child(buyer, "Роль")).isEqualTo("Покупатель");
        assertThat(child(buyer, "Наименование")).isEqualTo("buyer@example.com");

        // the ledger, through its API: what the order's entries put on each account
        Map<String, Long> ledger = new HashMap<>();
        for (JournalEntry entry : journal.ofOrder(order)) {
            for (JournalEntry.Line line : entry.lines()) {
                ledger.merge(line.account(), line.amountMinor(), Long::sum);
            }
        }
        long revenue = -(ledger.getOrDefault(PostingRules.SALES, 0L) + ledger.getOrDefault(PostingRules.VAT_PAYABLE, 0L));
        long vat = -ledger.getOrDefault(PostingRules.VAT_PAYABLE, 0L);
        long captured = -journal.ofOrder(order).stream()
                .filter(e -> e.sourceType().equals(PostingRules.SOURCE_PAYMENT_TRANSACTION))
                .flatMap(e -> e.lines().stream()).filter(l -> l.account().equals(PostingRules.ADVANCES))
                .mapToLong(JournalEntry.Line::amountMinor).sum();

        assertThat(minor(child(document, "Сумма"))).isEqualTo(revenue).isEqualTo(12200 + 5997 + 150);
        Element documentTax = children(children(document, "Налоги").get(0), "Налог").get(0);
        assertThat(child(documentTax, "Наименование")).isEqualTo("НДС");
        assertThat(child(documentTax, "УчтеноВСумме")).isEqualTo("true");
        assertThat(minor(child(documentTax, "Сумма"))).isEqualTo(vat).isEqualTo(2200 + 545);
        long linesTotal = 0;
        long linesVat = 0;
        List<Element> products = children(children(document, "Товары").get(0), "Товар");
        assertThat(products).hasSize(3);
        for (Element product : products) {
            long price = minor(child(product, "ЦенаЗаЕдиницу"));
            long quantity = Long.parseLong(child(product, "Количество"));
            long sum = minor(child(product, "Сумма"));
            assertThat(price * quantity).as(child(product, "Наименование")).isEqualTo(sum);
            linesTotal += sum;
            String rate = child(children(children(product, "СтавкиНалогов").get(0), "СтавкаНалога").get(0), "Ставка");
            List<Element> taxes = children(product, "Налоги");
            if (rate.equals("Без налога")) {
                assertThat(taxes).isEmpty();
            } else {
                Element tax = children(taxes.get(0), "Налог").get(0);
                assertThat(child(tax, "Ставка")).isEqualTo(rate);
                long lineVat = minor(child(tax, "Сумма"));
                // the one VAT rule: half-up on the line's inclusive total
                assertThat(lineVat).isEqualTo(io.moneytrail.order.Vat.includedIn(sum, Integer.valueOf(rate)));
                linesVat += lineVat;
            }
        }
        assertThat(linesTotal).isEqualTo(revenue);
        assertThat(linesVat).isEqualTo(vat);

        Map<String, String> requisites = requisites(document);
        assertThat(requisites).containsEntry("Статус заказа", "fulfilled").containsEntry("Статус оплаты", "paid")
                .containsEntry("Заказ оплачен", "true").containsEntry("Метод оплаты", "sandbox")
                .containsEntry("Отменен", "false").containsEntry("Финальный статус", "true");
        assertThat(minor(requisites.get("Сумма оплаты"))).isEqualTo(captured).isEqualTo(revenue);
        assertThat(requisites.get("Дата оплаты")).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
        String paymentDocument = payments.transactionsOfOrder(order).stream()
                .filter(t -> t.kind() == io.moneytrail.payment.MoneyTransaction.Kind.CAPTURE)
                .map(io.moneytrail.payment.MoneyTransaction::providerReference).findFirst().orElseThrow();
        assertThat(requisites).containsEntry("Номер платежного документа", paymentDocument);
        get("success", cookie);
    }

    @Test
    void a_query_without_success_sends_the_same_orders_again_and_being_exported_is_not_a_change() {
        String cookie = login();
        drain(cookie);
        String order = order("{\"sku\":\"S-1\",\"name\":\"Тапочки\",\"quantity\":1,\"unit_amount\":120000,\"vat_rate\":22}");

        assertThat(documents(get("query", cookie).body())).containsKey(order);
        assertThat(documents(get("query", cookie).body())).as("not acknowledged: sent again").containsKey(order);
        assertThat(get("success", cookie).lines()).containsExactly("success");
        assertThat(documents(get("query", cookie).body())).as("acknowledged and unchanged").doesNotContainKey(order);
        assertThat(documents(get("query", cookie).body())).as("an export is not a change").doesNotContainKey(order);

        api.post("/v1/orders/" + order + "/cancel", null).expect(200);
        Element again = documents(get("query", cookie).body()).get(order);
        assertThat(again).as("changed after the acknowledgement: sent again").isNotNull();
        assertThat(requisites(again)).containsEntry("Отменен", "true").containsEntry("Статус заказа", "cancelled")
                .containsEntry("Заказ оплачен", "false").doesNotContainKey("Дата оплаты");
        get("success", cookie);
    }

    @Test
    void windows_1251_output_through_the_exchange() throws Exception {
        String cookie = login();
        drain(cookie);
        String order = order("{\"sku\":\"S-2\",\"name\":\"Шапка-ушанка\",\"quantity\":2,\"unit_amount\":6100,\"vat_rate\":22}");
        OnecExchange windows = new OnecExchange(new OnecSettings("windows-1251", null, null, null), tracked, changes,
                orders, payments, tx, clock);
        OnecExchange.Export export = windows.query();
        assertThat(export.charset()).isEqualTo(Charset.forName("windows-1251"));
        assertThat(new String(export.xml(), 0, 45, StandardCharsets.US_ASCII))
                .isEqualTo("<?xml version=\"1.0\" encoding=\"windows-1251\"?>");
        assertThat(new String(export.xml(), Charset.forName("windows-1251"))).contains("Шапка-ушанка")
                .contains("<Сумма>122.00</Сумма>");
        Element document = documents(export.xml()).get(order);
        assertThat(minor(child(document, "Сумма"))).isEqualTo(12200);
        windows.success();
    }

    @Test
    void a_file_of_changes_from_1c_applied_twice_changes_the_orders_once() throws Exception {
        String cookie = login();
        String shipped = paidOrder("{\"sku\":\"S-3\",\"name\":\"Валенки\",\"quantity\":1,\"unit_amount\":250000,\"vat_rate\":22}");
        String cancelled = order("{\"sku\":\"S-4\",\"name\":\"Самовар\",\"quantity\":1,\"unit_amount\":120000,\"vat_rate\":22}");
        Map<String, String> marks = Map.of("SHIPPED", shipped, "CANCELLED", cancelled);

        Answer first = file(cookie, fixture("changes-from-1c.xml", StandardCharsets.UTF_8, marks));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.lines()).containsExactly("success");
        assertThat(api.get("/v1/orders/" + shipped).text("status")).isEqualTo("fulfilled");
        assertThat(api.get("/v1/orders/" + cancelled).text("status")).isEqualTo("cancelled");
        assertThat(statusChangesBy1c(shipped)).isEqualTo(1);
        assertThat(statusChangesBy1c(cancelled)).isEqualTo(1);
        TimelineEntry entry = timeline.of(shipped).stream().filter(e -> "1c".equals(e.data().get("actor"))).findFirst()
                .orElseThrow();
        assertThat(entry.summary()).isEqualTo("order open -> fulfilled: fulfilled by 1c");
        assertThat(auditRows(shipped, "order.fulfill", "succeeded")).isEqualTo(1);
        assertThat(auditRows(cancelled, "order.cancel", "succeeded")).isEqualTo(1);
        int timelineSize = timeline.of(shipped).size() + timeline.of(cancelled).size();

        // the same changes again (1C repeats a file it was not sure arrived), this time in windows-1251
        Answer replay = file(cookie, fixture("changes-from-1c-windows-1251.xml", Charset.forName("windows-1251"), marks));
        assertThat(replay.lines()).containsExactly("success");
        assertThat(timeline.of(shipped).size() + timeline.of(cancelled).size()).isEqualTo(timelineSize);
        assertThat(statusChangesBy1c(shipped)).isEqualTo(1);
        assertThat(auditRows(shipped, "order.fulfill", "succeeded")).isEqualTo(1);
        assertThat(auditRows(cancelled, "order.cancel", "succeeded")).isEqualTo(1);
        assertThat(api.get("/v1/orders/" + shipped).text("status")).isEqualTo("fulfilled");
    }

    @Test
    void a_change_the_transition_table_forbids_is_refused_and_reported_never_forced() throws Exception {
        String cookie = login();
        String order = order("{\"sku\":\"S-5\",\"name\":\"Балалайка\",\"quantity\":1,\"unit_amount\":120000,\"vat_rate\":22}");
        api.post("/v1/orders/" + order + "/cancel", null).expect(200);

        Answer answer = file(cookie, fixture("refused-shipment.xml", StandardCharsets.UTF_8, Map.of("ORDER", order)));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.lines().get(0)).isEqualTo("failure");
        assertThat(answer.lines().get(1)).isEqualTo("1 of 1 changes refused (applied 0, already in place 0); nothing was forced:");
        assertThat(answer.lines().get(2)).isEqualTo(order + ": order in state cancelled cannot fulfill (the order's transition table)");
        assertThat(api.get("/v1/orders/" + order).text("status")).isEqualTo("cancelled");
        assertThat(statusChangesBy1c(order)).isZero();
        assertThat(auditRows(order, "order.fulfill", "refused")).isEqualTo(1);

        // the table allows an open order to be fulfilled, but not before it is paid: the API's check
        String unpaid = order("{\"sku\":\"S-6\",\"name\":\"Гармонь\",\"quantity\":1,\"unit_amount\":90000,\"vat_rate\":22}");
        Answer notPaid = file(cookie, fixture("refused-shipment.xml", StandardCharsets.UTF_8, Map.of("ORDER", unpaid)));
        assertThat(notPaid.lines().get(0)).isEqualTo("failure");
        assertThat(notPaid.lines().get(2)).startsWith(unpaid + ": order_not_paid: order " + unpaid + " is unpaid");
        assertThat(api.get("/v1/orders/" + unpaid).text("status")).isEqualTo("open");

        // an order Moneytrail does not have: orders are the store's, 1C does not create them
        Answer unknown = file(cookie, fixture("refused-shipment.xml", StandardCharsets.UTF_8,
                Map.of("ORDER", "ord_00000000000000000000000000")));
        assertThat(unknown.lines()).containsExactly("failure",
                "1 of 1 changes refused (applied 0, already in place 0); nothing was forced:",
                "ord_00000000000000000000000000: no order with Ид or Номер 'ord_00000000000000000000000000' / "
                        + "'ord_00000000000000000000000000'");
        // one of 1C's own orders that asks for nothing is skipped, not refused
        String own = """
                <?xml version="1.0" encoding="UTF-8"?>
                <КоммерческаяИнформация ВерсияСхемы="2.10"><Документ><Ид>5f1c2b9e-0d3a-11ef-9c4b-00155d010203</Ид>
                <Номер>ТД00-000201</Номер><ХозОперация>Заказ товара</ХозОперация><Роль>Продавец</Роль>
                <ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>Проведен</Наименование><Значение>true</Значение>
                </ЗначениеРеквизита></ЗначенияРеквизитов></Документ></КоммерческаяИнформация>""".strip();
        assertThat(file(cookie, own.getBytes(StandardCharsets.UTF_8)).lines()).containsExactly("success");
    }

    @Test
    void hostile_malformed_and_oversized_files_are_failure_with_a_reason_never_a_500_and_change_nothing() throws Exception {
        String cookie = login();
        String order = order("{\"sku\":\"S-7\",\"name\":\"Матрёшка\",\"quantity\":1,\"unit_amount\":50000,\"vat_rate\":22}");
        Map<String, String> marks = Map.of("ORDER", order, "SHIPPED", order, "CANCELLED", order);
        Map<String, String> expected = Map.of(
                "hostile-xxe.xml", "DTD",
                "hostile-billion-laughs.xml", "DTD",
                "declares-windows-1251-but-utf8.xml", "declares encoding windows-1251 but its bytes are UTF-8",
                "truncated.xml", "not well-formed",
                "not-commerceml.xml", "not <КоммерческаяИнформация>");
        for (Map.Entry<String, String> file : expected.entrySet()) {
            Answer answer = file(cookie, fixture(file.getKey(), StandardCharsets.UTF_8, marks));
            assertThat(answer.status()).as(file.getKey()).isEqualTo(200);
            assertThat(answer.lines().get(0)).as(file.getKey()).isEqualTo("failure");
            assertThat(answer.lines().get(1)).as(file.getKey()).contains(file.getValue());
        }
        Answer huge = file(cookie, new byte[8 * 1024 * 1024 + 1]);
        assertThat(huge.status()).isEqualTo(200);
        assertThat(huge.lines()).containsExactly("failure", "the file is 8388609 bytes, over file_limit=8388608");
        Answer garbage = file(cookie, "\u0000\u0001not xml at all".getBytes(StandardCharsets.UTF_8));
        assertThat(garbage.lines().get(0)).isEqualTo("failure");

        assertThat(api.get("/v1/orders/" + order).text("status")).isEqualTo("open");
        assertThat(timeline.of(order)).hasSize(1);
        Optional<Long> anyAudit = Optional.of(auditRows(order, "order.cancel", "refused") + auditRows(order, "order.cancel", "succeeded"));
        assertThat(anyAudit).contains(0L);
    }
}
