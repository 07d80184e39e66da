package io.moneytrail.provider.tbank;

import io.moneytrail.payment.ProviderResult;
import io.moneytrail.provider.ApiBase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.core.env.Environment;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * T-Bank's acquiring API v2 over HTTP: JSON POSTs to {@code <base>/v2/<Method>}, each with
 * {@code TerminalKey} and its {@code Token}. Answers are sorted into our three outcomes:
 * {@code Success=true, ErrorCode="0"} is done; any other {@code ErrorCode} is a refusal, except
 * the codes T-Bank documents as its own internal errors or "try again later", which say nothing
 * about whether the call took effect and are unknown, as are timeouts, dropped connections, 5xx
 * and unreadable answers. A 429 is retried with exponential backoff and jitter, then unknown.
 */
final class TBankApi {

    static final String PRODUCTION = "https://securepay.tinkoff.ru";

    /** ErrorCodes that mean "our fault, try later": the outcome is unknown, never a refusal. */
    static final Set<String> INTERNAL_ERRORS = Set.of("3", "21", "401", "402", "903", "999", "1018", "1096",
            "7999", "9001", "9999");

    private final TBankProperties properties;
    private final ApiBase apiBase;
    private final ObjectMapper json;
    private final HttpClient http;

    TBankApi(TBankProperties properties, Environment environment, ObjectMapper json) {
        this.properties = properties;
        this.apiBase = ApiBase.of(properties.apiBase(), PRODUCTION, environment);
        this.json = json;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(properties.connectTimeoutMs()))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Calls {@code method} with {@code parameters} (TerminalKey and Token are added here). */
    ProviderResult<JsonNode> call(String method, Map<String, Object> parameters) {
        return call(method, parameters, false);
    }

    /**
     * As {@link #call(String, Map)}; with {@code stateAnswer} (GetState) an answer that reports a
     * payment's {@code Status} is that payment's state even when it carries the payment's error
     * (a declined payment's {@code ErrorCode}), not a refusal of the call.
     */
    ProviderResult<JsonNode> call(String method, Map<String, Object> parameters, boolean stateAnswer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("TerminalKey", properties.terminalKey());
        body.putAll(parameters);
        body.put("Token", TBankToken.of(body, properties.password()));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/v2/" + method))
                .timeout(Duration.ofMillis(properties.readTimeoutMs()))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<byte[]> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpTimeoutException e) {
                return new ProviderResult.Unknown<>(method + ": no answer within " + properties.readTimeoutMs() + " ms");
            } catch (IOException e) {
                return new ProviderResult.Unknown<>(method + ": connection failed (" + e.getClass().getSimpleName() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ProviderResult.Unknown<>(method + ": interrupted");
            }
            if (response.statusCode() != 429) {
                return answer(method, response, stateAnswer);
            }
            if (attempt >= properties.attemptsMax()) {
                return new ProviderResult.Unknown<>(method + ": still 429 after " + attempt + " attempts");
            }
            if (!pause(attempt)) {
                return new ProviderResult.Unknown<>(method + ": interrupted while backing off a 429");
            }
        }
    }

    private ProviderResult<JsonNode> answer(String method, HttpResponse<byte[]> response, boolean stateAnswer) {
        int status = response.statusCode();
        if (status >= 500 || status == 408) {
            return new ProviderResult.Unknown<>(method + ": T-Bank answered HTTP " + status);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (JacksonException e) {
            body = null;
        }
        if (body == null || !body.isObject() || !body.has("ErrorCode")) {
            return status >= 400 ? new ProviderResult.Rejected<>("http_" + status, method + ": HTTP " + status)
                    : new ProviderResult.Unknown<>(method + ": unreadable answer (HTTP " + status + ")");
        }
        String code = body.path("ErrorCode").asString("");
        boolean success = body.path("Success").asBoolean(false);
        if (success && "0".equals(code)) {
            return new ProviderResult.Done<>(body);
        }
        String message = describe(body);
        if (stateAnswer && text(body, "Status") != null && text(body, "PaymentId") != null
                && !INTERNAL_ERRORS.contains(code)) {
            return new ProviderResult.Done<>(body);
        }
        if (INTERNAL_ERRORS.contains(code)) {
            return new ProviderResult.Unknown<>(method + ": T-Bank error " + code + " (" + message + ")");
        }
        return new ProviderResult.Rejected<>(code.isEmpty() ? "http_" + status : code, message);
    }

    /** {@code Message}, with {@code Details} when it says more. */
    static String describe(JsonNode body) {
        String message = text(body, "Message");
        String details = text(body, "Details");
        if (message == null) {
            return details == null ? "no message" : details;
        }
        return details == null || details.equals(message) ? message : message + ": " + details;
    }

    static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() || value.asString("").isBlank() ? null : value.asString();
    }

    private boolean pause(int attempt) {
        long base = properties.backoffMs() << Math.min(attempt - 1, 10);
        long waitMs = base + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        try {
            Thread.sleep(waitMs);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The API base, resolved at use time (a local one needs the port, known only after start). */
    String base() {
        return apiBase.resolve();
    }

    /** Whether the API base is this process's own (the sandbox dialect). */
    boolean local() {
        return apiBase.local();
    }
}
