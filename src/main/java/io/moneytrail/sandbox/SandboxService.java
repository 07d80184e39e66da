package io.moneytrail.sandbox;

import io.moneytrail.money.Ids;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * What the sandbox provider does: payments through their lifecycle, captures, cancels,
 * refunds, and the events announcing each change. Every change to a payment happens under
 * its row lock, and its event is stored in the same transaction; the event is handed to the
 * webhook dispatcher only after commit, so a receiver that fetches the payment on receipt
 * always finds the change.
 *
 * <p>Requests carrying an {@code Idempotency-Key} are answered once: the first successful
 * answer is stored with a fingerprint of the request, in the transaction that did the work,
 * and replayed to every retry. Refusals (4xx) are not stored, so a retry after the state has
 * changed is judged afresh.
 */
@Service
@ConditionalOnSandbox
class SandboxService {

    private static final Logger log = LoggerFactory.getLogger(SandboxService.class);

    static final String PAYMENT_PREFIX = "sbxpay_";
    static final String CAPTURE_PREFIX = "sbxcap_";
    static final String REFUND_PREFIX = "sbxre_";
    static final String EVENT_PREFIX = "sbxevt_";

    static final long AMOUNT_MAX = 99_999_999_999_999L;
    static final int MERCHANT_REFERENCE_MAX = 100;
    static final int URL_MAX = 2_000;
    static final int ID_MAX = 100;
    static final int IDEMPOTENCY_KEY_MAX = 255;
    /** Bounds on list answers. */
    static final int PAYMENTS_PAGE_SIZE = 100;
    static final int EVENTS_PAGE_SIZE = 500;
    /** How long an idempotency key is remembered, as by most real providers. */
    static final Duration IDEMPOTENCY_RETENTION = Duration.ofHours(24);

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final SandboxStore store;
    private final SandboxFaults faults;
    private final SandboxUrls urls;
    private final WebhookDispatcher webhooks;
    private final SandboxDialects dialects;
    private final Clock clock;

