package io.moneytrail.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.moneytrail.order.Order;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ATOL v5 client against a recording stub of ATOL (a JDK HTTP server standing in for WireMock,
 * which is not among the build's dependencies): the token is asked once and kept, renewed on 401;
 * the registration request carries the header Token and the exact body; a repeated external_id
 * (error 33) counts as taken; the report's wait/done/fail map to outcomes; 5xx and timeouts are
 * unknown, never failed. Answers follow ATOL's documented shapes (src/test/resources/fiscal/atol/README.md).
 */
class AtolOnlineClientTest {

    record Seen(String method, String path, String token, String body) {
    }

    private HttpServer server;
    private final List<Seen> seen = new ArrayList<>();
    private final Map<String, Function<Seen, String[]>> answers = new ConcurrentHashMap<>();
    private AtolOnline atol;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/possystem/v5";
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T20:05:00Z"), ZoneOffset.UTC);
        atol = new AtolOnline(() -> base, "shop-login", "shop-pass", "shop-group", AtolRequestBodiesTest.SELLER,
                Duration.ofSeconds(5), Duration.ofMillis(2500), new JsonMapper(), clock);
        answers.put("POST /possystem/v5/getToken", s -> new String[] {"200",
                "{\"error\":null,\"token\":\"tok-1\",\"timestamp\":\"01.12.2026 23:05:00\"}"});
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Token"), body);
        seen.add(request);
        Function<Seen, String[]> answer = answers.get(request.method() + " " + request.path());
        String[] reply = answer == null ? new String[] {"404", "{}"} : answer.apply(request);
        if (reply[0].equals("sleep")) {
            try {
                Thread.sleep(4000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply = new String[] {"200", "{}"};
        }
        byte[] bytes = reply[1].getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(Integer.parseInt(reply[0]), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Receipt advance() {
        Order order = AtolRequestBodiesTest.order(AtolRequestBodiesTest.KETTLE, AtolRequestBodiesTest.DELIVERY);
        return AtolRequestBodiesTest.stored(ReceiptRules.capture(order, 157000, FiscalMode.PREPAYMENT, "osn"),
                "rct_01kbprepayment00000000000");
    }

    @Test
    void a_receipt_is_sent_with_the_token_and_the_exact_body_and_the_token_is_kept() throws IOException {
        answers.put("POST /possystem/v5/shop-group/sell", s -> new String[] {"200",
                "{\"uuid\":\"4b4f3a1e-0c2d-4e55-9d7a-1f0c2b3a4d5e\",\"status\":\"wait\",\"error\":null,"
                        + "\"timestamp\":\"01.12.2026 23:05:00\"}"});
        assertThat(atol.register(advance())).isEqualTo(
                new FiscalProvider.Outcome.Accepted("4b4f3a1e-0c2d-4e55-9d7a-1f0c2b3a4d5e"));
        assertThat(atol.register(advance())).isInstanceOf(FiscalProvider.Outcome.Accepted.class);

        assertThat(seen).extracting(Seen::path).containsExactly("/possystem/v5/getToken",
                "/possystem/v5/shop-group/sell", "/possystem/v5/shop-group/sell");
        assertThat(seen.get(0).body()).isEqualTo("{\"login\":\"shop-login\",\"pass\":\"shop-pass\"}");
        assertThat(seen.get(1).token()).isEqualTo("tok-1");
        AtolRequestBodiesTest.assertBody("sell-prepayment.json", seen.get(1).body());
    }

    @Test
    void a_401_takes_a_new_token_and_sends_once_more() {
        int[] tokens = {0};
        answers.put("POST /possystem/v5/getToken", s -> new String[] {"200",
                "{\"error\":null,\"token\":\"tok-" + (++tokens[0]) + "\",\"timestamp\":\"01.12.2026 23:05:00\"}"});
        answers.put("POST /possystem/v5/shop-group/sell", s -> "tok-1".equals(s.token())
                ? new String[] {"401", "{\"error\":{\"error_id\":\"e1\",\"code\":11,\"text\":\"Токен истёк\","
                + "\"type\":\"system\"},\"timestamp\":\"01.12.2026 23:05:00\"}"}
                : new String[] {"200", "{\"uuid\":\"u-2\",\"status\":\"wait\",\"error\":null}"});
        assertThat(atol.register(advance())).isEqualTo(new FiscalProvider.Outcome.Accepted("u-2"));
        assertThat(seen).extracting(Seen::token).containsExactly(null, "tok-1", null, "tok-2");
    }

    @Test
    void a_repeated_external_id_counts_as_taken_and_other_errors_fail_with_atols_error() {
        answers.put("POST /possystem/v5/shop-group/sell", s -> new String[] {"400",
                "{\"uuid\":\"u-first\",\"status\":\"fail\",\"error\":{\"error_id\":\"e2\",\"code\":33,"
                        + "\"text\":\"В системе существует чек с external_id\",\"type\":\"system\"}}"});
        assertThat(atol.register(advance())).isEqualTo(new FiscalProvider.Outcome.Accepted("u-first"));

        answers.put("POST /possystem/v5/shop-group/sell", s -> new String[] {"400",
                "{\"uuid\":null,\"status\":\"fail\",\"error\":{\"error_id\":\"e3\",\"code\":32,"
                        + "\"text\":\"Ошибка валидации JSON\",\"type\":\"system\"}}"});
        assertThat(atol.register(advance())).isEqualTo(new FiscalProvider.Outcome.Failed(null,
                new ReceiptError(32, "Ошибка валидации JSON", "system")));
    }

    @Test
    void server_errors_timeouts_and_garbage_are_unknown_never_failed() {
        answers.put("POST /possystem/v5/shop-group/sell", s -> new String[] {"500", "<html>oops</html>"});
        assertThat(atol.register(advance())).isInstanceOf(FiscalProvider.Outcome.Unknown.class);
        answers.put("POST /possystem/v5/shop-group/sell", s -> new String[] {"sleep", ""});
        assertThat(atol.register(advance())).isInstanceOf(FiscalProvider.Outcome.Unknown.class);
        answers.put("POST /possystem/v5/shop-group/sell", s -> new String[] {"503",
                "{\"error\":{\"code\":1,\"text\":\"busy\",\"type\":\"system\"}}"});
        assertThat(atol.register(advance())).isInstanceOf(FiscalProvider.Outcome.Unknown.class);
    }

    @Test
    void the_report_says_wait_then_done_with_the_fiscal_attributes_or_fail_with_atols_error() {
        Receipt taken = withUuid(advance(), "u-9");
        answers.put("GET /possystem/v5/shop-group/report/u-9", s -> new String[] {"200",
                "{\"uuid\":\"u-9\",\"error\":null,\"status\":\"wait\",\"payload\":null,\"timestamp\":\"01.12.2026 23:05:01\"}"});
        assertThat(atol.report(taken)).isInstanceOf(FiscalProvider.Outcome.Waiting.class);

        answers.put("GET /possystem/v5/shop-group/report/u-9", s -> new String[] {"200", """
                {"uuid":"u-9","error":null,"status":"done",
                 "payload":{"total":1570.00,"fns_site":"www.nalog.gov.ru","fn_number":"9999078902004011",
                            "shift_number":23,"receipt_datetime":"01.12.2026 23:05:02","fiscal_receipt_number":6,
                            "fiscal_document_number":133,"ecr_registration_number":"0000000001002292",
                            "fiscal_document_attribute":3449555941,"ofd_inn":"7704211201"},
                 "group_code":"shop-group","daemon_code":"prod-agent-1","device_code":"KSR13.00-1-11",
                 "external_id":"rct_01kbprepayment00000000000","callback_url":"","timestamp":"01.12.2026 23:05:03"}"""});
        FiscalProvider.Outcome done = atol.report(taken);
        assertThat(done).isInstanceOf(FiscalProvider.Outcome.Done.class);
        Map<String, Object> fiscal = ((FiscalProvider.Outcome.Done) done).fiscal();
        assertThat(fiscal).containsEntry("fn_number", "9999078902004011").containsEntry("fiscal_document_number", 133L)
                .containsEntry("fiscal_document_attribute", 3449555941L).containsEntry("receipt_datetime",
                        "2026-12-01T23:05:02").containsEntry("shift_number", 23L)
                .containsEntry("ecr_registration_number", "0000000001002292").containsEntry("fns_site", "www.nalog.gov.ru");

        answers.put("GET /possystem/v5/shop-group/report/u-9", s -> new String[] {"200", """
                {"uuid":"u-9","status":"fail","payload":null,"timestamp":"01.12.2026 23:05:03",
                 "error":{"error_id":"e4","code":10,"text":"Превышен срок ожидания ответа ОФД","type":"agent"}}"""});
        assertThat(atol.report(taken)).isEqualTo(new FiscalProvider.Outcome.Failed("u-9",
                new ReceiptError(10, "Превышен срок ожидания ответа ОФД", "agent")));
        assertThat(seen.get(seen.size() - 1).token()).isEqualTo("tok-1");
    }

    static Receipt withUuid(Receipt r, String uuid) {
        return new Receipt(r.id(), r.orderId(), r.paymentId(), r.refundId(), r.type(), r.paymentMethod(), r.purpose(),
                r.status(), r.total(), r.currency(), r.items(), r.vats(), r.provider(), r.externalId(), uuid, r.fiscal(),
                r.error(), r.data(), r.correctsId(), r.attempts(), r.createdAt(), r.updatedAt());
    }
}
