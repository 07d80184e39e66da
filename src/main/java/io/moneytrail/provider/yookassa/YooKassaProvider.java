package io.moneytrail.provider.yookassa;

import io.moneytrail.money.Money;
import io.moneytrail.payment.CaptureMethod;
import io.moneytrail.payment.PaymentProvider;
import io.moneytrail.payment.ProviderPayment;
import io.moneytrail.payment.ProviderReceipt;
import io.moneytrail.payment.ProviderReceipts;
import io.moneytrail.payment.ProviderResult;
import io.moneytrail.payment.ProviderWebhook;
import io.moneytrail.payment.ReceiptPort;
import io.moneytrail.payment.WebhookRejectedException;
import io.moneytrail.provider.ApiBase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The YooKassa adapter (API v3): {@code POST /v3/payments} with a redirect confirmation, capture
 * (all or part), cancel, refunds ({@code POST /v3/refunds}, several partial ones), and the
 * resolver's check, {@code GET /v3/payments/{id}} with the payment's refunds. Every POST carries
 * an {@code Idempotence-Key} derived from our own ids, so a retry after a crash or a timeout is
 * the same request to YooKassa, never a second charge. Statuses become ours in
 * {@link YooKassaStatuses}; what that table does not know is an unknown outcome.
 */
@Component
@EnableConfigurationProperties(YooKassaProperties.class)
@Conditional(OnYooKassaConfigured.class)
class YooKassaProvider implements PaymentProvider, ProviderReceipts {

    static final String NAME = "yookassa";
    /** Refunds read per page, and pages read per check: a payment with more refunds is not ours to judge. */
    static final int REFUNDS_PAGE_SIZE = 100;
    static final int REFUND_PAGES_MAX = 10;
    /**
     * Currencies YooKassa's API accepts in an amount; a shop takes only its account's currency
     * (almost always RUB), which YooKassa enforces with a 400.
     */
    static final Set<String> CURRENCIES = Set.of("RUB", "USD", "EUR", "BYN", "CNY", "KZT", "UAH", "UZS");

    private final YooKassaClient client;
    private final YooKassaNotifications notifications;
    private final ObjectProvider<ReceiptPort> receipts;

    YooKassaProvider(YooKassaProperties properties, Environment environment, ObjectMapper json, Clock clock,
                     ObjectProvider<ReceiptPort> receipts) {
        this.receipts = receipts;
        ApiBase apiBase = ApiBase.of(properties.apiBase(), YooKassaProperties.PRODUCTION_BASE, environment);
        this.client = new YooKassaClient(apiBase::resolve, properties.shopId(), properties.secretKey(), json, properties.connectTimeoutMs(),
                properties.readTimeoutMs(), duration -> Thread.sleep(duration.toMillis()));
        this.notifications = new YooKassaNotifications(TrustedNetworks.parse(properties.trustedNetworks()), json,
                clock);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * All of them, with YooKassa's own shape: a capture may be partial but there is only one (it
     * completes the payment and releases the rest, so the payment is then {@code captured} and our
     * state table refuses a second capture or a void); a void exists only for an authorised
     * ({@code waiting_for_capture}) payment, and YooKassa refuses it for one the customer has not
     * confirmed; refunds, partial and several, need a {@code succeeded} payment.
     */
    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public boolean supportsCurrency(String currency) {
        return CURRENCIES.contains(currency);
    }

    @Override
    public ProviderResult<ProviderPayment> create(CreatePayment request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("amount", YooKassaAmounts.amount(request.amount()));
        body.put("capture", request.captureMethod() != CaptureMethod.MANUAL);
        Map<String, Object> confirmation = new LinkedHashMap<>();
        confirmation.put("type", "redirect");
        confirmation.put("return_url", request.returnUrl());
        body.put("confirmation", confirmation);
        body.put("description", "Order " + request.orderId());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(YooKassaPayments.ORDER_ID, request.orderId());
        metadata.put(YooKassaPayments.PAYMENT_ID, request.paymentId());
        metadata.put(YooKassaPayments.REQUESTED_AMOUNT, YooKassaAmounts.value(request.amount()));
        body.put("metadata", metadata);
        receipt(port -> port.forPayment(NAME, request.orderId(), request.amount()))
                .ifPresent(receipt -> body.put("receipt", YooKassaReceipts.inRequest(receipt)));
        return payment(client.post("/v3/payments", body, key(request.paymentId())), List.of());
    }

