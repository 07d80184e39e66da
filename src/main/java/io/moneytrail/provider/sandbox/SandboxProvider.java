package io.moneytrail.provider.sandbox;

import io.moneytrail.money.Money;
import io.moneytrail.payment.CaptureMethod;
import io.moneytrail.payment.PaymentProvider;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.ProviderPayment;
import io.moneytrail.payment.ProviderResult;
import io.moneytrail.payment.ProviderWebhook;
import io.moneytrail.payment.RefundState;
import io.moneytrail.payment.WebhookRejectedException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The sandbox provider adapter: real HTTP to the sandbox's API, whether the sandbox runs in
 * this process (the default with the embedded database) or as its own process; offered only
 * when there is a sandbox to talk to ({@link OnSandboxProvider}). Timeouts, dropped connections, 5xx and
 * unparseable answers are {@link ProviderResult.Unknown}; only an explicit 4xx is a refusal.
 */
@Component
@EnableConfigurationProperties(SandboxProviderProperties.class)
@Conditional(OnSandboxProvider.class)
class SandboxProvider implements PaymentProvider {

    static final String SIGNATURE_HEADER = "sandbox-signature";

    private final SandboxProviderProperties properties;
    private final Environment environment;
    private final ObjectMapper json;
    private final Clock clock;
    private final HttpClient http;

    SandboxProvider(SandboxProviderProperties properties, Environment environment, ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.environment = environment;
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(properties.connectTimeoutMs()))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public String name() {
        return "sandbox";
    }

    @Override
    public ProviderResult<ProviderPayment> create(CreatePayment request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("merchant_reference", request.paymentId());
        body.put("amount", request.amount().amountMinor());
        body.put("currency", request.amount().currencyCode());
        body.put("capture_method", request.captureMethod() == CaptureMethod.MANUAL ? "manual" : "automatic");
        body.put("return_url", request.returnUrl());
        return post("/api/payments", body, request.paymentId(), this::payment);
    }

    @Override
    public ProviderResult<ProviderPayment> capture(String providerPaymentId, Money amount, String idempotencyKey) {
        return post("/api/payments/" + providerPaymentId + "/capture", Map.of("amount", amount.amountMinor()),
                idempotencyKey, this::payment);
    }

    @Override
    public ProviderResult<ProviderPayment> cancel(String providerPaymentId, String idempotencyKey) {
        return post("/api/payments/" + providerPaymentId + "/cancel", Map.of(), idempotencyKey, this::payment);
    }

    @Override
    public ProviderResult<ProviderPayment.Refund> refund(String providerPaymentId, String refundId, Money amount) {
        Map<String, Object> body = Map.of("payment", providerPaymentId, "amount", amount.amountMinor(),
                "merchant_reference", refundId);
        return post("/api/refunds", body, refundId, this::refund);
    }

    @Override
    public ProviderResult<ProviderPayment> fetch(String providerPaymentId) {
        HttpRequest request = request("/api/payments/" + providerPaymentId).GET().build();
        return send(request, this::payment);
    }