    SandboxService(SandboxStore store, SandboxFaults faults, SandboxUrls urls, WebhookDispatcher webhooks,
                   SandboxDialects dialects, ObjectProvider<Clock> clock) {
        this.store = store;
        this.faults = faults;
        this.urls = urls;
        this.webhooks = webhooks;
        this.dialects = dialects;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    // ---------------------------------------------------------------- requests

    /**
     * The body of {@code POST /payments}, validated; a dialect also gives the payment's id (in
     * its provider's format), its name and its own data.
     */
    record NewPayment(String merchantReference, long amount, String currency, String captureMethod,
                      String returnUrl, String id, String dialect, String dialectData) {

        NewPayment(String merchantReference, long amount, String currency, String captureMethod, String returnUrl) {
            this(merchantReference, amount, currency, captureMethod, returnUrl, null, null, null);
        }

        /** What makes two requests "the same" for idempotency. */
        List<Object> fingerprint() {
            return Arrays.asList(merchantReference, amount, currency, captureMethod, returnUrl);
        }

        static NewPayment from(SandboxJson.Body body) {
            String merchantReference = body.requiredString("merchant_reference", MERCHANT_REFERENCE_MAX);
            long amount = validAmount("amount", body.requiredInteger("amount"));
            String currency = body.requiredString("currency", 3);
            if (!CURRENCY.matcher(currency).matches()) {
                throw SandboxException.badRequest("parameter_invalid", "currency must be 3 upper-case letters");
            }
            String captureMethod = body.requiredString("capture_method", 20);
            if (!SandboxPayment.AUTOMATIC.equals(captureMethod) && !SandboxPayment.MANUAL.equals(captureMethod)) {
                throw SandboxException.badRequest("parameter_invalid", "capture_method must be automatic or manual");
            }
            return new NewPayment(merchantReference, amount, currency, captureMethod,
                    validReturnUrl(body.string("return_url", URL_MAX)));
        }
    }

    /** The body of {@code POST /refunds}, validated; a dialect may give the refund's id in its provider's format. */
    record NewRefund(String payment, Long amount, String merchantReference, String id) {

        NewRefund(String payment, Long amount, String merchantReference) {
            this(payment, amount, merchantReference, null);
        }

        List<Object> fingerprint() {
            return Arrays.asList(payment, amount, merchantReference);
        }

        static NewRefund from(SandboxJson.Body body) {
            String payment = body.requiredString("payment", ID_MAX);
            Long amount = body.integer("amount");
            return new NewRefund(payment, amount == null ? null : validAmount("amount", amount),
                    body.string("merchant_reference", MERCHANT_REFERENCE_MAX));
        }
    }

    /** An amount in minor units, within the sandbox's bounds. */
    static long validAmount(String field, long amount) {
        if (amount <= 0 || amount > AMOUNT_MAX) {
            throw SandboxException.badRequest("parameter_invalid", field + " must be between 1 and " + AMOUNT_MAX);
        }
        return amount;
    }

    private static String validReturnUrl(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return url;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw SandboxException.badRequest("parameter_invalid", "return_url must be an absolute http(s) URL");
    }

    /** An answer to an API call: an HTTP status and a JSON body. */
    record Reply(int status, byte[] body) {
    }

    /** What an operation produced: the body to answer with and the events to send once committed. */
    record Result(Object body, List<WebhookDispatcher.Pending> events) {
    }

    /**
     * A payment changed under its row lock: its new state, the refund the change made (or
     * null), and the stored events announcing it, to dispatch after commit.
     */
    record Changed(SandboxPayment payment, SandboxPayment.Refund refund, List<WebhookDispatcher.Pending> events) {
    }

    // ---------------------------------------------------------------- API operations (the sandbox's own shape)

    Reply create(String scope, String idempotencyKey, NewPayment request) {
        return idempotent(scope, idempotencyKey, request.fingerprint(),
                () -> new Result(render(insertPayment(request)), List.of()));
    }

    /** Captures {@code amount}, or everything still capturable if null. */
    Reply capture(String scope, String idempotencyKey, String paymentId, Long amount) {
        return idempotent(scope, idempotencyKey, Arrays.asList(paymentId, amount), () -> {
            Changed changed = capturePayment(paymentId, amount);
            return new Result(render(changed.payment()), changed.events());
        });
    }

    /** Voids the payment, or completes it releasing the uncaptured rest after partial captures. */
    Reply cancel(String scope, String idempotencyKey, String paymentId) {
        return idempotent(scope, idempotencyKey, List.of(paymentId), () -> {
            Changed changed = cancelPayment(paymentId);
            return new Result(render(changed.payment()), changed.events());
        });
    }

    /** Refunds {@code amount} (or everything still refundable if null); succeeds at once. */
    Reply refund(String scope, String idempotencyKey, NewRefund request) {
        return idempotent(scope, idempotencyKey, request.fingerprint(), () -> {
            Changed changed = refundPayment(request);
            return new Result(render(changed.refund()), changed.events());
        });
    }

    /** Sets the global fault profile ({@code paymentId} null) or one payment's. */
    Reply setFaults(String scope, String idempotencyKey, String paymentId, FaultProfile profile) {
        Map<String, Object> answer = profile.toJson(paymentId);
        return idempotent(scope, idempotencyKey, answer, () -> {
            faults.set(paymentId, profile, now());
            return new Result(answer, List.of());
        });
    }

    // ---------------------------------------------------------------- operations every dialect shares
    // Each runs inside the caller's transaction (idempotent(...) or store.inTransaction(...)).

    SandboxPayment insertPayment(NewPayment request) {
        SandboxPayment payment = SandboxPayment.create(request.id() != null ? request.id() : Ids.next(PAYMENT_PREFIX),
                request.merchantReference(), request.amount(), request.currency(), request.captureMethod(),
                request.returnUrl(), now(), request.dialect(), request.dialectData());
        store.insertPayment(payment);
        return payment;
    }

    Changed capturePayment(String paymentId, Long amount) {
        SandboxPayment payment = lock(paymentId);
        if (!SandboxPayment.WAITING_FOR_CAPTURE.equals(payment.status())) {
            throw SandboxException.invalidState("payment " + paymentId + " is " + payment.status()
                    + "; only waiting_for_capture payments can be captured");
        }
        long capturable = payment.amountCapturable();
        long captured = amount == null ? capturable : amount;
        if (captured > capturable) {
            throw SandboxException.amountTooLarge("cannot capture " + captured + "; only " + capturable
                    + " of " + paymentId + " is still capturable");
        }
        Instant now = now();
        store.insertCapture(new SandboxPayment.Capture(Ids.next(CAPTURE_PREFIX), paymentId, captured, now));
        SandboxPayment next = payment.captured(captured);
        store.savePayment(next, now);
        // a partial capture leaves the payment waiting; the event says what happened instead
        String type = SandboxPayment.SUCCEEDED.equals(next.status()) ? "payment.succeeded" : "payment.captured";
        return new Changed(next, null, announce(type, next, null, now));
    }

    Changed cancelPayment(String paymentId) {
        SandboxPayment payment = lock(paymentId);
        if (!SandboxPayment.PENDING.equals(payment.status())
                && !SandboxPayment.WAITING_FOR_CAPTURE.equals(payment.status())) {
            throw SandboxException.invalidState("payment " + paymentId + " is " + payment.status()
                    + "; only pending and waiting_for_capture payments can be canceled");
        }
        Instant now = now();
        SandboxPayment next = payment.canceled();
        store.savePayment(next, now);
        return new Changed(next, null, announce(typeForStatus(next), next, null, now));
    }

    Changed refundPayment(NewRefund request) {
        SandboxPayment payment = lock(request.payment());
        if (payment.amountCaptured() == 0) {
            throw SandboxException.invalidState("payment " + payment.id() + " is " + payment.status()
                    + " and has nothing captured to refund");
        }
        long refundable = payment.amountRefundable();
        long amount = request.amount() == null ? refundable : request.amount();
        if (amount > refundable || amount == 0) {
            throw SandboxException.amountTooLarge("cannot refund " + amount + "; only " + refundable + " of "
                    + payment.id() + " is still refundable");
        }
        Instant now = now();
        SandboxPayment.Refund refund = new SandboxPayment.Refund(
                request.id() != null ? request.id() : Ids.next(REFUND_PREFIX), payment.id(),
                request.merchantReference(), amount, SandboxPayment.Refund.SUCCEEDED, now);
        store.insertRefund(refund);
        SandboxPayment next = payment.refunded(amount);
        store.savePayment(next, now);
        return new Changed(next, refund, announce("refund.succeeded", next, refund, now));
    }

    /**
     * A dialect's own change to one payment under its row lock (Stripe's decline that keeps
     * the session open, for one): {@code next} gets the locked payment and the time and
     * returns the state to save; {@code changeType} (null for none) is announced through the
     * payment's dialect. Only the status-free fields may differ: use the operations above to
     * move money.
     */
    Changed change(String paymentId, BiFunction<SandboxPayment, Instant, SandboxPayment> next, String changeType) {
        SandboxPayment payment = lock(paymentId);
        Instant now = now();
        SandboxPayment changed = next.apply(payment, now);
        store.savePayment(changed, now);
        return new Changed(changed, null, changeType == null ? List.of() : announce(changeType, changed, null, now));
    }

    // ---------------------------------------------------------------- hosted page

    /** The customer's choice on the hosted page, for a payment that is still pending. */
    enum Outcome {
        SUCCEEDED("succeeded"), DECLINED("declined"), THREE_DS_SUCCEEDED("3ds_succeeded"),
        THREE_DS_FAILED("3ds_failed");

        final String wire;

        Outcome(String wire) {
            this.wire = wire;
        }

        static Optional<Outcome> parse(String wire) {
            return Arrays.stream(values()).filter(o -> o.wire.equals(wire)).findFirst();
        }
    }

    /**
     * The decline codes the sandbox's own page takes with {@code outcome=declined}, as test cards
     * do at a real provider: the payment is refused with that code as its cancellation reason
     * (plain {@code declined} without one).
     */
    static final java.util.Set<String> DECLINE_CODES = java.util.Set.of("insufficient_funds", "card_expired",
            "do_not_honor");

    /** The hosted page's choice, in its own transaction, its events dispatched after commit. */
    SandboxPayment choose(String paymentId, Outcome outcome) {
        return choose(paymentId, outcome, null);
    }

    /** As {@link #choose(String, Outcome)}, a decline with one of {@link #DECLINE_CODES} (null: plain declined). */
    SandboxPayment choose(String paymentId, Outcome outcome, String declineCode) {
        Changed changed = store.inTransaction(() -> choosePayment(paymentId, outcome, declineCode));
        webhooks.dispatch(changed.events());
        return changed.payment();
    }

    /** The hosted page's choice: authorises (capturing at once if automatic) or refuses. */
    Changed choosePayment(String paymentId, Outcome outcome) {
        return choosePayment(paymentId, outcome, null);
    }

    private Changed choosePayment(String paymentId, Outcome outcome, String declineCode) {
        SandboxPayment payment = lock(paymentId);
        if (!SandboxPayment.PENDING.equals(payment.status())) {
            throw SandboxException.invalidState("payment " + paymentId + " is already " + payment.status());
        }
        Instant now = now();
        SandboxPayment next = switch (outcome) {
            case SUCCEEDED -> payment.authorized(null);
            case THREE_DS_SUCCEEDED -> payment.authorized(SandboxPayment.THREE_DS_PASSED);
            case DECLINED -> payment.refused(declineCode == null ? SandboxPayment.REASON_DECLINED : declineCode, null);
            case THREE_DS_FAILED -> payment.refused(SandboxPayment.REASON_3DS_FAILED,
                    SandboxPayment.THREE_DS_FAILED);
        };
        if (next.amountCaptured() > 0) { // automatic capture takes everything at once
            store.insertCapture(new SandboxPayment.Capture(Ids.next(CAPTURE_PREFIX), paymentId,
                    next.amountCaptured(), now));
        }
        store.savePayment(next, now);
        return new Changed(next, null, announce(typeForStatus(next), next, null, now));
    }

    /** Dispatches committed events (for dialect controllers that run their own transaction). */
    void dispatch(List<WebhookDispatcher.Pending> events) {
        webhooks.dispatch(events);
    }

    // ---------------------------------------------------------------- reads

    Optional<SandboxPayment> find(String paymentId) {
        return store.findPayment(paymentId);
    }

    Map<String, Object> payment(String paymentId) {
        return render(store.findPayment(paymentId)
                .orElseThrow(() -> SandboxException.notFound("payment", paymentId)));
    }

    Map<String, Object> paymentsByMerchantReference(String merchantReference) {
        List<Map<String, Object>> data = new ArrayList<>();
        for (SandboxPayment payment : store.paymentsByMerchantReference(merchantReference, PAYMENTS_PAGE_SIZE)) {
            data.add(render(payment));
        }
        return Map.of("data", data);
    }

    Map<String, Object> payments(String startingAfter, int limit) {
        List<Map<String, Object>> data = new ArrayList<>();
        for (SandboxPayment payment : store.payments(startingAfter, limit + 1)) {
            data.add(render(payment));
        }
        boolean more = data.size() > limit;
        return Map.of("data", more ? data.subList(0, limit) : data, "has_more", more);
    }

    Map<String, Object> refund(String refundId) {
        return render(store.findRefund(refundId).orElseThrow(() -> SandboxException.notFound("refund", refundId)));
    }

    /** One payment's events, oldest first, or the latest events of all payments. */
    Map<String, Object> events(String paymentId) {
        List<SandboxPayment.Event> events = paymentId == null
                ? store.latestEvents(EVENTS_PAGE_SIZE)
                : store.eventsOf(paymentId, EVENTS_PAGE_SIZE);
        List<Map<String, Object>> data = new ArrayList<>();
        for (SandboxPayment.Event event : events) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", event.id());
            json.put("type", event.type());
            json.put("payment", event.paymentId());
            json.put("created", event.created().toString());
            json.put("delivered", event.deliveredAt() != null);
            json.put("delivered_at", event.deliveredAt() == null ? null : event.deliveredAt().toString());
            json.put("attempts", event.attempts());
            json.put("last_status", event.lastStatus());
            json.put("dropped", event.dropped());
            data.add(json);
        }
        return Map.of("data", data);
    }

