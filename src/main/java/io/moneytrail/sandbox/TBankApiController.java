package io.moneytrail.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * T-Bank's acquiring API v2 as the sandbox speaks it: {@code POST /sandbox/tbank/v2/Init},
 * {@code GetState}, {@code Confirm} and {@code Cancel}, JSON in and out, each request signed
 * with its {@code Token} by the sandbox terminal's password. Like T-Bank, every answer is HTTP
 * 200, a refusal included ({@code Success=false} with T-Bank's {@code ErrorCode}, {@code Message}
 * and {@code Details}); the {@code error_500} fault is an HTTP 500. Init is de-duplicated by
 * {@code OrderId}, Cancel by {@code ExternalRequestId}: a repeat is answered as the first was.
 * Confirm takes the money once and releases whatever it does not take.
 */
@RestController
@RequestMapping("/sandbox/tbank/v2")
@ConditionalOnSandbox
class TBankApiController {

    static final int BODY_BYTES_MAX = 64 * 1024;
    static final int ORDER_ID_MAX = 36;
    static final int DESCRIPTION_MAX = 140;
    static final int URL_MAX = 2_000;
    static final int DATA_PAIRS_MAX = 20;
    static final int EXTERNAL_REQUEST_ID_MAX = 256;

    private final SandboxService service;
    private final SandboxStore store;
    private final SandboxFaults faults;
    private final TBankSandboxProperties terminal;
    private final TBankDialect dialect;
    private final TBankSandboxStore ids;

    TBankApiController(SandboxService service, SandboxStore store, SandboxFaults faults,
                       TBankSandboxProperties terminal, TBankDialect dialect, TBankSandboxStore ids) {
        this.service = service;
        this.ids = ids;
        this.store = store;
        this.faults = faults;
        this.terminal = terminal;
        this.dialect = dialect;
    }

    // ---------------------------------------------------------------- methods

    @PostMapping("/Init")
    ResponseEntity<byte[]> init(HttpServletRequest request) {
        SandboxJson.Body body = signed(request);
        long amount = amount(body, true);
        String orderId = body.requiredString("OrderId", ORDER_ID_MAX);
        String payType = body.string("PayType", 1);
        if (payType != null && !payType.equals("O") && !payType.equals("T")) {
            throw SandboxException.badRequest("parameter_invalid", "PayType is O or T");
        }
        Long currency = body.integer("Currency");
        if (currency != null && currency != 643) {
            throw new TBankError("253", "Валюта " + currency + " не разрешена для данного терминала");
        }
        TBankWire.Data data = new TBankWire.Data(terminal.terminalKey(), orderId, payType == null ? "O" : payType,
                body.string("Description", DESCRIPTION_MAX), body.string("NotificationURL", URL_MAX),
                body.string("SuccessURL", URL_MAX), body.string("FailURL", URL_MAX), data(body.node()));
        List<Object> fingerprint = List.of(amount, data.payType());
        return SandboxApiFaults.around(faults.global(), () -> reply(service.idempotent("tbank Init " + terminal.terminalKey(),
                orderId, fingerprint, () -> {
                    String id = ids.nextPaymentId();
                    SandboxPayment payment = service.insertPayment(new SandboxService.NewPayment(orderId, amount,
                            "RUB", "T".equals(data.payType()) ? SandboxPayment.MANUAL : SandboxPayment.AUTOMATIC,
                            data.successUrl(), id, TBankWire.DIALECT, data.json()));
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("Success", true);
                    answer.put("ErrorCode", "0");
                    answer.put("TerminalKey", terminal.terminalKey());
                    answer.put("Status", TBankWire.status(payment));
                    answer.put("PaymentId", payment.id());
                    answer.put("OrderId", orderId);
                    answer.put("Amount", amount);
                    answer.put("PaymentURL", dialect.confirmationUrl(payment));
                    return new SandboxService.Result(answer, List.of());
                })));
    }

    /** A read: no API fault applies, so the resolver can always ask. */
    @PostMapping("/GetState")
    ResponseEntity<byte[]> getState(HttpServletRequest request) {
        SandboxPayment payment = payment(paymentId(signed(request)));
        String[] error = TBankWire.error(payment);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Success", error == null);
        answer.put("ErrorCode", error == null ? "0" : error[0]);
        answer.put("Message", error == null ? "OK" : error[1]);
        if (error != null) {
            answer.put("Details", error[1]);
        }
        answer.put("TerminalKey", terminal.terminalKey());
        answer.put("Status", TBankWire.status(payment));
        answer.put("PaymentId", payment.id());
        answer.put("OrderId", payment.merchantReference());
        answer.put("Amount", TBankWire.currentAmount(payment));
        return json(answer);
    }

