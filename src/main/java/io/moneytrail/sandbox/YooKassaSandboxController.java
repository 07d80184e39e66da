package io.moneytrail.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * YooKassa's API v3 as the sandbox speaks it, at {@code /sandbox/yookassa/v3}: HTTP Basic with
 * the dialect's shop id and secret key, an {@code Idempotence-Key} required on every POST and
 * honoured for 24 hours, YooKassa's request and answer shapes, its error body, and the
 * sandbox's API faults (a 500, or an answer held past the client's patience). YooKassa's rules
 * hold: a capture may be partial but there is one (it completes the payment and releases the
 * rest), only a {@code waiting_for_capture} payment can be canceled, and refunds need a
 * {@code succeeded} payment.
 */
@RestController
@RequestMapping(YooKassaSandboxUrls.PREFIX + "/v3")
@ConditionalOnSandbox
class YooKassaSandboxController {

    static final String IDEMPOTENCE_KEY = "Idempotence-Key";
    static final int IDEMPOTENCE_KEY_MAX = 64;
    static final int REFUNDS_PAGE_MAX = 100;
    static final int REFUNDS_PAGE_DEFAULT = 10;

    private final SandboxService service;
    private final SandboxFaults faults;
    private final YooKassaObjects objects;
    private final YooKassaRefundDetails refundDetails;
    private final SandboxStore store;
    private final YooKassaShopAuth auth;
    private final YooKassaReceipts receipts;

    YooKassaSandboxController(SandboxService service, SandboxFaults faults, YooKassaObjects objects,
                              YooKassaRefundDetails refundDetails, SandboxStore store, YooKassaShopAuth auth,
                              YooKassaReceipts receipts) {
        this.receipts = receipts;
        this.service = service;
        this.faults = faults;
        this.objects = objects;
        this.refundDetails = refundDetails;
        this.store = store;
        this.auth = auth;
    }

    // ---------------------------------------------------------------- payments

    @PostMapping("/payments")
    ResponseEntity<byte[]> create(@RequestHeader(value = IDEMPOTENCE_KEY, required = false) String key,
                                  HttpServletRequest request) {
        authenticate(request);
        String idempotenceKey = idempotenceKey(key);
        JsonNode raw = body(request);
        YooKassaRequests.NewPayment body = YooKassaRequests.NewPayment.from(raw);
        YooKassaReceiptRequests.Checked receipt = YooKassaReceiptRequests.inRequest(raw.get("receipt"), body.amount(),
                body.currency());
        // the payment does not exist yet: only the global fault profile applies
        return SandboxApiFaults.around(faults.global(), () -> reply(service.idempotent(scope(request),
                idempotenceKey, Arrays.asList(body.fingerprint(), String.valueOf(raw.get("receipt"))), () -> {
                    YooKassaObjects.Data data = new YooKassaObjects.Data(body.description(), body.metadata());
                    SandboxPayment payment = service.insertPayment(new SandboxService.NewPayment(
                            merchantReference(body.metadata()), body.amount(), body.currency(),
                            body.capture() ? SandboxPayment.AUTOMATIC : SandboxPayment.MANUAL, body.returnUrl(),
                            YooKassaIds.payment(Instant.now()), YooKassaObjects.DIALECT, data.json()));
                    if (receipt != null) {
                        receipts.insert("payment", payment.id(), null, receipt, Instant.now());
                    }
                    return new SandboxService.Result(objects.payment(payment), List.of());
                })));
    }

    @GetMapping("/payments/{id}")
    ResponseEntity<byte[]> payment(@PathVariable String id, HttpServletRequest request) {
        authenticate(request);
        return json(objects.payment(ours(id)));
    }

