package io.moneytrail.provider.stripe;

import io.moneytrail.testing.Api;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to the sandbox's Stripe dialect as Stripe's dashboard or API would (form-encoded, Bearer key). */
final class StripeDialectClient {

    static final String SECRET_KEY = "sk_test_moneytrail_sandbox";
    static final String WEBHOOK_SECRET = "whsec_moneytrail_sandbox";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    StripeDialectClient(Api api) {
        this.base = api.base();
    }

    record Answer(int status, JsonNode body, String raw) {
        String text(String field) {
            JsonNode value = body.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + SECRET_KEY)
                .GET().build());
    }

    Answer post(String path, String form) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + SECRET_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode body = response.body().isBlank() || !response.body().strip().startsWith("{")
                    ? JSON.createObjectNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), body, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POSTs the hosted page's form, as the customer's browser does; answers the HTTP status. */
    int pay(String redirectUrl, String outcome) {
        return send(HttpRequest.newBuilder(URI.create(redirectUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("outcome=" + outcome)).build()).status();
    }
}