    @Override
    public ProviderWebhook verifyWebhook(WebhookRequest webhook) throws WebhookRejectedException {
        byte[] rawBody = webhook.body();
        Map<String, String> headers = webhook.headers();
        String header = headers.get(SIGNATURE_HEADER);
        if (header == null || header.isBlank()) {
            throw new WebhookRejectedException("missing Sandbox-Signature header");
        }
        long timestamp = -1;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length != 2) {
                continue;
            }
            if (pair[0].equals("t")) {
                try {
                    timestamp = Long.parseLong(pair[1]);
                } catch (NumberFormatException e) {
                    throw new WebhookRejectedException("signature timestamp is not a number");
                }
            } else if (pair[0].equals("v1")) {
                signatures.add(pair[1].toLowerCase(Locale.ROOT));
            }
        }
        if (timestamp < 0 || signatures.isEmpty()) {
            throw new WebhookRejectedException("signature header lacks t= or v1=");
        }
        long age = Math.abs(clock.instant().getEpochSecond() - timestamp);
        if (age > properties.toleranceSeconds()) {
            throw new WebhookRejectedException("signature timestamp is " + age + " s away from now (tolerance "
                    + properties.toleranceSeconds() + " s)");
        }
        byte[] expected = hmac(properties.webhookSecret(), timestamp, rawBody);
        boolean matches = false;
        for (String candidate : signatures) {
            byte[] given;
            try {
                given = HexFormat.of().parseHex(candidate);
            } catch (IllegalArgumentException e) {
                continue;
            }
            matches |= MessageDigest.isEqual(expected, given); // constant time
        }
        if (!matches) {
            throw new WebhookRejectedException("signature does not match");
        }
        try {
            JsonNode event = json.readTree(rawBody);
            JsonNode object = event.path("data").path("object");
            String id = text(event, "id");
            if (id == null || text(event, "type") == null || text(object, "id") == null) {
                throw new WebhookRejectedException("event lacks id, type or data.object.id");
            }
            return new ProviderWebhook(id, text(event, "type"), text(object, "id"),
                    text(object, "merchant_reference"), Instant.ofEpochSecond(event.path("created").asLong()));
        } catch (JacksonException e) {
            throw new WebhookRejectedException("body is not JSON");
        }
    }

    /** HMAC-SHA256 over "{timestamp}." followed by the raw body, keyed with the webhook secret. */
    static byte[] hmac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    // ------------------------------------------------------------------ status mapping

    /**
     * The one place where the sandbox's statuses become ours. The sandbox speaks like many
     * acquirers: pending, waiting_for_capture, succeeded, canceled (with a reason).
     */
    static PaymentState map(String status, String cancellationReason, long amountCaptured) {
        switch (status) {
            case "pending":
                return PaymentState.REQUIRES_ACTION; // the customer has not finished the hosted page
            case "waiting_for_capture":
                return amountCaptured > 0 ? PaymentState.PARTIALLY_CAPTURED : PaymentState.AUTHORIZED;
            case "succeeded":
                return PaymentState.CAPTURED; // whatever was not captured has been released
            case "canceled":
                if ("voided".equals(cancellationReason)) {
                    return PaymentState.VOIDED;
                }
                if ("expired".equals(cancellationReason)) {
                    return PaymentState.EXPIRED;
                }
                return PaymentState.FAILED; // declined, 3ds_failed and any reason we do not know
            default:
                throw new IllegalArgumentException("unknown sandbox status " + status);
        }
    }

    static RefundState mapRefund(String status) {
        switch (status) {
            case "pending":
                return RefundState.PENDING;
            case "succeeded":
                return RefundState.SUCCEEDED;
            case "failed":
            case "canceled":
                return RefundState.FAILED;
            default:
                throw new IllegalArgumentException("unknown sandbox refund status " + status);
        }
    }

    private ProviderPayment payment(JsonNode node) {
        String currency = text(node, "currency");
        long captured = node.path("amount_captured").asLong();
        List<ProviderPayment.Capture> captures = new ArrayList<>();
        for (JsonNode capture : node.path("captures")) {
            captures.add(new ProviderPayment.Capture(text(capture, "id"), capture.path("amount").asLong(),
                    instant(capture, "created")));
        }
        List<ProviderPayment.Refund> refunds = new ArrayList<>();
        for (JsonNode refund : node.path("refunds")) {
            refunds.add(refund(refund));
        }
        String status = text(node, "status");
        String reason = text(node, "cancellation_reason");
        return new ProviderPayment(text(node, "id"), text(node, "merchant_reference"),
                map(status == null ? "" : status, reason, captured), Money.of(node.path("amount").asLong(), currency),
                node.path("amount_authorized").asLong(), node.path("amount_released").asLong(), captures, refunds,
                text(node, "confirmation_url"), "canceled".equals(status) ? reason : null,
                "canceled".equals(status) ? "sandbox: payment canceled (" + reason + ")" : null, List.of());
    }

    private ProviderPayment.Refund refund(JsonNode node) {
        String status = text(node, "status");
        return new ProviderPayment.Refund(text(node, "id"), text(node, "merchant_reference"),
                node.path("amount").asLong(), mapRefund(status == null ? "" : status), instant(node, "created"));
    }

    // ------------------------------------------------------------------ HTTP

    private <T> ProviderResult<T> post(String path, Map<String, Object> body, String idempotencyKey,
                                       Function<JsonNode, T> parse) {
        HttpRequest.Builder builder = request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        return send(builder.build(), parse);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofMillis(properties.readTimeoutMs()))
                .header("Authorization", "Bearer " + properties.apiKey())
                .header("Accept", "application/json");
    }

    private <T> ProviderResult<T> send(HttpRequest request, Function<JsonNode, T> parse) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.net.http.HttpTimeoutException e) {
            return new ProviderResult.Unknown<>("timeout after " + properties.readTimeoutMs() + " ms");
        } catch (IOException e) {
            return new ProviderResult.Unknown<>("connection failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProviderResult.Unknown<>("interrupted");
        }
        int status = response.statusCode();
        if (status >= 500) {
            return new ProviderResult.Unknown<>("sandbox answered " + status);
        }
        JsonNode node;
        try {
            node = json.readTree(response.body());
        } catch (JacksonException e) {
            return new ProviderResult.Unknown<>("unparseable answer (HTTP " + status + ")");
        }
        if (status >= 400) {
            JsonNode error = node.path("error");
            String code = text(error, "code");
            return new ProviderResult.Rejected<>(code == null ? "http_" + status : code,
                    text(error, "message") == null ? "HTTP " + status : text(error, "message"));
        }
        try {
            return new ProviderResult.Done<>(parse.apply(node));
        } catch (RuntimeException e) {
            return new ProviderResult.Unknown<>("unparseable answer: " + e.getMessage());
        }
    }

    private String baseUrl() {
        String configured = properties.baseUrl();
        if (configured != null && !configured.isBlank()) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return "http://localhost:" + port + "/sandbox";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
