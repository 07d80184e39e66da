package io.moneytrail.sandbox;

import com.stripe.Stripe;
import io.moneytrail.money.Ids;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stripe's API as the sandbox speaks it, under {@code /sandbox/stripe/v1}: an API base that
 * stripe-java can be pointed at. Requests are form-encoded as Stripe takes them, authenticated
 * with the dialect's secret key (Bearer, or Basic with the key as user name), and answered with
 * Stripe's objects and error shape. {@code Idempotency-Key} is honoured per account, as at Stripe:
 * a key reused with other parameters or on another endpoint is an {@code idempotency_error}.
 * The sandbox's API faults ({@code error_500}, {@code timeout}) apply to state-changing calls.
 */
@RestController
@RequestMapping("/sandbox/stripe/v1")
@ConditionalOnSandbox
class StripeApiController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StripeApiController.class);

    static final String SCOPE = "stripe";
    static final int LIST_LIMIT_MAX = 100;

    private final SandboxService service;
    private final SandboxStore store;
    private final SandboxFaults faults;
    private final StripeDialect dialect;
    private final StripeDisputes disputes;
    private final StripeSessions sessions;
    private final StripeDialectProperties properties;
    private final Clock clock;

    StripeApiController(SandboxService service, SandboxStore store, SandboxFaults faults, StripeDialect dialect,
                        StripeDisputes disputes, StripeSessions sessions, StripeDialectProperties properties,
                        Clock clock) {
        this.service = service;
        this.store = store;
        this.faults = faults;
        this.dialect = dialect;
        this.disputes = disputes;
        this.sessions = sessions;
        this.properties = properties;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- Checkout Sessions

    @PostMapping("/checkout/sessions")
    ResponseEntity<byte[]> createSession(HttpServletRequest request,
                                         @RequestHeader(value = "Idempotency-Key", required = false) String key) {
        StripeForm form = authenticated(request);
        NewSession session = NewSession.from(form);
        return SandboxApiFaults.around(faults.global(), () -> reply(service.idempotent(SCOPE, key,
                fingerprint(request, form), () -> {
                    long now = clock.instant().getEpochSecond();
                    String id = StripeData.PAYMENT_INTENT_PREFIX + Ids.next("");
                    StripeData data = new StripeData(StripeData.OPEN, session.successUrl(), session.cancelUrl(),
                            session.clientReferenceId(), session.productName(), session.metadata(),
                            session.intentMetadata(), now, now + properties.sessionTtlSeconds(), null, null, null, null,
                            null);
                    SandboxPayment payment = service.insertPayment(new SandboxService.NewPayment(
                            session.merchantReference(id), session.amount(), session.currency(),
                            session.captureMethod(), session.successUrl(), id, StripeDialect.NAME, data.json()));
                    return new SandboxService.Result(dialect.session(payment, data), List.of());
                })));
    }

    @GetMapping("/checkout/sessions/{id}")
    ResponseEntity<byte[]> session(HttpServletRequest request, @PathVariable String id) {
        authenticated(request);
        SandboxPayment payment = bySession(id);
        return json(dialect.session(payment, data(payment)));
    }

    /** Only the {@code payment_intent} filter (what the adapter needs to find a PaymentIntent's session). */
    @GetMapping("/checkout/sessions")
    ResponseEntity<byte[]> sessions(HttpServletRequest request) {
        StripeForm form = authenticated(request);
        String intent = form.required("payment_intent");
        List<Map<String, Object>> data = new ArrayList<>();
        Optional<SandboxPayment> payment = find(intent).filter(p -> data(p).intentExists());
        payment.ifPresent(p -> data.add(dialect.session(p, data(p))));
        return json(StripeObjects.list("/v1/checkout/sessions", data, false));
    }

    @PostMapping("/checkout/sessions/{id}/expire")
    ResponseEntity<byte[]> expire(HttpServletRequest request, @PathVariable String id,
                                  @RequestHeader(value = "Idempotency-Key", required = false) String key) {
        StripeForm form = authenticated(request);
        String intentId = bySession(id).id();
        return mutating(intentId, key, request, form, () -> sessions.expire(intentId));
    }

    // ---------------------------------------------------------------- PaymentIntents

    @GetMapping("/payment_intents/{id}")
    ResponseEntity<byte[]> intent(HttpServletRequest request, @PathVariable String id) {
        authenticated(request);
        SandboxPayment payment = byIntent(id);
        return json(dialect.intent(payment, data(payment)));
    }

    /**
     * Captures once, as Stripe does without multicapture: {@code amount_to_capture} (default all
     * of {@code amount_capturable}); whatever is not captured is released at once.
     */
    @PostMapping("/payment_intents/{id}/capture")
    ResponseEntity<byte[]> capture(HttpServletRequest request, @PathVariable String id,
                                   @RequestHeader(value = "Idempotency-Key", required = false) String key) {
        StripeForm form = authenticated(request);
        Long amount = form.integer("amount_to_capture");
        byIntent(id);
        return mutating(id, key, request, form, () -> {
            SandboxPayment payment = store.lockPayment(id).orElseThrow();
            if (!SandboxPayment.WAITING_FOR_CAPTURE.equals(payment.status())) {
                throw StripeError.unexpectedState("payment_intent", id, StripeObjects.intentStatus(payment),
                        "only a PaymentIntent with one of the following statuses may be captured: requires_capture.");
            }
            long capturable = payment.amountCapturable();
            if (amount != null && (amount < 1 || amount > capturable)) {
                throw StripeError.invalid("amount_too_large", "The amount_to_capture (" + amount + ") must be"
                        + " between 1 and the amount capturable (" + capturable + ").", "amount_to_capture");
            }
            List<WebhookDispatcher.Pending> events = new ArrayList<>(service.capturePayment(id, amount).events());
            SandboxPayment after = store.lockPayment(id).orElseThrow();
            if (SandboxPayment.WAITING_FOR_CAPTURE.equals(after.status())) {
                events.addAll(service.cancelPayment(id).events()); // releases the rest: succeeded
                after = store.lockPayment(id).orElseThrow();
            }
            return new SandboxService.Result(dialect.intent(after, data(after)), events);
        });
    }

    /**
     * Cancels an authorised PaymentIntent. One still awaiting its customer belongs to a Checkout
     * Session, and Stripe refuses to cancel it: the session must be expired.
     */
    @PostMapping("/payment_intents/{id}/cancel")
    ResponseEntity<byte[]> cancel(HttpServletRequest request, @PathVariable String id,
                                  @RequestHeader(value = "Idempotency-Key", required = false) String key) {
        StripeForm form = authenticated(request);
        String reason = form.string("cancellation_reason");
        if (reason != null && !List.of("duplicate", "fraudulent", "requested_by_customer", "abandoned")
                .contains(reason)) {
            throw StripeError.invalid("parameter_invalid_string", "Invalid cancellation_reason: must be one of"
                    + " duplicate, fraudulent, requested_by_customer or abandoned", "cancellation_reason");
        }
        byIntent(id);
        return mutating(id, key, request, form, () -> {
            SandboxPayment payment = store.lockPayment(id).orElseThrow();
            if (SandboxPayment.PENDING.equals(payment.status())) {
                throw StripeError.invalid("payment_intent_unexpected_state", "You cannot cancel this PaymentIntent"
                        + " because it was created by Checkout. Expire its Checkout Session "
                        + StripeData.sessionId(id) + " instead.", null);
            }
            if (!SandboxPayment.WAITING_FOR_CAPTURE.equals(payment.status())) {
                throw StripeError.unexpectedState("payment_intent", id, StripeObjects.intentStatus(payment),
                        "only a PaymentIntent with one of the following statuses may be canceled: "
                                + "requires_payment_method, requires_capture, requires_confirmation, requires_action,"
                                + " processing.");
            }
            StripeData data = data(payment);
            service.change(id, (p, now) -> p.withDialectData(data.canceled(now.getEpochSecond(), reason).json()), null);
            SandboxService.Changed changed = service.cancelPayment(id);
            return new SandboxService.Result(dialect.intent(changed.payment(), data(changed.payment())),
                    changed.events());
        });
    }

    @GetMapping("/charges/{id}")
    ResponseEntity<byte[]> charge(HttpServletRequest request, @PathVariable String id) {
        authenticated(request);
        String intentId = StripeData.intentOf(id);
        SandboxPayment payment = (intentId == null || !id.startsWith(StripeData.CHARGE_PREFIX) ? Optional
                .<SandboxPayment>empty() : find(intentId)).filter(p -> p.amountAuthorized() > 0)
                .orElseThrow(() -> StripeError.noSuch("charge", id, "id"));
        return json(dialect.charge(payment, data(payment)));
    }

    // ---------------------------------------------------------------- Refunds

    @PostMapping("/refunds")
    ResponseEntity<byte[]> createRefund(HttpServletRequest request,
                                        @RequestHeader(value = "Idempotency-Key", required = false) String key) {
        StripeForm form = authenticated(request);
        String intentId = form.string("payment_intent");
        String charge = form.string("charge");
        if (intentId == null && charge != null) {
            intentId = StripeData.intentOf(charge);
        }
        if (intentId == null) {
            throw StripeError.missingParam("payment_intent");
        }
        Long amount = form.integer("amount");
        String metadata = StripeObjects.metadataJson(form.metadata("metadata"));
        String target = intentId;
        byIntent(target);
        return mutating(target, key, request, form, () -> {
            SandboxPayment payment = store.lockPayment(target).orElseThrow();
            if (payment.amountCaptured() == 0) {
                throw StripeError.invalid("charge_not_captured", "This PaymentIntent (" + target + ") has no captured"
                        + " charge to refund.", "payment_intent");
            }
            long refundable = payment.amountRefundable();
            if (refundable == 0) {
                throw StripeError.invalid("charge_already_refunded", "Charge " + StripeData.chargeId(target)
                        + " has already been refunded.", null);
            }
            if (amount != null && (amount < 1 || amount > refundable)) {
                throw StripeError.invalid("amount_too_large", "Refund amount (" + amount + ") is greater than the"
                        + " unrefunded amount on charge (" + refundable + ")", "amount");
            }
            SandboxService.Changed changed = service.refundPayment(new SandboxService.NewRefund(target, amount,
                    metadata, "re_" + Ids.next("")));
            return new SandboxService.Result(StripeObjects.refund(changed.refund(), changed.payment()),
                    changed.events());
        });
    }

    @GetMapping("/refunds/{id}")
    ResponseEntity<byte[]> refund(HttpServletRequest request, @PathVariable String id) {
        authenticated(request);
        SandboxPayment.Refund refund = store.findRefund(id).orElseThrow(() -> StripeError.noSuch("refund", id, "id"));
        SandboxPayment payment = find(refund.paymentId()).orElseThrow(() -> StripeError.noSuch("refund", id, "id"));
        return json(StripeObjects.refund(refund, payment));
    }

    /** Filtered by {@code payment_intent} or {@code charge}, newest first, as Stripe lists. */
    @GetMapping("/refunds")
    ResponseEntity<byte[]> refunds(HttpServletRequest request) {
        StripeForm form = authenticated(request);
        SandboxPayment payment = filtered(form);
        int limit = limit(form);
        List<SandboxPayment.Refund> refunds = new ArrayList<>(store.refundsOf(payment.id()));
        java.util.Collections.reverse(refunds);
        List<Map<String, Object>> data = new ArrayList<>();
        for (SandboxPayment.Refund refund : refunds.subList(0, Math.min(limit, refunds.size()))) {
            data.add(StripeObjects.refund(refund, payment));
        }
        return json(StripeObjects.list("/v1/refunds", data, refunds.size() > limit));
    }

    // ---------------------------------------------------------------- Disputes

    @GetMapping("/disputes/{id}")
    ResponseEntity<byte[]> dispute(HttpServletRequest request, @PathVariable String id) {
        authenticated(request);
        return json(StripeObjects.dispute(disputes.find(id)
                .orElseThrow(() -> StripeError.noSuch("dispute", id, "id"))));
    }

    @GetMapping("/disputes")
    ResponseEntity<byte[]> disputes(HttpServletRequest request) {
        StripeForm form = authenticated(request);
        SandboxPayment payment = filtered(form);
        int limit = limit(form);
        List<StripeDisputes.Dispute> all = new ArrayList<>(disputes.ofPayment(payment.id()));
        java.util.Collections.reverse(all);
        List<Map<String, Object>> data = new ArrayList<>();
        for (StripeDisputes.Dispute dispute : all.subList(0, Math.min(limit, all.size()))) {
            data.add(StripeObjects.dispute(dispute));
        }
        return json(StripeObjects.list("/v1/disputes", data, all.size() > limit));
    }

    // ---------------------------------------------------------------- errors

    @ExceptionHandler(StripeError.class)
    ResponseEntity<byte[]> stripeError(StripeError e) {
        return answer(e.status(), e.body());
    }

    /** The sandbox's own refusals, in Stripe's words. */
    @ExceptionHandler(SandboxException.class)
    ResponseEntity<byte[]> sandboxError(SandboxException e) {
        StripeError error = switch (e.code()) {
            case "not_found" -> new StripeError(HttpStatus.NOT_FOUND, StripeError.INVALID_REQUEST, "resource_missing",
                    e.getMessage(), "id");
            case "idempotency_mismatch" -> new StripeError(HttpStatus.BAD_REQUEST, StripeError.IDEMPOTENCY, null,
                    "Keys for idempotent requests can only be used with the same parameters and endpoint they were"
                            + " first used with.", null);
            case "amount_too_large" -> StripeError.invalid("amount_too_large", e.getMessage(), "amount");
            case "internal" -> new StripeError(HttpStatus.INTERNAL_SERVER_ERROR, StripeError.API, null,
                    "An unknown error occurred", null);
            default -> StripeError.invalid(null, e.getMessage(), null);
        };
        return stripeError(error);
    }

    /** Spring MVC's own refusals keep their 4xx; anything else is Stripe's 500 {@code api_error}. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<byte[]> unexpected(Exception e) {
        if (e instanceof org.springframework.web.ErrorResponse refusal && refusal.getStatusCode().is4xxClientError()) {
            return answer(HttpStatus.valueOf(refusal.getStatusCode().value()), new StripeError(
                    HttpStatus.valueOf(refusal.getStatusCode().value()), StripeError.INVALID_REQUEST, null,
                    "Unrecognized request URL or method.", null).body());
        }
        log.error("Sandbox: the Stripe dialect failed", e);
        return stripeError(new StripeError(HttpStatus.INTERNAL_SERVER_ERROR, StripeError.API, null,
                "An unknown error occurred", null));
    }

    // ---------------------------------------------------------------- helpers

    /** A state-changing call about one PaymentIntent: its faults, then the operation, once per key. */
    private ResponseEntity<byte[]> mutating(String intentId, String key, HttpServletRequest request, StripeForm form,
                                            Supplier<SandboxService.Result> operation) {
        return SandboxApiFaults.around(faults.forPayment(intentId),
                () -> reply(service.idempotent(SCOPE, key, fingerprint(request, form), operation)));
    }

    /** The parameters and the endpoint: a key reused elsewhere is refused, as at Stripe. */
    private static Map<String, Object> fingerprint(HttpServletRequest request, StripeForm form) {
        Map<String, Object> fingerprint = new LinkedHashMap<>();
        fingerprint.put("endpoint", request.getMethod() + " " + request.getRequestURI());
        fingerprint.put("parameters", form.all());
        return fingerprint;
    }

    private StripeForm authenticated(HttpServletRequest request) {
        return StripeAuth.authenticated(request, properties.secretKey());
    }

    private Optional<SandboxPayment> find(String intentId) {
        return store.findPayment(intentId).filter(p -> StripeDialect.NAME.equals(p.dialect()));
    }

    private SandboxPayment bySession(String sessionId) {
        String intentId = sessionId.startsWith(StripeData.SESSION_PREFIX) ? StripeData.intentOf(sessionId) : null;
        return (intentId == null ? Optional.<SandboxPayment>empty() : find(intentId))
                .orElseThrow(() -> StripeError.noSuch("checkout.session", sessionId, "session"));
    }

    /** A PaymentIntent exists once its customer confirmed on the hosted page. */
    private SandboxPayment byIntent(String intentId) {
        return find(intentId).filter(p -> data(p).intentExists())
                .orElseThrow(() -> StripeError.noSuch("payment_intent", intentId, "intent"));
    }

    private SandboxPayment filtered(StripeForm form) {
        String intentId = form.string("payment_intent");
        String charge = form.string("charge");
        if (intentId == null && charge != null) {
            intentId = StripeData.intentOf(charge);
        }
        if (intentId == null) {
            throw StripeError.invalid("parameter_missing", "The sandbox lists these only by payment_intent or charge.",
                    "payment_intent");
        }
        return byIntent(intentId);
    }

    private static int limit(StripeForm form) {
        Long limit = form.integer("limit");
        if (limit == null) {
            return 10;
        }
        if (limit < 1 || limit > LIST_LIMIT_MAX) {
            throw StripeError.invalid("parameter_invalid_integer", "This value must be between 1 and "
                    + LIST_LIMIT_MAX + ".", "limit");
        }
        return limit.intValue();
    }

    static StripeData data(SandboxPayment payment) {
        return StripeData.parse(payment.dialectData());
    }

    private static ResponseEntity<byte[]> reply(SandboxService.Reply reply) {
        return ResponseEntity.status(reply.status()).headers(headers()).body(reply.body());
    }

    static ResponseEntity<byte[]> json(Map<String, Object> body) {
        return answer(HttpStatus.OK, body);
    }

    static ResponseEntity<byte[]> answer(HttpStatus status, Map<String, Object> body) {
        return ResponseEntity.status(status).headers(headers()).body(SandboxJson.bytes(body));
    }

    private static HttpHeaders headers() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set("Request-Id", Ids.next("req_"));
        headers.set("Stripe-Version", Stripe.API_VERSION);
        return headers;
    }

    /** The validated parameters of {@code POST /v1/checkout/sessions} (mode=payment, price_data line items). */
    record NewSession(long amount, String currency, String captureMethod, String successUrl, String cancelUrl,
                      String clientReferenceId, String productName, Map<String, String> metadata,
                      Map<String, String> intentMetadata) {

        static final int LINE_ITEMS_MAX = 100;

        /**
         * The sandbox's merchant reference: the store's payment id from the metadata (Moneytrail puts
         * its {@code pay_…} there, and the simulation finds the payment by it), else the client
         * reference, else the session id.
         */
        String merchantReference(String intentId) {
            for (String candidate : new String[] {metadata.get("payment_id"), intentMetadata.get("payment_id"),
                    clientReferenceId}) {
                if (candidate != null) {
                    return candidate;
                }
            }
            return StripeData.sessionId(intentId);
        }

        static NewSession from(StripeForm form) {
            String mode = form.required("mode");
            if (!"payment".equals(mode)) {
                throw StripeError.invalid("parameter_invalid_string", "The sandbox's Stripe dialect supports"
                        + " mode=payment only.", "mode");
            }
            long amount = 0;
            String currency = null;
            String productName = null;
            int items = 0;
            for (int i = 0; i < LINE_ITEMS_MAX && form.string("line_items[" + i + "][quantity]") != null; i++) {
                String prefix = "line_items[" + i + "]";
                long quantity = form.positive(prefix + "[quantity]");
                String itemCurrency = form.required(prefix + "[price_data][currency]");
                if (currency != null && !currency.equals(itemCurrency)) {
                    throw StripeError.invalid("parameter_invalid_string", "All line items must use the same"
                            + " currency.", prefix + "[price_data][currency]");
                }
                currency = itemCurrency;
                long unit = form.positive(prefix + "[price_data][unit_amount]");
                amount = Math.addExact(amount, Math.multiplyExact(unit, quantity));
                if (productName == null) {
                    productName = form.string(prefix + "[price_data][product_data][name]");
                }
                items++;
            }
            if (items == 0) {
                throw StripeError.missingParam("line_items");
            }
            if (currency.length() != 3 || !currency.equals(currency.toLowerCase(java.util.Locale.ROOT))) {
                throw StripeError.invalid("parameter_invalid_string", "Invalid currency: " + currency
                        + ". Stripe currently supports these currencies in lowercase ISO codes.",
                        "line_items[0][price_data][currency]");
            }
            String capture = form.string("payment_intent_data[capture_method]");
            if (capture == null || "automatic_async".equals(capture)) {
                capture = SandboxPayment.AUTOMATIC;
            }
            if (!SandboxPayment.AUTOMATIC.equals(capture) && !SandboxPayment.MANUAL.equals(capture)) {
                throw StripeError.invalid("parameter_invalid_string", "Invalid capture_method: must be one of"
                        + " automatic, automatic_async or manual", "payment_intent_data[capture_method]");
            }
            return new NewSession(amount, currency.toUpperCase(java.util.Locale.ROOT), capture,
                    form.string("success_url"), form.string("cancel_url"), form.string("client_reference_id"),
                    productName, form.metadata("metadata"), form.metadata("payment_intent_data[metadata]"));
        }
    }
}