    @PostMapping("/Confirm")
    ResponseEntity<byte[]> confirm(HttpServletRequest request) {
        SandboxJson.Body body = signed(request);
        String paymentId = paymentId(body);
        Long amount = body.node().has("Amount") ? amount(body, true) : null;
        payment(paymentId);
        return SandboxApiFaults.around(faults.forPayment(paymentId), () -> {
            List<WebhookDispatcher.Pending> events = new ArrayList<>();
            SandboxPayment confirmed = store.inTransaction(() -> {
                SandboxPayment payment = store.lockPayment(paymentId).orElseThrow();
                if (!"AUTHORIZED".equals(TBankWire.status(payment))) {
                    throw new TBankError("8", "Неверный статус транзакции",
                            "payment " + paymentId + " is " + TBankWire.status(payment) + ", not AUTHORIZED");
                }
                long taken = amount == null ? payment.amountCapturable() : amount;
                if (taken > payment.amountCapturable()) {
                    throw new TBankError("330", "Сумма в запросе больше чем в оригинальной транзакции");
                }
                SandboxService.Changed captured = service.capturePayment(paymentId, taken);
                events.addAll(captured.events());
                if (captured.payment().amountCapturable() == 0) {
                    return captured.payment();
                }
                SandboxService.Changed released = service.cancelPayment(paymentId); // T-Bank confirms once
                events.addAll(released.events());
                return released.payment();
            });
            service.dispatch(events);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("TerminalKey", terminal.terminalKey());
            answer.put("OrderId", confirmed.merchantReference());
            answer.put("Success", true);
            answer.put("Status", TBankWire.status(confirmed));
            answer.put("PaymentId", confirmed.id());
            answer.put("ErrorCode", "0");
            answer.put("Message", "OK");
            answer.put("Details", "None");
            return json(answer);
        });
    }

    /**
     * Voids a NEW payment (CANCELED) or an authorised one (REVERSED; in full: the sandbox keeps no
     * partially reversed authorisations), or refunds a confirmed one, {@code Amount} or all that
     * is left (PARTIAL_REFUNDED, REFUNDED). With {@code ExternalRequestId} a repeat is answered as
     * the first call was and changes nothing.
     */
    @PostMapping("/Cancel")
    ResponseEntity<byte[]> cancel(HttpServletRequest request) {
        SandboxJson.Body body = signed(request);
        String paymentId = paymentId(body);
        Long amount = body.node().has("Amount") ? amount(body, true) : null;
        String externalRequestId = body.string("ExternalRequestId", EXTERNAL_REQUEST_ID_MAX);
        boolean keyed = externalRequestId != null && !externalRequestId.isEmpty();
        payment(paymentId);
        return SandboxApiFaults.around(faults.forPayment(paymentId), () -> {
            if (keyed) {
                return reply(service.idempotent("tbank Cancel " + paymentId, externalRequestId, List.of(paymentId),
                        () -> cancelOnce(paymentId, amount, externalRequestId)));
            }
            SandboxService.Result result = store.inTransaction(() -> cancelOnce(paymentId, amount, null));
            service.dispatch(result.events());
            return json(result.body());
        });
    }

    private SandboxService.Result cancelOnce(String paymentId, Long amount, String externalRequestId) {
        SandboxPayment before = store.lockPayment(paymentId).orElseThrow();
        String status = TBankWire.status(before);
        long original = TBankWire.currentAmount(before);
        SandboxService.Changed changed;
        switch (status) {
            case "NEW" -> changed = service.cancelPayment(paymentId); // Amount is ignored for NEW
            case "AUTHORIZED" -> {
                if (amount != null && amount != before.amountCapturable()) {
                    throw new TBankError("324", "Указанный тип отмены не может быть выполнен по операции",
                            "the sandbox reverses an authorisation in full only");
                }
                changed = service.cancelPayment(paymentId);
            }
            case "CONFIRMED", "PARTIAL_REFUNDED" -> {
                if (amount != null && amount > before.amountRefundable()) {
                    throw new TBankError("330", "Сумма в запросе больше чем в оригинальной транзакции");
                }
                changed = service.refundPayment(new SandboxService.NewRefund(paymentId, amount, externalRequestId));
            }
            default -> throw new TBankError("8", "Неверный статус транзакции",
                    "payment " + paymentId + " is " + status);
        }
        SandboxPayment after = changed.payment();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("TerminalKey", terminal.terminalKey());
        answer.put("OrderId", after.merchantReference());
        answer.put("Success", true);
        answer.put("Status", TBankWire.status(after));
        answer.put("OriginalAmount", original);
        answer.put("NewAmount", "NEW".equals(status) ? 0 : TBankWire.currentAmount(after));
        answer.put("PaymentId", Long.parseLong(after.id()));
        answer.put("ErrorCode", "0");
        answer.put("Message", "OK");
        answer.put("Details", "None");
        if (externalRequestId != null) {
            answer.put("ExternalRequestId", externalRequestId);
        }
        return new SandboxService.Result(answer, changed.events());
    }

    // ---------------------------------------------------------------- refusals in T-Bank's shape

    /** A refusal with T-Bank's code. */
    static final class TBankError extends RuntimeException {
        final String code;
        final String details;

        TBankError(String code, String message) {
            this(code, message, message);
        }

