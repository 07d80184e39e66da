package io.moneytrail.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * ATOL Online API v5 as the sandbox speaks it, under {@code /sandbox/atol/possystem/v5}:
 * {@code getToken} (POST {@code {"login","pass"}}, or GET with them as query parameters) answers
 * {@code {"error": null, "token": …, "timestamp": …}}, the token living 24 hours; {@code
 * {group_code}/sell}, {@code sell_refund}, {@code sell_correction} and {@code
 * sell_refund_correction} take the token in the {@code Token} header (or {@code ?token=}) and a
 * JSON body ({@code Content-Type: application/json; charset=utf-8}), and answer {@code {"uuid",
 * "status": "wait", "error": null, "timestamp"}}; {@code {group_code}/report/{uuid}} answers
 * wait, done (with the fiscal attributes under {@code payload}) or fail (with ATOL's error).
 * Refusals are ATOL's, with its codes and HTTP statuses ({@link AtolWire.Code}): 10 no or unknown
 * token, 11 expired token, 12 wrong login or password, 13 a getToken body without its fields, 20
 * a group the token is not for, 30 an unknown uuid, 31 an operation it does not take, 32 a body
 * that breaks the schema (naming the fields), 33 an external_id already registered in the group
 * (with that document's uuid: ATOL's de-duplication, whatever the new body), 40 a body that is
 * not JSON, 41 a wrong Content-Type, 50 the injected {@code error_500} fault.
 */
@RestController
@RequestMapping(AtolWire.BASE)
@ConditionalOnSandbox
class AtolApiController {

    static final int BODY_BYTES_MAX = 256 * 1024;
    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final AtolCashRegister register;
    private final AtolFaults faults;

    AtolApiController(AtolCashRegister register, AtolFaults faults) {
        this.register = register;
        this.faults = faults;
    }

    // ---------------------------------------------------------------- getToken

    @PostMapping("/getToken")
    ResponseEntity<byte[]> getToken(HttpServletRequest request) {
        requireJson(request);
        JsonNode body = json(read(request));
        return token(text(body, "login"), text(body, "pass"));
    }

    @GetMapping("/getToken")
    ResponseEntity<byte[]> getToken(@RequestParam(name = "login", required = false) String login,
                                    @RequestParam(name = "pass", required = false) String pass) {
        return token(login, pass);
    }

    private ResponseEntity<byte[]> token(String login, String pass) {
        List<String> missing = new ArrayList<>();
        if (login == null || login.isBlank()) {
            missing.add("login");
        }
        if (pass == null || pass.isBlank()) {
            missing.add("pass");
        }
        if (!missing.isEmpty()) {
            throw new AtolWire.AtolError(AtolWire.Code.VALIDATION, String.join(", ", missing));
        }
        AtolSandboxProperties account = register.account();
        if (!equal(login, account.login()) || !equal(pass, account.password())) {
            throw new AtolWire.AtolError(AtolWire.Code.WRONG_LOGIN_OR_PASSWORD);
        }
        Instant now = register.now();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("error", null);
        answer.put("token", register.issueToken(login, now));
        answer.put("timestamp", AtolWire.time(now));
        return json(200, answer);
    }

    // ---------------------------------------------------------------- registration

    @PostMapping("/{group}/{operation}")
    ResponseEntity<byte[]> registerDocument(@PathVariable String group, @PathVariable String operation,
                                            @RequestParam(name = "token", required = false) String tokenParameter,
                                            HttpServletRequest request) {
        authorise(group, request.getHeader("Token"), tokenParameter);
        if (!AtolRequests.OPERATIONS.contains(operation)) {
            throw new AtolWire.AtolError(AtolWire.Code.OPERATION_NOT_SUPPORTED, null, null, operation);
        }
        requireJson(request);
        byte[] raw = read(request);
        JsonNode body = json(raw);
        AtolRequests.Document document = AtolRequests.read(operation, body);
        AtolFaults.Profile fault = faults.forDocument(document.externalId());
        return SandboxApiFaults.around(faults.apiFault(document.externalId()), () -> {
            Instant now = register.now();
            String uuid = register.register(group, operation, new String(raw, StandardCharsets.UTF_8), document,
                    fault, now);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("uuid", uuid);
            answer.put("status", "wait");
            answer.put("error", null);
            answer.put("timestamp", AtolWire.time(now));
            return json(200, answer);
        });
    }

    // ---------------------------------------------------------------- report

    /** A read: no API fault applies, so the client can always ask. */
    @GetMapping("/{group}/report/{uuid}")
    ResponseEntity<byte[]> report(@PathVariable String group, @PathVariable String uuid,
                                  @RequestParam(name = "token", required = false) String tokenParameter,
                                  HttpServletRequest request) {
        authorise(group, request.getHeader("Token"), tokenParameter);
        if (!UUID_FORM.matcher(uuid).matches()) {
            throw new AtolWire.AtolError(AtolWire.Code.MISSING_UUID, null, "fail", uuid);
        }
        Map<String, Object> report = register.report(uuid, register.now())
                .filter(body -> group.equals(body.get("group_code")))
                .orElseThrow(() -> new AtolWire.AtolError(AtolWire.Code.MISSING_UUID, null, "fail", uuid));
        return json(200, report);
    }

    // ---------------------------------------------------------------- refusals in ATOL's shape

    @ExceptionHandler(AtolWire.AtolError.class)
    ResponseEntity<byte[]> refused(AtolWire.AtolError e, HttpServletRequest request) {
        return error(e.code, e.getMessage(), e.uuid, e.status, request);
    }

    /** The sandbox's own refusals: the injected fault is ATOL's 50, anything unreadable its 40. */
    @ExceptionHandler(SandboxException.class)
    ResponseEntity<byte[]> refused(SandboxException e, HttpServletRequest request) {
        AtolWire.Code code = "internal".equals(e.code()) ? AtolWire.Code.SERVER_ERROR : AtolWire.Code.BAD_REQUEST;
        return error(code, code.text(), null, null, request);
    }

    private ResponseEntity<byte[]> error(AtolWire.Code code, String text, String uuid, String status,
                                         HttpServletRequest request) {
        Map<String, Object> answer = new LinkedHashMap<>();
        Map<String, Object> error = AtolWire.error(code.code, text, code.type);
        String timestamp = AtolWire.time(register.now());
        if (request.getRequestURI().endsWith("/getToken")) {
            answer.put("error", error);
            answer.put("token", null);
            answer.put("timestamp", timestamp);
        } else {
            answer.put("uuid", uuid);
            answer.put("status", status);
            answer.put("error", error);
            answer.put("timestamp", timestamp);
        }
        return json(code.http.value(), answer);
    }

    // ---------------------------------------------------------------- helpers

    /** The token from the header or the query; known, alive, and for this group. */
    private void authorise(String group, String header, String parameter) {
        String token = header != null && !header.isBlank() ? header.trim() : parameter;
        if (token == null || token.isBlank()) {
            throw new AtolWire.AtolError(AtolWire.Code.MISSING_TOKEN);
        }
        AtolCashRegister.Token known = register.token(token)
                .orElseThrow(() -> new AtolWire.AtolError(AtolWire.Code.MISSING_TOKEN));
        if (!known.expiresAt().isAfter(register.now())) {
            throw new AtolWire.AtolError(AtolWire.Code.EXPIRED_TOKEN);
        }
        if (!register.account().group().equals(group) || !register.account().login().equals(known.login())) {
            throw new AtolWire.AtolError(AtolWire.Code.GROUP_CODE_AND_TOKEN_DONT_MATCH);
        }
    }

    private static void requireJson(HttpServletRequest request) {
        String type = request.getContentType();
        MediaType parsed;
        try {
            parsed = type == null ? null : MediaType.parseMediaType(type);
        } catch (RuntimeException e) {
            parsed = null;
        }
        if (parsed == null || !MediaType.APPLICATION_JSON.equalsTypeAndSubtype(parsed)
                || (parsed.getCharset() != null && !StandardCharsets.UTF_8.equals(parsed.getCharset()))) {
            throw new AtolWire.AtolError(AtolWire.Code.UNSUPPORTED_MEDIA_TYPE, type == null ? "" : type);
        }
    }

    private static JsonNode json(byte[] raw) {
        try {
            JsonNode node = AtolWire.JSON.readTree(raw);
            if (node == null || !node.isObject()) {
                throw new AtolWire.AtolError(AtolWire.Code.BAD_REQUEST);
            }
            return node;
        } catch (JacksonException e) {
            throw new AtolWire.AtolError(AtolWire.Code.BAD_REQUEST);
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    private static boolean equal(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] read(HttpServletRequest request) {
        try (InputStream in = request.getInputStream()) {
            byte[] raw = in.readNBytes(BODY_BYTES_MAX + 1);
            if (raw.length > BODY_BYTES_MAX) {
                throw new AtolWire.AtolError(AtolWire.Code.BAD_REQUEST);
            }
            return raw;
        } catch (IOException e) {
            throw new AtolWire.AtolError(AtolWire.Code.BAD_REQUEST);
        }
    }

    private static ResponseEntity<byte[]> json(int status, Object body) {
        return ResponseEntity.status(status)
                .contentType(new MediaType("application", "json", StandardCharsets.UTF_8))
                .body(SandboxJson.bytes(body));
    }
}
