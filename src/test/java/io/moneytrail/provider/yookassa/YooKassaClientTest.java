package io.moneytrail.provider.yookassa;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.moneytrail.money.Money;
import io.moneytrail.payment.CaptureMethod;
import io.moneytrail.payment.PaymentProvider;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.ProviderPayment;
import io.moneytrail.payment.ProviderResult;
import io.moneytrail.testing.ProviderExamples;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP side of the adapter against a scripted server: authentication, keys, retries, errors, timeouts. */
class YooKassaClientTest {

    private static final JsonMapper JSON = new JsonMapper();

    private HttpServer server;
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final Map<String, List<Reply>> script = new ConcurrentHashMap<>();
    private final List<Duration> sleeps = new ArrayList<>();

    private record Reply(int status, String body, String retryAfter, long delayMs) {
        static Reply of(int status, String body) {
            return new Reply(status, body, null, 0);
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().toString();
            requests.add(Map.of("method", exchange.getRequestMethod(), "path", path,
                    "authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                    "key", String.valueOf(exchange.getRequestHeaders().getFirst("Idempotence-Key")),
                    "body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            List<Reply> replies = script.getOrDefault(exchange.getRequestURI().getPath(), List.of());
            Reply reply = replies.isEmpty() ? Reply.of(404, "{}") : replies.size() == 1 ? replies.get(0) : replies.remove(0);
            try {
                Thread.sleep(reply.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (reply.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", reply.retryAfter());
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(reply.status(), body.length);
                exchange.getResponseBody().write(body);
            } catch (IOException e) {
                // the client gave up (timeout test)
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private YooKassaClient client() {
        return new YooKassaClient(() -> "http://127.0.0.1:" + server.getAddress().getPort(), "100500",
                "test_secret", JSON, 1_000, 500, sleeps::add);
    }

    private void on(String path, Reply... replies) {
        script.put(path, new ArrayList<>(List.of(replies)));
    }

    @Test
    void every_post_carries_basic_authentication_and_the_idempotence_key() {
        on("/v3/payments", Reply.of(200, ProviderExamples.text("yookassa/payment-pending.json")));
        YooKassaClient.Answer answer = client().post("/v3/payments", Map.of("a", 1), "pay_01");
        assertThat(answer).isInstanceOf(YooKassaClient.Ok.class);
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.get("authorization")).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString("100500:test_secret".getBytes(StandardCharsets.UTF_8)));
            assertThat(r.get("key")).isEqualTo("pay_01");
        });
    }

    @Test
    void a_rate_limit_is_waited_out_with_growing_backoff_and_retried_with_the_same_key() {
        on("/v3/payments/p1/capture", new Reply(429, error("too_many_requests"), null, 0),
                new Reply(429, error("too_many_requests"), "1", 0),
                Reply.of(200, ProviderExamples.text("yookassa/payment-succeeded.json")));
        YooKassaClient.Answer answer = client().post("/v3/payments/p1/capture", Map.of(), "cap_1");
        assertThat(answer).isInstanceOf(YooKassaClient.Ok.class);
        assertThat(requests).hasSize(3).allSatisfy(r -> assertThat(r.get("key")).isEqualTo("cap_1"));
        assertThat(sleeps).containsExactly(Duration.ofMillis(250), Duration.ofSeconds(1));
    }

    @Test
    void a_rate_limit_that_does_not_lift_is_an_unknown_outcome() {
        on("/v3/payments/p1", new Reply(429, error("too_many_requests"), "60", 0));
        YooKassaClient.Answer answer = client().get("/v3/payments/p1");
        assertThat(answer).isInstanceOf(YooKassaClient.Unknown.class);
        assertThat(requests).hasSize(YooKassaClient.RATE_LIMITED_ATTEMPTS_MAX);
        assertThat(sleeps).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(YooKassaClient.RATE_LIMITED_BACKOFF_MAX));
    }

    @Test
    void a_5xx_an_unreadable_answer_and_a_timeout_are_unknown_never_a_failure() {
        on("/v3/payments/a", Reply.of(500, error("internal_server_error")));
        on("/v3/payments/b", Reply.of(200, "<html>gateway</html>"));
        on("/v3/payments/c", new Reply(200, "{}", null, 1_500));
        assertThat(client().get("/v3/payments/a")).isInstanceOf(YooKassaClient.Unknown.class);
        assertThat(client().get("/v3/payments/b")).isInstanceOf(YooKassaClient.Unknown.class);
        assertThat(client().get("/v3/payments/c")).isInstanceOfSatisfying(YooKassaClient.Unknown.class,
                u -> assertThat(u.reason()).contains("timeout"));
    }

    @Test
    void yookassas_error_body_is_a_refusal_with_its_code_and_parameter() {
        on("/v3/payments/p1/capture", Reply.of(400, ProviderExamples.text("yookassa/error-invalid-request.json")));
        assertThat(client().post("/v3/payments/p1/capture", Map.of(), "k"))
                .isInstanceOfSatisfying(YooKassaClient.Refused.class, r -> {
                    assertThat(r.httpStatus()).isEqualTo(400);
                    assertThat(r.code()).isEqualTo("invalid_request");
                    assertThat(r.parameter()).isEqualTo("payment_id");
                    assertThat(r.errorId()).isEqualTo("ab5a11cd-13cc-4e33-af8b-75a74e18dd09");
                });
        on("/v3/payments/p2", Reply.of(401, ProviderExamples.text("yookassa/error-invalid-credentials.json")));
        assertThat(client().get("/v3/payments/p2")).isInstanceOfSatisfying(YooKassaClient.Refused.class,
                r -> assertThat(r.code()).isEqualTo("invalid_credentials"));
    }

    @Test
    void the_adapter_asks_for_a_payment_in_the_documented_request_shape() {
        on("/v3/payments", Reply.of(200, ProviderExamples.text("yookassa/payment-pending.json")));
        YooKassaProvider provider = provider();
        ProviderResult<ProviderPayment> result = provider.create(new PaymentProvider.CreatePayment("pay_01", "ord_01",
                Money.of(150_000, "RUB"), CaptureMethod.MANUAL, "https://shop.example/return"));
        assertThat(result).isInstanceOfSatisfying(ProviderResult.Done.class,
                d -> assertThat(((ProviderPayment) d.value()).state()).isEqualTo(PaymentState.REQUIRES_ACTION));
        JsonNode sent = JSON.readTree(requests.get(0).get("body"));
        ProviderExamples.assertSameShape(ProviderExamples.json("yookassa/create-payment-request.json"), sent,
                Set.of("amount", "capture", "confirmation.type"), Set.of("metadata"));
        assertThat(sent.path("metadata").path("order_id").asString()).isEqualTo("ord_01");
        assertThat(sent.path("metadata").path("payment_id").asString()).isEqualTo("pay_01");
        assertThat(requests.get(0).get("key")).isEqualTo("pay_01");
    }

    @Test
    void the_adapter_captures_and_refunds_in_the_documented_request_shapes() {
        on("/v3/payments/2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f/capture",
                Reply.of(200, ProviderExamples.text("yookassa/payment-succeeded.json")));
        on("/v3/refunds", Reply.of(200, ProviderExamples.text("yookassa/refund-succeeded.json")));
        YooKassaProvider provider = provider();
        provider.capture("2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f", Money.of(100_000, "RUB"), "cap_01");
        ProviderExamples.assertSameShape(ProviderExamples.json("yookassa/capture-payment-request.json"),
                JSON.readTree(requests.get(0).get("body")), Set.of("amount"), Set.of());
        ProviderResult<ProviderPayment.Refund> refund = provider.refund("2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f",
                "r-77", Money.of(30_000, "RUB"));
        assertThat(refund).isInstanceOf(ProviderResult.Done.class);
        ProviderExamples.assertSameShape(ProviderExamples.json("yookassa/create-refund-request.json"),
                JSON.readTree(requests.get(1).get("body")), Set.of("amount", "payment_id", "metadata"), Set.of());
        assertThat(requests.get(1).get("key")).isEqualTo("r-77");
    }

    @Test
    void the_resolvers_check_reads_the_payment_and_all_its_refunds() {
        String payment = ProviderExamples.text("yookassa/payment-succeeded.json");
        on("/v3/payments/2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f", Reply.of(200, payment));
        on("/v3/refunds", Reply.of(200, ProviderExamples.text("yookassa/refunds-list.json")));
        ProviderResult<ProviderPayment> result = provider().fetch("2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f");
        assertThat(result).isInstanceOfSatisfying(ProviderResult.Done.class, d -> {
            ProviderPayment p = (ProviderPayment) d.value();
            assertThat(p.state()).isEqualTo(PaymentState.CAPTURED);
            assertThat(p.refunds()).singleElement().satisfies(r -> assertThat(r.merchantReference()).isEqualTo("r-77"));
        });
        assertThat(requests.get(1).get("path"))
                .isEqualTo("/v3/refunds?payment_id=2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f&limit=100");
    }

    @Test
    void an_idempotence_key_longer_than_yookassa_allows_is_hashed_stably() {
        String longKey = "x".repeat(100);
        assertThat(YooKassaProvider.key(longKey)).hasSize(64).isEqualTo(YooKassaProvider.key(longKey));
        assertThat(YooKassaProvider.key("pay_01")).isEqualTo("pay_01");
    }

    private YooKassaProvider provider() {
        org.springframework.mock.env.MockEnvironment environment = new org.springframework.mock.env.MockEnvironment();
        return new YooKassaProvider(new YooKassaProperties("100500", "test_secret",
                "http://127.0.0.1:" + server.getAddress().getPort(), null, 1_000L, 1_000L), environment, JSON,
                java.time.Clock.systemUTC(), new org.springframework.beans.factory.support.StaticListableBeanFactory()
                        .getBeanProvider(io.moneytrail.payment.ReceiptPort.class));
    }

    private static String error(String code) {
        return "{\"type\":\"error\",\"id\":\"e1\",\"code\":\"" + code + "\",\"description\":\"d\"}";
    }
}