        TBankError(String code, String message, String details) {
            super(message, null, false, false);
            this.code = code;
            this.details = details;
        }
    }

    @ExceptionHandler(TBankError.class)
    ResponseEntity<byte[]> refused(TBankError e) {
        return error(e.code, e.getMessage(), e.details);
    }

    /** The sandbox's own refusals, in T-Bank's codes; the injected fault is an HTTP 500. */
    @ExceptionHandler(SandboxException.class)
    ResponseEntity<byte[]> refused(SandboxException e) {
        return switch (e.code()) {
            case "internal" -> ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_JSON)
                    .body(SandboxJson.bytes(errorBody("9999", "Внутренняя ошибка системы", e.getMessage())));
            case "not_found" -> error("255", "Платеж не найден", e.getMessage());
            case "invalid_state" -> error("8", "Неверный статус транзакции", e.getMessage());
            case "amount_too_large" -> error("330", "Сумма в запросе больше чем в оригинальной транзакции", e.getMessage());
            case "idempotency_mismatch" -> error("20", "Ошибка повторного идентификатора заказа", e.getMessage());
            case "parameter_missing" -> error("2", "Отсутствуют обязательные параметры", e.getMessage());
            default -> error("1", "Параметры не сопоставлены", e.getMessage());
        };
    }

    private static ResponseEntity<byte[]> error(String code, String message, String details) {
        return json(errorBody(code, message, details));
    }

    private static Map<String, Object> errorBody(String code, String message, String details) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Success", false);
        answer.put("ErrorCode", code);
        answer.put("Message", message);
        answer.put("Details", details);
        return answer;
    }

    // ---------------------------------------------------------------- helpers

    /** The body, from this terminal and with the right Token; else T-Bank's 501 or 204. */
    private SandboxJson.Body signed(HttpServletRequest request) {
        SandboxJson.Body body = SandboxJson.body(read(request));
        String terminalKey = body.node().path("TerminalKey").asString("");
        if (!terminal.terminalKey().equals(terminalKey)) {
            throw new TBankError("501", "Терминал не найден", "no terminal " + terminalKey);
        }
        JsonNode token = body.node().get("Token");
        if (token == null || !token.isString()
                || !TBankWire.token(body.node(), terminal.password()).equals(token.asString())) {
            throw new TBankError("204", "Неверный токен. Проверьте пару TerminalKey/SecretKey",
                    "Token does not match the request");
        }
        return body;
    }

    private static long amount(SandboxJson.Body body, boolean required) {
        Long amount = required ? body.requiredInteger("Amount") : body.integer("Amount");
        if (amount <= 0 || amount > SandboxService.AMOUNT_MAX) {
            throw new TBankError("251", "Неверная сумма. Сумма должна быть больше или равна 100 копеек");
        }
        return amount;
    }

    /** T-Bank's PaymentId: a string of digits in requests, a number in some answers; either is read. */
    private static String paymentId(SandboxJson.Body body) {
        JsonNode value = body.node().get("PaymentId");
        String id = value == null || value.isNull() ? "" : value.asString("");
        if (id.isBlank()) {
            throw new TBankError("2", "Отсутствуют обязательные параметры", "PaymentId is required");
        }
        if (!id.matches("[0-9]{1,20}")) {
            throw new TBankError("217", "Поле PaymentId числовое значение должно укладываться в формат");
        }
        return id;
    }

    /** The dialect's payment, or T-Bank's 255. */
    private SandboxPayment payment(String paymentId) {
        return service.find(paymentId).filter(p -> TBankWire.DIALECT.equals(p.dialect()))
                .orElseThrow(() -> new TBankError("255", "Платеж не найден", "no payment " + paymentId));
    }

    private static Map<String, String> data(JsonNode root) {
        JsonNode data = root.get("DATA");
        Map<String, String> pairs = new LinkedHashMap<>();
        if (data == null || data.isNull()) {
            return pairs;
        }
        if (!data.isObject() || data.size() > DATA_PAIRS_MAX) {
            throw new TBankError("207", "Параметр DATA превышает максимально допустимый размер");
        }
        data.properties().forEach(e -> pairs.put(e.getKey(), e.getValue().asString("")));
        return pairs;
    }

    private static byte[] read(HttpServletRequest request) {
        try (InputStream in = request.getInputStream()) {
            byte[] raw = in.readNBytes(BODY_BYTES_MAX + 1);
            if (raw.length > BODY_BYTES_MAX) {
                throw SandboxException.bodyTooLarge(BODY_BYTES_MAX);
            }
            return raw;
        } catch (IOException e) {
            throw SandboxException.badRequest("invalid_json", "request body could not be read");
        }
    }

    private static ResponseEntity<byte[]> reply(SandboxService.Reply reply) {
        return ResponseEntity.status(reply.status()).contentType(MediaType.APPLICATION_JSON).body(reply.body());
    }

    private static ResponseEntity<byte[]> json(Object body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(SandboxJson.bytes(body));
    }
}
