package io.moneytrail.provider.yookassa;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Supplier;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * HTTP to YooKassa's API v3: Basic authentication with the shop id and secret key, an
 * {@code Idempotence-Key} on every POST, JSON both ways. It answers one of three things and
 * never throws: the object, YooKassa's refusal (a 4xx with its error body), or "unknown" (a
 * timeout, a dropped connection, a 5xx, an unreadable answer, or a 429 that outlasted the
 * retries). A 429 is retried with exponential backoff, honouring {@code Retry-After} up to a bound.
 */
final class YooKassaClient {

    /** Attempts for one call when YooKassa answers 429 (the first and this many minus one retries). */
    static final int RATE_LIMITED_ATTEMPTS_MAX = 4;
    static final Duration RATE_LIMITED_BACKOFF_FIRST = Duration.ofMillis(250);
    static final Duration RATE_LIMITED_BACKOFF_MAX = Duration.ofSeconds(4);
    /** YooKassa's bound on an idempotence key. */
    static final int IDEMPOTENCE_KEY_LENGTH_MAX = 64;

    /** What a call came to. */
    sealed interface Answer {
    }

    record Ok(JsonNode body) implements Answer {
    }

    /** A 4xx with YooKassa's error object ({@code type: error, id, code, description, parameter}). */
    record Refused(int httpStatus, String code, String description, String parameter, String errorId)
            implements Answer {
    }

    record Unknown(String reason) implements Answer {
    }

    private final Supplier<String> baseUrl;
    private final String authorization;
    private final ObjectMapper json;
    private final RestClient http;
    private final long readTimeoutMs;
    private final Sleeper sleeper;

    /** Waits between 429 retries; tests replace it. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    YooKassaClient(Supplier<String> baseUrl, String shopId, String secretKey, ObjectMapper json,
                   long connectTimeoutMs, long readTimeoutMs, Sleeper sleeper) {
        this.baseUrl = baseUrl;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((shopId + ":" + secretKey).getBytes(StandardCharsets.UTF_8));
        this.json = json;
        this.readTimeoutMs = readTimeoutMs;
        this.sleeper = sleeper;
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(connectTimeoutMs))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
        factory.setReadTimeout(Duration.ofMillis(readTimeoutMs));
        this.http = RestClient.builder().requestFactory(factory).build();
    }

    Answer get(String path) {
        return withRateLimitRetries(() -> send(http.get().uri(URI.create(baseUrl.get() + path))
                .header("Authorization", authorization)
                .accept(MediaType.APPLICATION_JSON)));
    }

    Answer post(String path, Object body, String idempotenceKey) {
        if (idempotenceKey == null || idempotenceKey.isEmpty() || idempotenceKey.length() > IDEMPOTENCE_KEY_LENGTH_MAX) {
            throw new IllegalArgumentException("an Idempotence-Key of 1.." + IDEMPOTENCE_KEY_LENGTH_MAX
                    + " characters is required");
        }
        byte[] bytes = json.writeValueAsBytes(body);
        return withRateLimitRetries(() -> send(http.post().uri(URI.create(baseUrl.get() + path))
                .header("Authorization", authorization)
                .header("Idempotence-Key", idempotenceKey)
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .body(bytes)));
    }

    /** One attempt: its answer, or a 429 with how long YooKassa asked us to wait (null if it did not say). */
    private record Attempt(Answer answer, Duration retryAfter) {
        static Attempt answered(Answer answer) {
            return new Attempt(answer, null);
        }

        boolean rateLimited() {
            return answer == null;
        }
    }

    private Answer withRateLimitRetries(Supplier<Attempt> call) {
        Duration backoff = RATE_LIMITED_BACKOFF_FIRST;
        for (int attempt = 1; ; attempt++) {
            Attempt limited = call.get();
            if (!limited.rateLimited()) {
                return limited.answer();
            }
            if (attempt >= RATE_LIMITED_ATTEMPTS_MAX) {
                return new Unknown("rate limited (HTTP 429) " + attempt + " times");
            }
            Duration wait = limited.retryAfter() != null && limited.retryAfter().compareTo(backoff) > 0
                    ? limited.retryAfter() : backoff;
            try {
                sleeper.sleep(wait.compareTo(RATE_LIMITED_BACKOFF_MAX) > 0 ? RATE_LIMITED_BACKOFF_MAX : wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Unknown("interrupted while waiting out a rate limit");
            }
            backoff = backoff.multipliedBy(2);
        }
    }

    private Attempt send(RestClient.RequestHeadersSpec<?> request) {
        try {
            return request.exchange((req, response) -> {
                HttpStatusCode status = response.getStatusCode();
                byte[] body = response.getBody().readAllBytes();
                return interpret(status.value(), body, response.getHeaders().getFirst("Retry-After"));
            }, true);
        } catch (RestClientException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException || cause instanceof java.net.SocketTimeoutException) {
                return Attempt.answered(new Unknown("timeout after " + readTimeoutMs + " ms"));
            }
            return Attempt.answered(new Unknown("connection failed: " + cause.getClass().getSimpleName()));
        }
    }

    private Attempt interpret(int status, byte[] body, String retryAfter) {
        if (status == 429) {
            return new Attempt(null, seconds(retryAfter));
        }
        return Attempt.answered(answer(status, body));
    }

    private Answer answer(int status, byte[] body) {
        if (status >= 500) {
            return new Unknown("YooKassa answered HTTP " + status);
        }
        JsonNode node;
        try {
            node = body.length == 0 ? null : json.readTree(body);
        } catch (JacksonException e) {
            node = null;
        }
        if (status >= 400) {
            if (node == null || !"error".equals(text(node, "type"))) {
                return new Refused(status, "http_" + status, "HTTP " + status + " without YooKassa's error body",
                        null, null);
            }
            String code = text(node, "code");
            return new Refused(status, code == null ? "http_" + status : code,
                    text(node, "description") == null ? "HTTP " + status : text(node, "description"),
                    text(node, "parameter"), text(node, "id"));
        }
        if (status != 200 || node == null || !node.isObject()) {
            return new Unknown("unexpected answer: HTTP " + status + (node == null ? " with no JSON body" : ""));
        }
        return new Ok(node);
    }

    private static Duration seconds(String retryAfter) {
        if (retryAfter == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
        } catch (NumberFormatException e) {
            return null; // an HTTP date: use our own backoff
        }
    }

    /** A field's scalar value as text; null when absent, null, or an object or array (hostile input is not a 500). */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asString();
    }
}
