package io.moneytrail.provider.stripe;

import com.stripe.StripeClient;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.DisputeListParams;
import com.stripe.param.PaymentIntentCaptureParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.RefundListParams;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionListParams;
import io.moneytrail.money.Money;
import io.moneytrail.payment.CaptureMethod;
import io.moneytrail.payment.PaymentProvider;
import io.moneytrail.payment.ProviderPayment;
import io.moneytrail.payment.ProviderResult;
import io.moneytrail.payment.ProviderWebhook;
import io.moneytrail.payment.WebhookRejectedException;
import io.moneytrail.provider.ApiBase;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Stripe through stripe-java. A payment is a Checkout Session ({@code cs_…}) until the customer
 * confirms it on Stripe's page; from then on it is the session's PaymentIntent ({@code pi_…}),
 * which {@link #fetch} reports as the provider payment id (the core relinks once). Every
 * create, capture, cancel and refund carries an idempotency key derived from our ids. Offered
 * when both credentials are set ({@link OnStripeCredentials}).
 */
@Component
@EnableConfigurationProperties(StripeProperties.class)
@Conditional(OnStripeCredentials.class)
class StripeProvider implements PaymentProvider {

    /** Refunds and disputes read per payment; a payment with more is read in part and flagged by the core. */
    static final long LIST_LIMIT = 100;

    private final StripeProperties properties;
    private final ApiBase apiBase;
    private final StripeCalls calls;
    private final StripeWebhooks webhooks;
    private volatile Client client;

    /** A client for one resolved API base (the local dialect's port is known only after start). */
    private record Client(String apiBase, StripeClient stripe) {
    }

    StripeProvider(StripeProperties properties, Environment environment, Clock clock) {
        this.properties = properties;
        this.apiBase = ApiBase.of(properties.apiBase(), StripeProperties.PRODUCTION_API_BASE, environment);
        this.calls = new StripeCalls(properties.rateLimitRetriesMax(), properties.rateLimitBackoffMs());
        this.webhooks = new StripeWebhooks(properties.webhookSecret(), properties.toleranceSeconds(), clock);
    }

    @Override
    public String name() {
        return "stripe";
    }

    @Override
    public Set<Capability> capabilities() {
        // partial capture happens once: Stripe releases the uncaptured rest with it
        return Set.of(Capability.TWO_STAGE, Capability.PARTIAL_CAPTURE, Capability.VOID, Capability.PARTIAL_REFUND,
                Capability.MULTIPLE_REFUNDS);
    }

    @Override
    public boolean supportsCurrency(String currency) {
        return StripeAmounts.supports(currency);
    }

    @Override
    public ProviderResult<ProviderPayment> create(CreatePayment request) {
        OptionalLong amount = StripeAmounts.toStripe(request.amount());
        if (amount.isEmpty()) {
            return new ProviderResult.Rejected<>("amount_not_supported", StripeAmounts.why(request.amount()));
        }
        SessionCreateParams.PaymentIntentData.CaptureMethod capture = request.captureMethod() == CaptureMethod.MANUAL
                ? SessionCreateParams.PaymentIntentData.CaptureMethod.MANUAL
                : SessionCreateParams.PaymentIntentData.CaptureMethod.AUTOMATIC;
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setClientReferenceId(request.orderId())
                .putMetadata(StripeSnapshots.ORDER_ID, request.orderId())
                .putMetadata(StripeSnapshots.PAYMENT_ID, request.paymentId())
                // the session's metadata is not copied to its PaymentIntent: both carry our ids
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .setCaptureMethod(capture)
                        .putMetadata(StripeSnapshots.ORDER_ID, request.orderId())
                        .putMetadata(StripeSnapshots.PAYMENT_ID, request.paymentId())
                        .build())
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                                .setCurrency(StripeAmounts.currency(request.amount()))
                                .setUnitAmount(amount.getAsLong())
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName("Order " + request.orderId())
                                        .build())
                                .build())
                        .build());
        if (request.returnUrl() != null) {
            params.setSuccessUrl(request.returnUrl()).setCancelUrl(request.returnUrl());
        }
        try {
            Session session = calls.run("create Checkout Session", () -> stripe().v1().checkout().sessions()
                    .create(params.build(), key(request.paymentId())));
            return new ProviderResult.Done<>(StripeSnapshots.ofSession(session));
        } catch (StripeCalls.Failure failure) {
            return failure.result();
        } catch (StripeSnapshots.NotUnderstood e) {
            return new ProviderResult.Unknown<>(e.getMessage());
        }
    }

    @Override
    public ProviderResult<ProviderPayment> capture(String providerPaymentId, Money amount, String idempotencyKey) {
        OptionalLong amountToCapture = StripeAmounts.toStripe(amount);
        if (amountToCapture.isEmpty()) {
            return new ProviderResult.Rejected<>("amount_not_supported", StripeAmounts.why(amount));
        }
        try {
            String intentId = intentOf(providerPaymentId);
            PaymentIntentCaptureParams params = PaymentIntentCaptureParams.builder()
                    .setAmountToCapture(amountToCapture.getAsLong()).build();
            calls.run("capture " + intentId, () -> stripe().v1().paymentIntents().capture(intentId, params,
                    key(idempotencyKey != null ? idempotencyKey : "capture_" + intentId)));
            return new ProviderResult.Done<>(view(intentId, null));
        } catch (StripeCalls.Failure failure) {
            return failure.result();
        } catch (StripeSnapshots.NotUnderstood e) {
            return new ProviderResult.Unknown<>(e.getMessage());
        }
    }

    /**
     * An authorised PaymentIntent is canceled; one still awaiting the customer belongs to an open
     * Checkout Session, which Stripe lets only be expired (a session with no PaymentIntent yet, too).
     * The answer is Stripe's view after it, mapped as any check would map it (an expired session is
     * {@code expired}, one whose last attempt was declined {@code failed}), so the answer and the
     * webhooks that follow it agree whatever order they arrive in.
     */
    @Override
    public ProviderResult<ProviderPayment> cancel(String providerPaymentId, String idempotencyKey) {
        String key = idempotencyKey != null ? idempotencyKey : "cancel_" + providerPaymentId;
        try {
            Session session = null;
            String intentId = providerPaymentId;
            if (isSession(providerPaymentId)) {
                session = retrieveSession(providerPaymentId);
                if (session.getPaymentIntent() == null) {
                    Session open = session;
                    Session expired = "open".equals(open.getStatus())
                            ? calls.run("expire " + open.getId(), () -> stripe().v1().checkout().sessions()
                            .expire(open.getId(), key(key)))
                            : open;
                    return new ProviderResult.Done<>(StripeSnapshots.ofSession(expired));
                }
                intentId = session.getPaymentIntent();
            }
            String id = intentId;
            PaymentIntent intent = calls.run("retrieve " + id, () -> stripe().v1().paymentIntents().retrieve(id));
            switch (String.valueOf(intent.getStatus())) {
                case "requires_capture" -> calls.run("cancel " + id, () -> stripe().v1().paymentIntents()
                        .cancel(id, key(key)));
                case "requires_payment_method", "requires_confirmation", "requires_action" -> {
                    Session owner = session != null ? session : sessionOf(id);
                    if (owner != null && "open".equals(owner.getStatus())) {
                        calls.run("expire " + owner.getId(), () -> stripe().v1().checkout().sessions()
                                .expire(owner.getId(), key(key)));
                    } else {
                        calls.run("cancel " + id, () -> stripe().v1().paymentIntents().cancel(id, key(key)));
                    }
                }
                default -> {
                    // already canceled or succeeded: the view below says which; the core decides
                }
            }
            return new ProviderResult.Done<>(view(id, null));
        } catch (StripeCalls.Failure failure) {
            return failure.result();
        } catch (StripeSnapshots.NotUnderstood e) {
            return new ProviderResult.Unknown<>(e.getMessage());
        }
    }

    @Override
    public ProviderResult<ProviderPayment.Refund> refund(String providerPaymentId, String refundId, Money amount) {
        OptionalLong refundAmount = StripeAmounts.toStripe(amount);
        if (refundAmount.isEmpty()) {
            return new ProviderResult.Rejected<>("amount_not_supported", StripeAmounts.why(amount));
        }
        try {
            String intentId = intentOf(providerPaymentId);
            RefundCreateParams params = RefundCreateParams.builder()
                    .setPaymentIntent(intentId)
                    .setAmount(refundAmount.getAsLong())
                    .putMetadata(StripeSnapshots.REFUND_ID, refundId)
                    .build();
            Refund refund = calls.run("refund " + intentId, () -> stripe().v1().refunds().create(params,
                    key(refundId)));
            return new ProviderResult.Done<>(StripeSnapshots.refund(refund));
        } catch (StripeCalls.Failure failure) {
            return failure.result();
        } catch (StripeSnapshots.NotUnderstood e) {
            return new ProviderResult.Unknown<>(e.getMessage());
        }
    }

    /** Accepts the session id we recorded first, and the PaymentIntent id that replaces it. */
    @Override
    public ProviderResult<ProviderPayment> fetch(String providerPaymentId) {
        try {
            if (isSession(providerPaymentId)) {
                Session session = retrieveSession(providerPaymentId);
                if (session.getPaymentIntent() == null) {
                    return new ProviderResult.Done<>(StripeSnapshots.ofSession(session));
                }
                return new ProviderResult.Done<>(view(session.getPaymentIntent(), session));
            }
            return new ProviderResult.Done<>(view(providerPaymentId, null));
        } catch (StripeCalls.Failure failure) {
            return failure.result();
        } catch (StripeSnapshots.NotUnderstood e) {
            return new ProviderResult.Unknown<>(e.getMessage());
        }
    }

    @Override
    public ProviderWebhook verifyWebhook(WebhookRequest request) throws WebhookRejectedException {
        return webhooks.verify(request.body(), request.headers().get(StripeWebhooks.SIGNATURE_HEADER));
    }

    // ------------------------------------------------------------------ reads

    /** The PaymentIntent with its latest charge, refunds and disputes, as one view. */
    private ProviderPayment view(String intentId, Session session)
            throws StripeCalls.Failure, StripeSnapshots.NotUnderstood {
        PaymentIntent intent = calls.run("retrieve " + intentId, () -> stripe().v1().paymentIntents()
                .retrieve(intentId));
        Charge charge = null;
        List<Refund> refunds = List.of();
        List<Dispute> disputes = List.of();
        if (intent.getLatestCharge() != null) {
            String chargeId = intent.getLatestCharge();
            charge = calls.run("retrieve " + chargeId, () -> stripe().v1().charges().retrieve(chargeId));
            if (Boolean.TRUE.equals(charge.getCaptured())) {
                RefundListParams byIntent = RefundListParams.builder().setPaymentIntent(intentId)
                        .setLimit(LIST_LIMIT).build();
                refunds = calls.run("list refunds of " + intentId, () -> stripe().v1().refunds().list(byIntent))
                        .getData();
            }
            if (Boolean.TRUE.equals(charge.getDisputed())) {
                DisputeListParams byIntent = DisputeListParams.builder().setPaymentIntent(intentId)
                        .setLimit(LIST_LIMIT).build();
                disputes = calls.run("list disputes of " + intentId, () -> stripe().v1().disputes().list(byIntent))
                        .getData();
            }
        }
        return StripeSnapshots.ofIntent(intent, charge, refunds, disputes, session);
    }

    private String intentOf(String providerPaymentId) throws StripeCalls.Failure {
        if (!isSession(providerPaymentId)) {
            return providerPaymentId;
        }
        Session session = retrieveSession(providerPaymentId);
        if (session.getPaymentIntent() == null) {
            throw new StripeCalls.Failure(new ProviderResult.Rejected<>("payment_intent_missing", "Checkout Session "
                    + providerPaymentId + " has no PaymentIntent: the customer has not paid"));
        }
        return session.getPaymentIntent();
    }

    private Session retrieveSession(String sessionId) throws StripeCalls.Failure {
        return calls.run("retrieve " + sessionId, () -> stripe().v1().checkout().sessions().retrieve(sessionId));
    }

    /** The Checkout Session that created a PaymentIntent, or null for one created otherwise. */
    private Session sessionOf(String intentId) throws StripeCalls.Failure {
        SessionListParams params = SessionListParams.builder().setPaymentIntent(intentId).setLimit(1L).build();
        List<Session> sessions = calls.run("find the session of " + intentId, () -> stripe().v1().checkout()
                .sessions().list(params)).getData();
        return sessions.isEmpty() ? null : sessions.get(0);
    }

    private static boolean isSession(String providerPaymentId) {
        return providerPaymentId.startsWith("cs_");
    }

    private static RequestOptions key(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    private StripeClient stripe() {
        String base = apiBase.resolve();
        Client current = client;
        if (current == null || !current.apiBase().equals(base)) {
            current = new Client(base, new StripeClient.StripeClientBuilder()
                    .setApiKey(properties.secretKey())
                    .setApiBase(base)
                    .setConnectTimeout(properties.connectTimeoutMs())
                    .setReadTimeout(properties.readTimeoutMs())
                    .setMaxNetworkRetries(0) // retries are ours: 429 only, bounded, with backoff
                    .build());
            client = current;
        }
        return current.stripe();
    }
}