    /** All or part of the authorisation; part of it completes the payment and releases the rest. */
    @PostMapping("/payments/{id}/capture")
    ResponseEntity<byte[]> capture(@PathVariable String id,
                                   @RequestHeader(value = IDEMPOTENCE_KEY, required = false) String key,
                                   HttpServletRequest request) {
        authenticate(request);
        String idempotenceKey = idempotenceKey(key);
        SandboxPayment payment = ours(id);
        JsonNode raw = body(request);
        JsonNode amountNode = raw.get("amount");
        Long amount = amountNode == null || amountNode.isNull() ? null
                : YooKassaRequests.amountMinor(amountNode, payment.currency(), "amount");
        // a partial capture carries the receipt of what is captured; it replaces the one sent with the payment
        YooKassaReceiptRequests.Checked receipt = YooKassaReceiptRequests.inRequest(raw.get("receipt"),
                amount == null ? payment.amountAuthorized() : amount, payment.currency());
        return SandboxApiFaults.around(faults.forPayment(id), () -> reply(service.idempotent(scope(request),
                idempotenceKey, Arrays.asList(id, amount, String.valueOf(raw.get("receipt"))), () -> {
                    if (receipt != null) {
                        receipts.replacePaymentReceipt(id, receipt, Instant.now());
                    }
                    SandboxService.Changed captured = service.capturePayment(id, amount);
                    List<WebhookDispatcher.Pending> events = new ArrayList<>(captured.events());
                    SandboxPayment after = captured.payment();
                    if (SandboxPayment.WAITING_FOR_CAPTURE.equals(after.status())) {
                        SandboxService.Changed released = service.cancelPayment(id);
                        events.addAll(released.events());
                        after = released.payment();
                    }
                    return new SandboxService.Result(objects.payment(after), events);
                })));
    }

    @PostMapping("/payments/{id}/cancel")
    ResponseEntity<byte[]> cancel(@PathVariable String id,
                                  @RequestHeader(value = IDEMPOTENCE_KEY, required = false) String key,
                                  HttpServletRequest request) {
        authenticate(request);
        String idempotenceKey = idempotenceKey(key);
        ours(id);
        return SandboxApiFaults.around(faults.forPayment(id), () -> reply(service.idempotent(scope(request),
                idempotenceKey, List.of(id), () -> {
                    service.change(id, (locked, now) -> {
                        if (!SandboxPayment.WAITING_FOR_CAPTURE.equals(locked.status())) {
                            throw YooKassaError.invalid("payment_id", "Payment " + id + " has status "
                                    + locked.status() + "; only a payment in status waiting_for_capture can be canceled");
                        }
                        return locked;
                    }, null);
                    SandboxService.Changed canceled = service.cancelPayment(id);
                    return new SandboxService.Result(objects.payment(canceled.payment()), canceled.events());
                })));
    }

    // ---------------------------------------------------------------- refunds

    @PostMapping("/refunds")
    ResponseEntity<byte[]> createRefund(@RequestHeader(value = IDEMPOTENCE_KEY, required = false) String key,
                                  HttpServletRequest request) {
        authenticate(request);
        String idempotenceKey = idempotenceKey(key);
        JsonNode raw = body(request);
        YooKassaRequests.NewRefund body = YooKassaRequests.NewRefund.from(raw);
        SandboxPayment payment = ours(body.paymentId());
        long amount = YooKassaRequests.amountMinor(body.amount(), payment.currency(), "amount");
        YooKassaReceiptRequests.Checked receipt = YooKassaReceiptRequests.inRequest(raw.get("receipt"), amount,
                payment.currency());
        Object fingerprint = Arrays.asList(body.paymentId(), amount, body.description(), String.valueOf(body.metadata()),
                String.valueOf(raw.get("receipt")));
        return SandboxApiFaults.around(faults.forPayment(payment.id()), () -> reply(service.idempotent(scope(request),
                idempotenceKey, fingerprint, () -> {
                    if (!SandboxPayment.SUCCEEDED.equals(service.find(payment.id()).map(SandboxPayment::status)
                            .orElse(null))) {
                        throw YooKassaError.invalid("payment_id", "Payment " + payment.id()
                                + " is not succeeded; only a succeeded payment can be refunded");
                    }
                    String refundId = YooKassaIds.refund(Instant.now());
                    // the details go first: the refund's notification, rendered with it, echoes them
                    refundDetails.insert(refundId, new YooKassaRefundDetails.Details(body.description(),
                            body.metadata() == null ? null : SandboxJson.string(body.metadata())));
                    if (receipt != null) {
                        receipts.insert("refund", payment.id(), refundId, receipt, Instant.now());
                    }
                    SandboxService.Changed refunded = service.refundPayment(new SandboxService.NewRefund(
                            payment.id(), amount, body.merchantReference(), refundId));
                    return new SandboxService.Result(objects.refund(refunded.refund(), payment.currency()),
                            refunded.events());
                })));
    }