    @Override
    public ProviderResult<ProviderPayment> capture(String providerPaymentId, Money amount, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("amount", YooKassaAmounts.amount(amount));
        // a partial capture carries the receipt of what is captured (YooKassa's two-stage payments with receipts)
        receipt(port -> port.forCapture(NAME, providerPaymentId, amount))
                .ifPresent(receipt -> body.put("receipt", YooKassaReceipts.inRequest(receipt)));
        return payment(client.post("/v3/payments/" + path(providerPaymentId) + "/capture", body, key(idempotencyKey)),
                List.of());
    }

    @Override
    public ProviderResult<ProviderPayment> cancel(String providerPaymentId, String idempotencyKey) {
        return payment(client.post("/v3/payments/" + path(providerPaymentId) + "/cancel", Map.of(),
                key(idempotencyKey)), List.of());
    }

    @Override
    public ProviderResult<ProviderPayment.Refund> refund(String providerPaymentId, String refundId, Money amount) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("payment_id", providerPaymentId);
        body.put("amount", YooKassaAmounts.amount(amount));
        body.put("description", "Refund " + refundId);
        body.put("metadata", Map.of(YooKassaPayments.REFUND_ID, refundId));
        receipt(port -> port.forRefund(NAME, refundId, amount))
                .ifPresent(receipt -> body.put("receipt", YooKassaReceipts.inRequest(receipt)));
        YooKassaClient.Answer answer = client.post("/v3/refunds", body, key(refundId));
        return result(answer, YooKassaPayments::refund);
    }

    @Override
    public ProviderResult<ProviderPayment> fetch(String providerPaymentId) {
        YooKassaClient.Answer answer = client.get("/v3/payments/" + path(providerPaymentId));
        if (!(answer instanceof YooKassaClient.Ok ok)) {
            return failure(answer);
        }
        List<ProviderPayment.Refund> refunds = new ArrayList<>();
        if ("succeeded".equals(YooKassaClient.text(ok.body(), "status"))) { // only a succeeded payment has refunds
            ProviderResult<ProviderPayment> failed = readRefunds(providerPaymentId, refunds);
            if (failed != null) {
                return failed;
            }
        }
        return payment(answer, refunds);
    }

    /** Reads all the payment's refunds into {@code into}; answers null, or the result to give instead. */
    private ProviderResult<ProviderPayment> readRefunds(String providerPaymentId, List<ProviderPayment.Refund> into) {
        String cursor = null;
        for (int page = 0; page < REFUND_PAGES_MAX; page++) {
            String query = "/v3/refunds?payment_id=" + query(providerPaymentId) + "&limit=" + REFUNDS_PAGE_SIZE
                    + (cursor == null ? "" : "&cursor=" + query(cursor));
            YooKassaClient.Answer answer = client.get(query);
            if (!(answer instanceof YooKassaClient.Ok ok)) {
                return failure(answer);
            }
            for (JsonNode item : ok.body().path("items")) {
                YooKassaPayments.Read<ProviderPayment.Refund> refund = YooKassaPayments.refund(item);
                if (refund.value() == null) {
                    return new ProviderResult.Unknown<>(refund.unknownReason());
                }
                into.add(refund.value());
            }
            cursor = YooKassaClient.text(ok.body(), "next_cursor");
            if (cursor == null) {
                return null;
            }
        }
        return new ProviderResult.Unknown<>("payment " + providerPaymentId + " has more than "
                + REFUNDS_PAGE_SIZE * REFUND_PAGES_MAX + " refunds");
    }

    /** The receipt that goes with a request, when the fiscal module says one does (YooKassa's own receipts). */
    private Optional<ProviderReceipt> receipt(Function<ReceiptPort, Optional<ProviderReceipt>> ask) {
        ReceiptPort port = receipts.getIfAvailable();
        return port == null ? Optional.empty() : ask.apply(port);
    }

    // ---------------------------------------------------------------- receipts (YooKassa's own, 54-FZ)

    @Override
    public String provider() {
        return NAME;
    }

    /** {@code POST /v3/receipts}: a receipt of its own (an advance's offset), with the key as Idempotence-Key. */
    @Override
    public ProviderResult<Registration> register(ProviderReceipt receipt, String idempotencyKey) {
        return registration(client.post("/v3/receipts", YooKassaReceipts.onItsOwn(receipt), key(idempotencyKey)));
    }

    @Override
    public ProviderResult<Registration> get(String id) {
        return registration(client.get("/v3/receipts/" + path(id)));
    }

    /** {@code GET /v3/receipts?payment_id=…} (or {@code refund_id=…}): the first page is all a payment has. */
    @Override
    public ProviderResult<List<Registration>> of(String providerPaymentId, String providerRefundId) {
        String filter = providerRefundId != null ? "refund_id=" + query(providerRefundId)
                : "payment_id=" + query(providerPaymentId);
        YooKassaClient.Answer answer = client.get("/v3/receipts?" + filter + "&limit=" + REFUNDS_PAGE_SIZE);
        if (!(answer instanceof YooKassaClient.Ok ok)) {
            return failure(answer);
        }
        List<Registration> found = new ArrayList<>();
        for (JsonNode item : ok.body().path("items")) {
            Registration registration = YooKassaReceipts.registration(item);
            if (registration == null) {
                return new ProviderResult.Unknown<>("a receipt in YooKassa's list could not be read");
            }
            found.add(registration);
        }
        return new ProviderResult.Done<>(found);
    }

    /** The payment's (or refund's) {@code receipt_registration}: absent when no receipt went with it. */
    @Override
    public ProviderResult<String> registrationOf(String providerPaymentId, String providerRefundId) {
        YooKassaClient.Answer answer = client.get(providerRefundId != null ? "/v3/refunds/" + path(providerRefundId)
                : "/v3/payments/" + path(providerPaymentId));
        if (!(answer instanceof YooKassaClient.Ok ok)) {
            return failure(answer);
        }
        return new ProviderResult.Done<>(YooKassaClient.text(ok.body(), "receipt_registration"));
    }

    private static ProviderResult<Registration> registration(YooKassaClient.Answer answer) {
        if (answer instanceof YooKassaClient.Ok ok) {
            Registration registration = YooKassaReceipts.registration(ok.body());
            return registration == null ? new ProviderResult.Unknown<>("YooKassa answered a receipt it could not read")
                    : new ProviderResult.Done<>(registration);
        }
        return failure(answer);
    }

    @Override
    public ProviderWebhook verifyWebhook(WebhookRequest request) throws WebhookRejectedException {
        return notifications.verify(request.body(), request.clientAddress());
    }

    private static ProviderResult<ProviderPayment> payment(YooKassaClient.Answer answer,
                                                           List<ProviderPayment.Refund> refunds) {
        return result(answer, node -> YooKassaPayments.payment(node, refunds));
    }

    private static <T> ProviderResult<T> result(YooKassaClient.Answer answer,
                                                Function<JsonNode, YooKassaPayments.Read<T>> read) {
        if (answer instanceof YooKassaClient.Ok ok) {
            YooKassaPayments.Read<T> value = read.apply(ok.body());
            return value.value() != null ? new ProviderResult.Done<>(value.value())
                    : new ProviderResult.Unknown<>(value.unknownReason());
        }
        return failure(answer);
    }

    /** A refusal or an unknown outcome, as the SPI's result. */
    private static <T> ProviderResult<T> failure(YooKassaClient.Answer answer) {
        if (answer instanceof YooKassaClient.Refused refused) {
            return new ProviderResult.Rejected<>(refused.code(), "yookassa: " + refused.description()
                    + (refused.parameter() == null ? "" : " (parameter " + refused.parameter() + ")"));
        }
        if (answer instanceof YooKassaClient.Unknown unknown) {
            return new ProviderResult.Unknown<>(unknown.reason());
        }
        throw new IllegalArgumentException("not a failure: " + answer);
    }

    /**
     * The Idempotence-Key for one of our intents: its own id (payment, refund, capture or void
     * operation key), which YooKassa accepts up to 64 characters; a longer one is hashed.
     */
    static String key(String intentId) {
        if (intentId.length() <= YooKassaClient.IDEMPOTENCE_KEY_LENGTH_MAX) {
            return intentId;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(intentId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
