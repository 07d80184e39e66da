package io.moneytrail.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the API, as a store's backend would use it. */
public final class Api {

    public static final String SANDBOX_KEY = "sk_sandbox_local";
    private static final JsonMapper JSON = new JsonMapper();
    private static final Duration EVENTUALLY_MAX = Duration.ofSeconds(20);
    private static final Duration REQUEST_MAX = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String key;

    public Api(String base, String key) {
        this.base = base;
        this.key = key;
    }

    public String base() {
        return base;
    }

    public String key() {
        return key;
    }

    /** A response: status and parsed JSON body (null when the body is not JSON). */
    public record Response(int status, JsonNode body, String raw) {
        public String text(String field) {
            JsonNode value = body.path(field);
            return value.isNull() || value.isMissingNode() ? null : value.asText();
        }

        public long number(String field) {
            return body.path(field).asLong();
        }

        public String errorCode() {
            return body.path("error").path("code").asText();
        }

        public String errorType() {
            return body.path("error").path("type").asText();
        }

        public String errorParam() {
            JsonNode param = body.path("error").path("param");
            return param.isNull() ? null : param.asText();
        }

        public Response expect(int expected) {
            assertThat(status).as("HTTP status of %s", raw).isEqualTo(expected);
            return this;
        }
    }

    public Response get(String path) {
        return send(request(path).GET().build());
    }

    /**
     * POSTs as a careful store does: a request that moves money (a refund, a capture) carries a
     * fresh {@code Idempotency-Key}, since the service requires one there; others carry none.
     */
    public Response post(String path, String json) {
        return post(path, json, movesMoney(path) ? "test-" + UUID.randomUUID() : null);
    }

    /** POSTs with exactly this {@code Idempotency-Key}, or with none when it is null. */
    public Response post(String path, String json, String idempotencyKey) {
        HttpRequest.Builder builder = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json));
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        return send(builder.build());
    }

    /** The requests that require an {@code Idempotency-Key}. */
    public static boolean movesMoney(String path) {
        return path.matches("/v1/refunds|/v1/payments/[^/?]+/capture");
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (RuntimeException notJson) {
                body = JSON.missingNode();
            }
            return new Response(response.statusCode(), body, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A request with a generous bound: the first OpenAPI document is generated on demand and took
     * over 30 s on a 2-core machine that was also running the 100,000-customer simulation.
     */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .timeout(REQUEST_MAX).header("Authorization", "Bearer " + key);
    }

    // ------------------------------------------------------------ the store's usual moves

    public Response createOrder(long unitAmount, long quantity) {
        return post("/v1/orders", """
                {"currency":"EUR","reference":"T-1","customer":{"email":"buyer@example.com"},
                 "lines":[{"sku":"SKU-1","name":"Thing","quantity":%d,"unit_amount":%d,"vat_rate":22}]}"""
                .formatted(quantity, unitAmount)).expect(200);
    }

    public Response createPayment(String orderId, String captureMethod) {
        return post("/v1/orders/" + orderId + "/payments",
                "{\"provider\":\"sandbox\",\"capture_method\":\"" + captureMethod + "\"}").expect(200);
    }

    /** Does what the button on the sandbox's hosted page does. */
    public int completeSandboxPage(String redirectUrl, String outcome) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(redirectUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("outcome=" + outcome)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Calls the sandbox's own API, as an operator of the provider would. */
    public Response sandbox(String method, String path, String json) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + "/sandbox/api" + path))
                .header("Authorization", "Bearer " + SANDBOX_KEY).header("Content-Type", "application/json");
        builder.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        return send(builder.build());
    }

    /** Polls {@code path} until the predicate holds (webhooks are asynchronous), bounded. */
    public Response eventually(String path, Predicate<Response> condition) {
        long deadline = System.nanoTime() + EVENTUALLY_MAX.toNanos();
        Response last = get(path);
        while (!condition.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + EVENTUALLY_MAX + "; last: " + last.raw());
            }
            sleep(20);
            last = get(path);
        }
        return last;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