    @GetMapping("/refunds/{id}")
    ResponseEntity<byte[]> refund(@PathVariable String id, HttpServletRequest request) {
        authenticate(request);
        SandboxPayment.Refund refund = store.findRefund(id).orElseThrow(() -> YooKassaError.notFound("refund", id));
        SandboxPayment payment = ours(refund.paymentId());
        return json(objects.refund(refund, payment.currency()));
    }

    /** The refunds of one payment, oldest first, a page at a time ({@code cursor} is the last id seen). */
    @GetMapping("/refunds")
    ResponseEntity<byte[]> refunds(@RequestParam(name = "payment_id", required = false) String paymentId,
                                   @RequestParam(name = "limit", required = false) String limitText,
                                   @RequestParam(name = "cursor", required = false) String cursor,
                                   HttpServletRequest request) {
        authenticate(request);
        if (paymentId == null || paymentId.isBlank()) {
            throw YooKassaError.invalid("payment_id", "the sandbox lists refunds of one payment: give payment_id");
        }
        int limit = limit(limitText);
        SandboxPayment payment = ours(paymentId);
        List<SandboxPayment.Refund> all = store.refundsOf(payment.id());
        int start = 0;
        if (cursor != null) {
            start = -1;
            for (int i = 0; i < all.size() && start < 0; i++) {
                if (all.get(i).id().equals(cursor)) {
                    start = i + 1;
                }
            }
            if (start < 0) {
                throw YooKassaError.invalid("cursor", "cursor is not a refund of this payment");
            }
        }
        List<SandboxPayment.Refund> page = all.subList(start, Math.min(all.size(), start + limit));
        List<Map<String, Object>> items = page.stream().map(r -> objects.refund(r, payment.currency())).toList();
        String next = start + limit < all.size() ? page.get(page.size() - 1).id() : null;
        return json(YooKassaObjects.list(items, next));
    }

    // ---------------------------------------------------------------- receipts (54-FZ, YooKassa's own)

    /**
     * A receipt on its own: {@code type} payment (with {@code payment_id}) or refund (with {@code refund_id}),
     * {@code send}, the customer, items and settlements (an advance's offset settles {@code prepayment}).
     */
    @PostMapping("/receipts")
    ResponseEntity<byte[]> createReceipt(@RequestHeader(value = IDEMPOTENCE_KEY, required = false) String key,
                                         HttpServletRequest request) {
        authenticate(request);
        String idempotenceKey = idempotenceKey(key);
        JsonNode raw = body(request);
        String type = raw.path("type").isString() ? raw.get("type").asString() : null;
        if (!"payment".equals(type) && !"refund".equals(type)) {
            throw YooKassaError.invalid("type", "type is payment or refund");
        }
        String paymentId;
        String refundId = null;
        if ("refund".equals(type)) {
            refundId = raw.path("refund_id").isString() ? raw.get("refund_id").asString() : null;
            if (refundId == null) {
                throw YooKassaError.invalid("refund_id", "refund_id is required for a refund receipt");
            }
            String wanted = refundId;
            paymentId = store.findRefund(refundId).map(SandboxPayment.Refund::paymentId)
                    .orElseThrow(() -> YooKassaError.invalid("refund_id", "refund " + wanted + " does not exist"));
        } else {
            paymentId = raw.path("payment_id").isString() ? raw.get("payment_id").asString() : null;
            if (paymentId == null) {
                throw YooKassaError.invalid("payment_id", "payment_id is required for a payment receipt");
            }
        }
        String forPayment = paymentId;
        SandboxPayment payment = service.find(paymentId).filter(p -> YooKassaObjects.DIALECT.equals(p.dialect()))
                .orElseThrow(() -> YooKassaError.invalid("payment_id", "payment " + forPayment + " does not exist"));
        YooKassaReceiptRequests.Checked checked = YooKassaReceiptRequests.onItsOwn(raw, payment.currency());
        String refund = refundId;
        return reply(service.idempotent(scope(request), idempotenceKey, raw.toString(), () -> {
            String id = receipts.insert(type, payment.id(), refund, checked, Instant.now(), false);
            return new SandboxService.Result(YooKassaReceipts.object(receipts.find(id).orElseThrow()), List.of());
        }));
    }

