package io.moneytrail.provider.tbank;

import io.moneytrail.money.Money;
import io.moneytrail.payment.CaptureMethod;
import io.moneytrail.payment.PaymentProvider;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.ProviderPayment;
import io.moneytrail.payment.ProviderResult;
import io.moneytrail.payment.ProviderWebhook;
import io.moneytrail.payment.RefundState;
import io.moneytrail.payment.WebhookRejectedException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * T-Bank (acquiring API v2, "MAPI"): a payment is {@code Init} with our payment id as
 * {@code OrderId} (T-Bank wants it unique per operation; our order id travels in {@code DATA}),
 * {@code PayType} T for manual capture and O for automatic; the customer pays on T-Bank's form at
 * {@code PaymentURL}. {@code Confirm} captures (once: whatever it does not take is released),
 * {@code Cancel} voids before capture and refunds after, partially with {@code Amount}, as often
 * as needed. T-Bank has no idempotency header: Init is de-duplicated by {@code OrderId}, Cancel
 * by {@code ExternalRequestId} (our refund id, or the void's idempotency key); a Confirm repeated
 * after a lost answer is refused as the payment is already confirmed, and is then answered from
 * {@code GetState}. Only roubles (kopecks). Notifications at {@code /v1/webhooks/tbank} are
 * checked by their {@code Token} and answered with a plain {@code OK}.
 */
@Component
@EnableConfigurationProperties(TBankProperties.class)
@Conditional(OnTBankProvider.class)
class TBankProvider implements PaymentProvider {

    static final String NAME = "tbank";
    /** Our order id in Init's DATA (keys up to 20 characters, values up to 100). */
    static final String DATA_ORDER_ID = "order_id";

    private final TBankProperties properties;
    private final TBankApi api;
    private final TBankPayments payments;
    private final TBankRefunds refunds;
    private final TBankNotifications notifications;
    private final Environment environment;
    private final Clock clock;

    TBankProvider(TBankProperties properties, Environment environment, ObjectMapper json, JdbcClient jdbc, Clock clock) {
        this.properties = properties;
        this.api = new TBankApi(properties, environment, json);
        this.payments = new TBankPayments(jdbc);
        this.refunds = new TBankRefunds(jdbc);
        this.notifications = new TBankNotifications(properties, json, clock);
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean supportsCurrency(String currency) {
        return TBankSnapshots.CURRENCY.equals(currency);
    }

    @Override
    public WebhookAcknowledgement acknowledgement() {
        return new WebhookAcknowledgement("text/plain", "OK");
    }

    @Override
    public ProviderResult<ProviderPayment> create(CreatePayment request) {
        if (!supportsCurrency(request.amount().currencyCode())) {
            return new ProviderResult.Rejected<>("provider_unsupported", "T-Bank takes roubles only, not "
                    + request.amount().currencyCode());
        }
        boolean twoStage = request.captureMethod() == CaptureMethod.MANUAL;
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("Amount", request.amount().amountMinor());
        parameters.put("OrderId", request.paymentId());
        parameters.put("Description", "Order " + request.orderId());
        parameters.put("PayType", twoStage ? "T" : "O");
        String notificationUrl = notificationUrl();
        if (notificationUrl != null) {
            parameters.put("NotificationURL", notificationUrl);
        }
        if (request.returnUrl() != null) {
            parameters.put("SuccessURL", request.returnUrl());
            parameters.put("FailURL", request.returnUrl());
        }
        parameters.put("DATA", Map.of(DATA_ORDER_ID, request.orderId()));
        ProviderResult<JsonNode> answer = api.call("Init", parameters);
        if (!(answer instanceof ProviderResult.Done<JsonNode> done)) {
            return relay(answer);
        }
        JsonNode body = done.value();
        String paymentId = TBankApi.text(body, "PaymentId");
        if (paymentId == null) {
            return new ProviderResult.Unknown<>("Init: answer without PaymentId");
        }
        payments.remember(paymentId, request.paymentId(), request.amount().amountMinor(), twoStage, clock.instant());
        return TBankSnapshots.of(said(body, paymentId, TBankApi.text(body, "PaymentURL")), payments.find(paymentId));
    }

    /**
     * {@code Confirm}, for {@code amount} (less than authorised: the rest is released, as T-Bank
     * confirms once). Refused — typically because a repeat after a lost answer finds the payment
     * already confirmed — the current state is asked for: if Confirm took the money, that is the answer.
     */
    @Override
    public ProviderResult<ProviderPayment> capture(String providerPaymentId, Money amount, String idempotencyKey) {
        ProviderResult<JsonNode> answer = api.call("Confirm",
                Map.of("PaymentId", providerPaymentId, "Amount", amount.amountMinor()));
        if (answer instanceof ProviderResult.Done<JsonNode> done) {
            String status = TBankApi.text(done.value(), "Status");
            if ("CONFIRMED".equals(status)) {
                payments.confirmed(providerPaymentId, amount.amountMinor(), clock.instant());
            }
            return TBankSnapshots.of(said(done.value(), providerPaymentId, null), payments.find(providerPaymentId));
        }
        if (answer instanceof ProviderResult.Rejected<JsonNode> rejected) {
            ProviderResult<ProviderPayment> now = fetch(providerPaymentId, amount.amountMinor());
            if (now instanceof ProviderResult.Done<ProviderPayment> view && view.value().state() == PaymentState.CAPTURED) {
                return now;
            }
            return new ProviderResult.Rejected<>(rejected.code(), rejected.message());
        }
        return relay(answer);
    }

    /**
     * {@code Cancel} without an amount: a NEW payment becomes CANCELED, an authorised one REVERSED.
     * On a CONFIRMED payment T-Bank's Cancel is a refund, never a void: so the state is asked
     * first, and a payment the customer has meanwhile paid (one-stage) is not cancelled but
     * refused, and its current state applied (the order's compensation then refunds it as a
     * refund of ours). Should the customer pay between that question and the Cancel, T-Bank's
     * answer is a refund: it is found as one made at the provider ({@link TBankRefunds}), so no
     * money goes unbooked.
     */
    @Override
    public ProviderResult<ProviderPayment> cancel(String providerPaymentId, String idempotencyKey) {
        ProviderResult<JsonNode> now = api.call("GetState", Map.of("PaymentId", providerPaymentId), true);
        if (!(now instanceof ProviderResult.Done<JsonNode> state)) {
            return relay(now);
        }
        String status = TBankApi.text(state.value(), "Status");
        if (TBankStatus.of(status).map(row -> row.money() == TBankStatus.Money.TAKEN).orElse(false)) {
            return new ProviderResult.Rejected<>("payment_confirmed", "T-Bank payment " + providerPaymentId + " is "
                    + status + ": a Cancel would refund it, not void it");
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("PaymentId", providerPaymentId);
        if (idempotencyKey != null) {
            parameters.put("ExternalRequestId", idempotencyKey);
        }
        ProviderResult<JsonNode> answer = api.call("Cancel", parameters);
        if (!(answer instanceof ProviderResult.Done<JsonNode> done)) {
            return relay(answer);
        }
        // Cancel answers the amount left as NewAmount. Should the customer have paid just before it, T-Bank refunded
        // instead of voiding: that refund is found like any refund our refund calls did not make (TBankRefunds), under
        // the same name whichever answer finds it first, this one or a notification's, so it is booked once, and
        // still found if this answer is lost
        TBankSnapshots.Said said = said(done.value(), providerPaymentId, null);
        JsonNode left = done.value().get("NewAmount");
        if (said.currentAmount() == null && left != null && left.isNumber()) {
            said = new TBankSnapshots.Said(said.paymentId(), said.orderId(), said.status(), left.asLong(),
                    said.errorCode(), said.message(), said.redirectUrl());
        }
        return withFoundRefunds(said, TBankSnapshots.of(said, payments.find(providerPaymentId)));
    }

    /**
     * A refund is a {@code Cancel} with {@code Amount} and {@code ExternalRequestId} = our refund
     * id. T-Bank has no refund object: the refund is named {@code cancel-<PaymentId>-<refund id>}.
     * A repeat with the same {@code ExternalRequestId} is not a second refund: T-Bank answers with
     * the state of the one it has, so the resolver settles a refund whose answer was lost by
     * asking again. {@code PARTIAL_REFUNDED}/{@code REFUNDED} is done, {@code REFUNDING} pending.
     */
    @Override
    public ProviderResult<ProviderPayment.Refund> refund(String providerPaymentId, String refundId, Money amount) {
        if (!supportsCurrency(amount.currencyCode())) {
            return new ProviderResult.Rejected<>("provider_unsupported", "T-Bank refunds roubles only");
        }
        refunds.sending(providerPaymentId, refundId, amount.amountMinor(), clock.instant());
        ProviderResult<JsonNode> answer = api.call("Cancel", Map.of("PaymentId", providerPaymentId,
                "Amount", amount.amountMinor(), "ExternalRequestId", refundId));
        if (!(answer instanceof ProviderResult.Done<JsonNode> done)) {
            if (answer instanceof ProviderResult.Rejected<JsonNode>) {
                refunds.refused(providerPaymentId, refundId);
            }
            return relay(answer);
        }
        String status = TBankApi.text(done.value(), "Status");
        RefundState state = switch (status == null ? "" : status) {
            case "PARTIAL_REFUNDED", "REFUNDED" -> RefundState.SUCCEEDED;
            case "REFUNDING", "ASYNC_REFUNDING" -> RefundState.PENDING;
            default -> null;
        };
        if (state == null) {
            return new ProviderResult.Unknown<>("Cancel (refund) answered status " + status);
        }
        return new ProviderResult.Done<>(new ProviderPayment.Refund(
                TBankSnapshots.refundId(providerPaymentId, refundId), refundId, amount.amountMinor(), state,
                clock.instant()));
    }

    @Override
    public ProviderResult<ProviderPayment> fetch(String providerPaymentId) {
        return fetch(providerPaymentId, null);
    }

    /**
     * {@code GetState}. {@code confirmingMinor} is the amount of a Confirm just refused: if the
     * payment turns out confirmed, that Confirm (an earlier attempt of it) took that amount.
     */
    private ProviderResult<ProviderPayment> fetch(String providerPaymentId, Long confirmingMinor) {
        ProviderResult<JsonNode> answer = api.call("GetState", Map.of("PaymentId", providerPaymentId), true);
        if (!(answer instanceof ProviderResult.Done<JsonNode> done)) {
            return relay(answer);
        }
        TBankSnapshots.Said said = said(done.value(), providerPaymentId, null);
        Optional<TBankPayments.Known> known = payments.find(providerPaymentId);
        if (known.isPresent() && known.get().confirmedMinor() == null && known.get().twoStage()) {
            Long confirmed = confirmingMinor != null ? confirmingMinor
                    : "CONFIRMED".equals(said.status()) ? said.currentAmount() : null;
            if (confirmed != null && TBankStatus.of(said.status()).map(r -> r.money() == TBankStatus.Money.TAKEN)
                    .orElse(false)) {
                payments.confirmed(providerPaymentId, confirmed, clock.instant());
                known = payments.find(providerPaymentId);
            }
        }
        return withFoundRefunds(said, TBankSnapshots.of(said, known));
    }

    /**
     * Adds the refunds our refund calls did not make (in T-Bank's dashboard, or a void T-Bank
     * turned into a refund) to a paid payment's view: T-Bank lists none, so they are what it took back (the whole capture once {@code REFUNDED}; the capture less the
     * current {@code Amount} while {@code PARTIAL_REFUNDED}) beyond the refunds the adapter sent
     * (see {@link TBankRefunds}).
     */
    private ProviderResult<ProviderPayment> withFoundRefunds(TBankSnapshots.Said said,
                                                                  ProviderResult<ProviderPayment> view) {
        if (!(view instanceof ProviderResult.Done<ProviderPayment> done) || done.value().captures().isEmpty()
                || "CONFIRMED".equals(said.status())) { // plainly confirmed: nothing refunded yet
            return view;
        }
        ProviderPayment p = done.value();
        long captured = p.captures().get(0).amount();
        Long refunded = switch (said.status()) {
            case "REFUNDED" -> captured;
            case "PARTIAL_REFUNDED" -> said.currentAmount() != null && said.currentAmount() >= 0
                    && said.currentAmount() < captured ? captured - said.currentAmount() : null;
            default -> null;
        };
        java.util.List<ProviderPayment.Refund> discovered = refunds.discovered(p.providerPaymentId(), refunded,
                clock.instant());
        if (discovered.isEmpty()) {
            return view;
        }
        java.util.List<ProviderPayment.Refund> all = new java.util.ArrayList<>(p.refunds());
        all.addAll(discovered);
        return new ProviderResult.Done<>(new ProviderPayment(p.providerPaymentId(), p.merchantReference(), p.state(),
                p.amount(), p.amountAuthorized(), p.amountReleased(), p.captures(), all, p.redirectUrl(),
                p.failureCode(), p.failureMessage(), p.disputes()));
    }

    @Override
    public ProviderWebhook verifyWebhook(WebhookRequest request) throws WebhookRejectedException {
        return notifications.verify(request.body());
    }

    /** NotificationURL for Init: configured; else this process's own when the API base is local. */
    private String notificationUrl() {
        if (properties.notificationUrl() != null && !properties.notificationUrl().isBlank()) {
            return properties.notificationUrl();
        }
        if (!api.local()) {
            return null; // the terminal's own Notification URL setting applies
        }
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return "http://localhost:" + port + "/v1/webhooks/" + NAME;
    }

    private static TBankSnapshots.Said said(JsonNode body, String paymentId, String redirectUrl) {
        JsonNode amount = body.get("Amount");
        Long current = amount == null || !amount.isNumber() ? null : amount.asLong();
        String reported = TBankApi.text(body, "PaymentId");
        String errorCode = TBankApi.text(body, "ErrorCode");
        String message = errorCode == null || "0".equals(errorCode) ? null : TBankApi.describe(body);
        return new TBankSnapshots.Said(reported != null ? reported : paymentId, TBankApi.text(body, "OrderId"),
                TBankApi.text(body, "Status"), current, errorCode, message, redirectUrl);
    }

    /** A refusal or an unknown outcome, passed on as the caller's result type. */
    private static <T> ProviderResult<T> relay(ProviderResult<?> answer) {
        if (answer instanceof ProviderResult.Rejected<?> rejected) {
            return new ProviderResult.Rejected<>(rejected.code(), rejected.message());
        }
        if (answer instanceof ProviderResult.Unknown<?> unknown) {
            return new ProviderResult.Unknown<>(unknown.reason());
        }
        return new ProviderResult.Unknown<>("unexpected answer");
    }
}