    /** A payment's own fault profile, or the global one if it has none. */
    Map<String, Object> faults(String paymentId) {
        if (paymentId == null) {
            return faults.global().toJson(null);
        }
        SandboxPayment payment = store.findPayment(paymentId)
                .orElseThrow(() -> SandboxException.notFound("payment", paymentId));
        FaultProfile own = faults.ownProfile(payment);
        return own == null ? faults.global().toJson(null) : own.toJson(paymentId);
    }

    /** Resets the global profile to normal ({@code paymentId} null), or clears one payment's own. */
    Map<String, Object> resetFaults(String paymentId) {
        if (paymentId == null) {
            faults.resetGlobal();
        } else {
            faults.set(paymentId, null, now());
        }
        return faults(paymentId);
    }

    /** Forgets old idempotency keys (needs the application's {@code @EnableScheduling}). */
    @Scheduled(fixedDelay = 1, timeUnit = TimeUnit.HOURS)
    void forgetOldIdempotencyKeys() {
        int deleted = store.deleteRepliesBefore(now().minus(IDEMPOTENCY_RETENTION));
        if (deleted > 0) {
            log.info("Sandbox: forgot {} idempotency keys older than {}", deleted, IDEMPOTENCY_RETENTION);
        }
    }

    // ---------------------------------------------------------------- internals