    @GetMapping("/receipts/{id}")
    ResponseEntity<byte[]> receipt(@PathVariable String id, HttpServletRequest request) {
        authenticate(request);
        return json(YooKassaReceipts.object(receipts.find(id).orElseThrow(() -> YooKassaError.notFound("receipt", id))));
    }

    /** A payment's or a refund's receipts, oldest first, on one page. */
    @GetMapping("/receipts")
    ResponseEntity<byte[]> receiptList(@RequestParam(name = "payment_id", required = false) String paymentId,
                                       @RequestParam(name = "refund_id", required = false) String refundId,
                                       @RequestParam(name = "limit", required = false) String limitText,
                                       HttpServletRequest request) {
        authenticate(request);
        limit(limitText);
        if ((paymentId == null || paymentId.isBlank()) && (refundId == null || refundId.isBlank())) {
            throw YooKassaError.invalid("payment_id", "the sandbox lists the receipts of one payment or refund: give "
                    + "payment_id or refund_id");
        }
        List<Map<String, Object>> items = receipts.of(paymentId, refundId == null || refundId.isBlank() ? null : refundId)
                .stream().map(YooKassaReceipts::object).toList();
        return json(YooKassaObjects.list(items, null));
    }

    // ---------------------------------------------------------------- errors

    @ExceptionHandler(YooKassaError.class)
    ResponseEntity<byte[]> refused(YooKassaError e) {
        return e.response();
    }

    @ExceptionHandler(SandboxException.class)
    ResponseEntity<byte[]> refused(SandboxException e) {
        return YooKassaError.of(e).response();
    }

    // ---------------------------------------------------------------- helpers

    private void authenticate(HttpServletRequest request) {
        auth.check(request);
    }

    /** A payment of this dialect; the sandbox's other payments do not exist for YooKassa. */
    private SandboxPayment ours(String id) {
        return service.find(id).filter(p -> YooKassaObjects.DIALECT.equals(p.dialect()))
                .orElseThrow(() -> YooKassaError.notFound("payment", id));
    }

    private static String merchantReference(JsonNode metadata) {
        for (String key : List.of("payment_id", "order_id")) {
            JsonNode value = metadata == null ? null : metadata.get(key);
            if (value != null && !value.asString().isBlank()) {
                return value.asString().length() > SandboxService.MERCHANT_REFERENCE_MAX
                        ? value.asString().substring(0, SandboxService.MERCHANT_REFERENCE_MAX) : value.asString();
            }
        }
        return "-";
    }

    private static String idempotenceKey(String key) {
        if (key == null || key.isBlank()) {
            throw YooKassaError.invalid(IDEMPOTENCE_KEY, "Idempotence-Key header is required");
        }
        if (key.length() > IDEMPOTENCE_KEY_MAX) {
            throw YooKassaError.invalid(IDEMPOTENCE_KEY, "Idempotence-Key is at most " + IDEMPOTENCE_KEY_MAX
                    + " characters");
        }
        return key;
    }

    private static int limit(String text) {
        if (text == null) {
            return REFUNDS_PAGE_DEFAULT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= REFUNDS_PAGE_MAX) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw YooKassaError.invalid("limit", "limit is from 1 to " + REFUNDS_PAGE_MAX);
    }

    private static String scope(HttpServletRequest request) {
        return "yookassa " + request.getRequestURI();
    }

    private static JsonNode body(HttpServletRequest request) {
        byte[] raw;
        try {
            raw = request.getInputStream().readNBytes(SandboxApiController.BODY_BYTES_MAX + 1);
        } catch (IOException e) {
            throw YooKassaError.invalid(null, "request body could not be read");
        }
        if (raw.length > SandboxApiController.BODY_BYTES_MAX) {
            throw YooKassaError.invalid(null, "request body is larger than " + SandboxApiController.BODY_BYTES_MAX
                    + " bytes");
        }
        try {
            return SandboxJson.body(raw).node();
        } catch (SandboxException e) {
            throw YooKassaError.invalid(null, "request body is not a JSON object");
        }
    }

    private static ResponseEntity<byte[]> reply(SandboxService.Reply reply) {
        return ResponseEntity.status(reply.status()).contentType(MediaType.APPLICATION_JSON).body(reply.body());
    }

    private static ResponseEntity<byte[]> json(Object body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(SandboxJson.bytes(body));
    }
}
