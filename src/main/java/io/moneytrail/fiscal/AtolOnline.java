package io.moneytrail.fiscal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * ATOL Online API v5: {@code POST getToken {login, pass}} (the token is kept and renewed before its
 * 24 hours end, or at once when ATOL answers 401), {@code POST {group}/{operation}} with the body of
 * {@link AtolBodies} and the header {@code Token}, and {@code GET {group}/report/{uuid}}, whose
 * {@code status} is {@code wait}, {@code done} (with the fiscal attributes in {@code payload}) or
 * {@code fail} (with ATOL's {@code error}). A repeated send of the same {@code external_id} is answered
 * by ATOL with error 33 and the document's uuid: the document was taken before, so it is taken.
 */
final class AtolOnline implements FiscalProvider {

    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    /** ATOL's tokens live 24 hours; a new one is taken well before. */
    static final Duration TOKEN_RENEW_AFTER = Duration.ofHours(23);
    /** ATOL's error code for a document whose external_id it already has. */
    static final int ERROR_DUPLICATE_EXTERNAL_ID = 33;

    private record Token(String value, Instant obtained) {
    }

    private final Supplier<String> base;
    private final String login;
    private final String password;
    private final String group;
    private final FiscalCompany company;
    private final HttpClient http;
    private final Duration readTimeout;
    private final ObjectMapper json;
    private final Clock clock;
    private final AtomicReference<Token> token = new AtomicReference<>();

    AtolOnline(Supplier<String> base, String login, String password, String group, FiscalCompany company,
               Duration connectTimeout, Duration readTimeout, ObjectMapper json, Clock clock) {
        this.base = base;
        this.login = login;
        this.password = password;
        this.group = group;
        this.company = company;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.readTimeout = readTimeout;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "atol";
    }

    /** The exact body sent for {@code receipt} at this instant. */
    String body(Receipt receipt) {
        return AtolBodies.text(AtolBodies.of(receipt, company, LocalDateTime.ofInstant(clock.instant(), MOSCOW)));
    }

    @Override
    public Outcome register(Receipt receipt) {
        String path = "/" + group + "/" + receipt.type().wire();
        String body = body(receipt);
        Answer answer = withToken(t -> send(HttpRequest.newBuilder(URI.create(base.get() + path))
                .header("Content-Type", "application/json; charset=utf-8").header("Token", t)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))));
        if (answer.unknown() != null) {
            return new Outcome.Unknown(answer.unknown());
        }
        JsonNode node = answer.json();
        String uuid = text(node, "uuid");
        JsonNode error = node.path("error");
        if (answer.status() / 100 == 2 && uuid != null && (error.isNull() || error.isMissingNode())) {
            return new Outcome.Accepted(uuid);
        }
        if (!error.isObject()) {
            return new Outcome.Unknown("ATOL answered HTTP " + answer.status() + " without uuid or error");
        }
        ReceiptError refused = error(error);
        if (refused.code() != null && refused.code() == ERROR_DUPLICATE_EXTERNAL_ID && uuid != null) {
            return new Outcome.Accepted(uuid);
        }
        if (answer.status() >= 500) {
            return new Outcome.Unknown("ATOL answered HTTP " + answer.status() + ": " + refused.text());
        }
        return new Outcome.Failed(uuid, refused);
    }

    @Override
    public Outcome report(Receipt receipt) {
        String path = "/" + group + "/report/" + receipt.externalUuid();
        Answer answer = withToken(t -> send(HttpRequest.newBuilder(URI.create(base.get() + path)).header("Token", t)
                .GET()));
        if (answer.unknown() != null) {
            return new Outcome.Unknown(answer.unknown());
        }
        JsonNode node = answer.json();
        String status = text(node, "status");
        String uuid = text(node, "uuid");
        if (answer.status() / 100 != 2 || status == null) {
            return new Outcome.Unknown("ATOL answered the report with HTTP " + answer.status()
                    + (node.path("error").isObject() ? ": " + node.path("error").path("text").asText() : ""));
        }
        return switch (status) {
            case "wait" -> new Outcome.Waiting();
            case "done" -> {
                Map<String, Object> fiscal = fiscal(node.path("payload"));
                yield fiscal == null ? new Outcome.Unknown("ATOL reported done without a usable payload")
                        : new Outcome.Done(uuid, fiscal);
            }
            case "fail" -> new Outcome.Failed(uuid, node.path("error").isObject() ? error(node.path("error"))
                    : new ReceiptError(null, "ATOL reported fail without an error", "unknown"));
            default -> new Outcome.Unknown("ATOL reported status " + status);
        };
    }

    /** An answer: its status and body, or why there is none. */
    private record Answer(int status, JsonNode json, String unknown) {
    }

    private interface Call {
        Answer with(String token);
    }

    /** Calls with the current token; on 401 takes a new one and calls once more. */
    private Answer withToken(Call call) {
        String current;
        try {
            current = token(false);
        } catch (TokenRefused e) {
            return new Answer(0, null, e.getMessage());
        }
        if (current == null) {
            return new Answer(0, null, "no token from ATOL");
        }
        Answer answer = call.with(current);
        if (answer.status() == 401) {
            try {
                current = token(true);
            } catch (TokenRefused e) {
                return new Answer(0, null, e.getMessage());
            }
            answer = current == null ? new Answer(0, null, "no token from ATOL") : call.with(current);
        }
        return answer;
    }

    private static final class TokenRefused extends RuntimeException {
        TokenRefused(String message) {
            super(message);
        }
    }

    /** The cached token, or a new one (null when ATOL could not be asked). */
    private String token(boolean renew) {
        Token held = token.get();
        Instant now = clock.instant();
        if (!renew && held != null && held.obtained().plus(TOKEN_RENEW_AFTER).isAfter(now)) {
            return held.value();
        }
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("login", login);
        credentials.put("pass", password);
        Answer answer = send(HttpRequest.newBuilder(URI.create(base.get() + "/getToken"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(credentials), StandardCharsets.UTF_8)));
        if (answer.unknown() != null) {
            return null;
        }
        String value = text(answer.json(), "token");
        if (value == null || value.isBlank()) {
            JsonNode error = answer.json().path("error");
            throw new TokenRefused("ATOL refused getToken (HTTP " + answer.status() + ")"
                    + (error.isObject() ? ": " + error.path("code").asText() + " " + error.path("text").asText() : ""));
        }
        token.set(new Token(value, now));
        return value;
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(readTimeout).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode node;
            try {
                node = json.readTree(response.body());
            } catch (RuntimeException garbage) {
                return new Answer(response.statusCode(), null, "ATOL answered HTTP " + response.statusCode()
                        + " with a body that is not JSON");
            }
            if (node == null || !node.isObject()) {
                return new Answer(response.statusCode(), null, "ATOL answered HTTP " + response.statusCode()
                        + " with a body that is not a JSON object");
            }
            return new Answer(response.statusCode(), node, null);
        } catch (IOException e) {
            return new Answer(0, null, "no answer from ATOL: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, null, "interrupted");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    private static ReceiptError error(JsonNode error) {
        return new ReceiptError(error.hasNonNull("code") ? error.get("code").asInt() : null,
                error.path("text").asText(null), error.path("type").asText(null));
    }

    /** ATOL's payload as we keep it; null when a required attribute is missing. */
    static Map<String, Object> fiscal(JsonNode payload) {
        if (!payload.isObject() || !payload.hasNonNull("fn_number") || !payload.hasNonNull("fiscal_document_number")
                || !payload.hasNonNull("fiscal_document_attribute") || !payload.hasNonNull("receipt_datetime")) {
            return null;
        }
        LocalDateTime at;
        try {
            at = LocalDateTime.parse(payload.get("receipt_datetime").asText(), AtolBodies.TIMESTAMP);
        } catch (DateTimeParseException e) {
            return null;
        }
        Map<String, Object> fiscal = new LinkedHashMap<>();
        fiscal.put("fn_number", payload.get("fn_number").asText());
        fiscal.put("fiscal_document_number", payload.get("fiscal_document_number").asLong());
        fiscal.put("fiscal_document_attribute", payload.get("fiscal_document_attribute").asLong());
        fiscal.put("fiscal_receipt_number", payload.hasNonNull("fiscal_receipt_number")
                ? payload.get("fiscal_receipt_number").asLong() : null);
        fiscal.put("shift_number", payload.hasNonNull("shift_number") ? payload.get("shift_number").asLong() : null);
        fiscal.put("receipt_datetime", at.toString());
        fiscal.put("ecr_registration_number", payload.path("ecr_registration_number").asText(null));
        fiscal.put("fns_site", payload.path("fns_site").asText(null));
        fiscal.put("ofd_inn", payload.path("ofd_inn").asText(null));
        fiscal.put("total", payload.path("total").isNumber() ? payload.get("total").decimalValue().toPlainString() : null);
        return fiscal;
    }
}