    /**
     * Runs {@code operation} in a transaction, at most once per idempotency key: a retry
     * with the same request gets the stored answer, one with a different request a 400.
     * Same-key requests are serialised, so two concurrent retries cannot both do the work.
     */
    Reply idempotent(String scope, String idempotencyKey, Object request, Supplier<Result> operation) {
        String key = idempotencyKey == null ? null : scope + " " + idempotencyKey;
        String fingerprint = key == null ? null : SandboxJson.fingerprint(request);
        Committed committed = store.inTransaction(() -> {
            if (key != null) {
                store.lockIdempotencyKey(key);
                Optional<SandboxStore.StoredReply> stored = store.findReply(key);
                if (stored.isPresent()) {
                    if (!stored.get().requestHash().equals(fingerprint)) {
                        throw SandboxException.badRequest("idempotency_mismatch", "Idempotency-Key " + idempotencyKey
                                + " was already used for a different request to " + scope);
                    }
                    // the events of the first call were dispatched by the first call
                    return new Committed(new Reply(stored.get().status(),
                            stored.get().body().getBytes(StandardCharsets.UTF_8)), List.of());
                }
            }
            Result result = operation.get();
            byte[] body = SandboxJson.bytes(result.body());
            if (key != null) {
                store.insertReply(key, new SandboxStore.StoredReply(fingerprint, 200,
                        new String(body, StandardCharsets.UTF_8)), now());
            }
            return new Committed(new Reply(200, body), result.events());
        });
        webhooks.dispatch(committed.events());
        return committed.reply();
    }

