package io.moneytrail.provider.tbank;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.moneytrail.payment.ProviderResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How the T-Bank client sorts answers into done, refused and unknown, against a local stand-in for T-Bank. */
class TBankApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HttpServer server;
    private final Deque<Object[]> answers = new ArrayDeque<>(); // {status, body}
    private final List<JsonNode> received = new ArrayList<>();
    private TBankApi api;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/", exchange -> {
            received.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            Object[] answer = answers.isEmpty() ? new Object[] {500, "{}"} : answers.poll();
            byte[] body = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders((Integer) answer[0], body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        TBankProperties properties = new TBankProperties("TestDEMO", "pw", "http://127.0.0.1:"
                + server.getAddress().getPort(), null, 1_000L, 1_000L, 3, 10L);
        api = new TBankApi(properties, new MockEnvironment(), JSON);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(int status, String body) {
        answers.add(new Object[] {status, body});
    }

    @Test
    void a_successful_answer_is_done_and_every_request_is_signed() {
        answer(200, "{\"Success\":true,\"ErrorCode\":\"0\",\"Status\":\"CONFIRMED\",\"PaymentId\":\"1\"}");
        ProviderResult<JsonNode> result = api.call("Confirm", Map.of("PaymentId", "1", "Amount", 500L));
        assertThat(result).isInstanceOf(ProviderResult.Done.class);
        JsonNode sent = received.get(0);
        assertThat(sent.path("TerminalKey").asString()).isEqualTo("TestDEMO");
        assertThat(TBankToken.matches(sent, "pw")).isTrue();
    }

    @Test
    void a_refusal_carries_tbanks_code_and_message() {
        answer(200, "{\"Success\":false,\"ErrorCode\":\"8\",\"Message\":\"Неверный статус транзакции\",\"Details\":\"x\"}");
        ProviderResult<JsonNode> result = api.call("Confirm", Map.of("PaymentId", "1"));
        assertThat(result).isEqualTo(new ProviderResult.Rejected<JsonNode>("8", "Неверный статус транзакции: x"));
    }

    @Test
    void internal_errors_5xx_and_unreadable_answers_are_unknown() {
        answer(200, "{\"Success\":false,\"ErrorCode\":\"9999\",\"Message\":\"Внутренняя ошибка системы\"}");
        answer(503, "busy");
        answer(200, "<html>proxy</html>");
        assertThat(api.call("Cancel", Map.of("PaymentId", "1"))).isInstanceOf(ProviderResult.Unknown.class);
        assertThat(api.call("Cancel", Map.of("PaymentId", "1"))).isInstanceOf(ProviderResult.Unknown.class);
        assertThat(api.call("Cancel", Map.of("PaymentId", "1"))).isInstanceOf(ProviderResult.Unknown.class);
    }

    @Test
    void a_429_is_retried_with_backoff_then_given_up_as_unknown() {
        answer(429, "{}");
        answer(200, "{\"Success\":true,\"ErrorCode\":\"0\",\"Status\":\"NEW\",\"PaymentId\":\"2\"}");
        assertThat(api.call("Init", Map.of("Amount", 100L, "OrderId", "pay_1"))).isInstanceOf(ProviderResult.Done.class);
        assertThat(received).hasSize(2);
        answer(429, "{}");
        answer(429, "{}");
        answer(429, "{}");
        assertThat(api.call("Init", Map.of("Amount", 100L, "OrderId", "pay_2"))).isInstanceOf(ProviderResult.Unknown.class);
        assertThat(received).hasSize(5);
    }

    @Test
    void a_getstate_of_a_declined_payment_is_its_state_not_a_refusal() {
        String declined = "{\"Success\":false,\"ErrorCode\":\"1051\",\"Message\":\"Недостаточно средств\","
                + "\"Status\":\"REJECTED\",\"PaymentId\":\"3\",\"Amount\":100}";
        answer(200, declined);
        answer(200, declined);
        assertThat(api.call("GetState", Map.of("PaymentId", "3"), true)).isInstanceOf(ProviderResult.Done.class);
        assertThat(api.call("Cancel", Map.of("PaymentId", "3"))).isInstanceOf(ProviderResult.Rejected.class);
    }

    @Test
    void no_answer_in_time_is_unknown() throws IOException {
        server.stop(0);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/", exchange -> {
            try {
                Thread.sleep(1_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        TBankApi slow = new TBankApi(new TBankProperties("TestDEMO", "pw", "http://127.0.0.1:"
                + server.getAddress().getPort(), null, 1_000L, 300L, 3, 10L), new MockEnvironment(), JSON);
        ProviderResult<JsonNode> result = slow.call("Confirm", Map.of("PaymentId", "1"));
        assertThat(result).isInstanceOf(ProviderResult.Unknown.class);
        assertThat(((ProviderResult.Unknown<JsonNode>) result).reason()).contains("no answer within 300 ms");
    }
}