    private record Committed(Reply reply, List<WebhookDispatcher.Pending> events) {
    }

    private SandboxPayment lock(String paymentId) {
        return store.lockPayment(paymentId).orElseThrow(() -> SandboxException.notFound("payment", paymentId));
    }

    /**
     * Stores the events announcing {@code payment}'s change, in the sandbox's own shape or its
     * dialect's; the caller dispatches them after commit.
     */
    private List<WebhookDispatcher.Pending> announce(String type, SandboxPayment payment, SandboxPayment.Refund refund,
                                                     Instant now) {
        if (!SandboxDialects.own(payment.dialect())) {
            List<WebhookDispatcher.Pending> pending = new ArrayList<>();
            for (SandboxDialect.Notification n : dialects.get(payment.dialect())
                    .notifications(type, payment, refund, now)) {
                store.insertEvent(n.id(), n.type(), payment.id(), n.payload(), now, payment.dialect());
                pending.add(new WebhookDispatcher.Pending(n.id(), payment.id(), n.payload(), payment.dialect()));
            }
            return pending;
        }
        String id = Ids.next(EVENT_PREFIX);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("object", "event");
        event.put("type", type);
        event.put("created", now.getEpochSecond());
        event.put("data", Map.of("object", render(payment)));
        String payload = SandboxJson.string(event);
        store.insertEvent(id, type, payment.id(), payload, now, SandboxPayment.SANDBOX);
        return List.of(new WebhookDispatcher.Pending(id, payment.id(), payload, SandboxPayment.SANDBOX));
    }

    private static String typeForStatus(SandboxPayment payment) {
        return "payment." + payment.status(); // waiting_for_capture, succeeded or canceled
    }

    /** The payment object of the API, with its captures and refunds. */
    private Map<String, Object> render(SandboxPayment p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", p.id());
        json.put("object", "payment");
        json.put("merchant_reference", p.merchantReference());
        json.put("amount", p.amount());
        json.put("currency", p.currency());
        json.put("capture_method", p.captureMethod());
        json.put("status", p.status());
        json.put("cancellation_reason", p.cancellationReason());
        json.put("amount_authorized", p.amountAuthorized());
        json.put("amount_captured", p.amountCaptured());
        json.put("amount_released", p.amountReleased());
        json.put("amount_refunded", p.amountRefunded());
        json.put("three_d_secure", p.threeDSecure());
        json.put("confirmation_url", urls.confirmationUrl(p.id()));
        List<Map<String, Object>> captures = new ArrayList<>();
        for (SandboxPayment.Capture capture : store.capturesOf(p.id())) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", capture.id());
            c.put("amount", capture.amount());
            c.put("created", capture.created().toString());
            captures.add(c);
        }
        json.put("captures", captures);
        List<Map<String, Object>> refunds = new ArrayList<>();
        for (SandboxPayment.Refund refund : store.refundsOf(p.id())) {
            refunds.add(render(refund));
        }
        json.put("refunds", refunds);
        json.put("created", p.created().toString());
        return json;
    }

    private static Map<String, Object> render(SandboxPayment.Refund r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", r.id());
        json.put("object", "refund");
        json.put("payment", r.paymentId());
        json.put("merchant_reference", r.merchantReference());
        json.put("amount", r.amount());
        json.put("status", r.status());
        json.put("created", r.created().toString());
        return json;
    }

    /** Millisecond precision: what is stored is exactly what was answered. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
