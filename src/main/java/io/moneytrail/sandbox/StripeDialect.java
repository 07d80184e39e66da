package io.moneytrail.sandbox;

import io.moneytrail.money.Ids;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The sandbox speaking Stripe: which of Stripe's events announce each change of a payment, and
 * how they are signed ({@code Stripe-Signature: t=…,v1=HMAC-SHA256("t.body")}) and sent to
 * {@code /v1/webhooks/stripe}. Events carry stripe-java's API version, so the SDK reads their
 * objects. The API is {@link StripeApiController}, the hosted page {@link StripePageController}.
 */
@Component
@ConditionalOnSandbox
@EnableConfigurationProperties(StripeDialectProperties.class)
class StripeDialect implements SandboxDialect {

    static final String NAME = "stripe";
    static final String EVENT_PREFIX = "evt_";
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** The dialect's own change types (see {@link SandboxService#change}). */
    static final String PAYMENT_FAILED = "stripe.payment_failed";
    static final String DISPUTE_CREATED = "stripe.dispute_created:";
    static final String DISPUTE_CLOSED = "stripe.dispute_closed:";

    private final StripeDialectProperties properties;
    private final SandboxUrls urls;
    private final StripeDisputes disputes;

    StripeDialect(StripeDialectProperties properties, SandboxUrls urls, StripeDisputes disputes) {
        this.properties = properties;
        this.urls = urls;
        this.disputes = disputes;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Stripe's events for each change. The hosted page's success completes the session (with
     * {@code payment_status=unpaid} when the capture is manual); a capture, partial or not, ends in
     * {@code payment_intent.succeeded} (Stripe captures once and releases the rest); a cancel
     * after authorisation is {@code payment_intent.canceled}, before it the session expires.
     */
    @Override
    public List<Notification> notifications(String change, SandboxPayment payment, SandboxPayment.Refund refund,
                                            Instant now) {
        StripeData data = StripeData.parse(payment.dialectData());
        List<Notification> events = new ArrayList<>();
        switch (change) {
            case "payment.waiting_for_capture" -> {
                events.add(event("payment_intent.amount_capturable_updated", intent(payment, data), now));
                events.add(event("checkout.session.completed", session(payment, data), now));
            }
            case "payment.succeeded" -> {
                events.add(event("payment_intent.succeeded", intent(payment, data), now));
                if (SandboxPayment.AUTOMATIC.equals(payment.captureMethod())) {
                    events.add(event("checkout.session.completed", session(payment, data), now));
                }
            }
            case "payment.captured" -> {
                // a partial capture: the dialect releases the rest in the same transaction, announced then
            }
            case "payment.canceled" -> {
                // a void after authorisation cancels the PaymentIntent; before it, the session expires
                // (and with it the PaymentIntent a declined attempt created)
                boolean sessionExpired = payment.amountAuthorized() == 0
                        && StripeData.EXPIRED.equals(data.sessionStatus());
                if (data.intentExists()) {
                    events.add(event("payment_intent.canceled", intent(payment, data), now));
                }
                if (sessionExpired) {
                    events.add(event("checkout.session.expired", session(payment, data), now));
                }
            }
            case "refund.succeeded" -> {
                events.add(event("charge.refunded", charge(payment, data), now));
                events.add(event("refund.updated", StripeObjects.refund(refund, payment), now));
            }
            case PAYMENT_FAILED -> events.add(event("payment_intent.payment_failed", intent(payment, data), now));
            default -> {
                if (change.startsWith(DISPUTE_CREATED) || change.startsWith(DISPUTE_CLOSED)) {
                    String id = change.substring(change.indexOf(':') + 1);
                    StripeDisputes.Dispute dispute = disputes.find(id).orElseThrow();
                    events.add(event(change.startsWith(DISPUTE_CREATED) ? "charge.dispute.created"
                            : "charge.dispute.closed", StripeObjects.dispute(dispute), now));
                } else {
                    throw new IllegalArgumentException("the Stripe dialect has no events for " + change);
                }
            }
        }
        return events;
    }

    @Override
    public HttpRequest request(WebhookDispatcher.Pending notification, Instant now) {
        byte[] body = notification.payload().getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(webhookUrl()))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
                .header("Stripe-Signature", SandboxSignature.header(body, properties.webhookSecret(),
                        now.getEpochSecond()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    @Override
    public String confirmationUrl(SandboxPayment payment) {
        return publicBase() + "/stripe/c/pay/" + StripeData.sessionId(payment.id());
    }

    Map<String, Object> session(SandboxPayment payment, StripeData data) {
        return StripeObjects.session(payment, data, confirmationUrl(payment));
    }

    Map<String, Object> intent(SandboxPayment payment, StripeData data) {
        return StripeObjects.intent(payment, data);
    }

    Map<String, Object> charge(SandboxPayment payment, StripeData data) {
        return StripeObjects.charge(payment, data, !disputes.ofPayment(payment.id()).isEmpty());
    }

    private Notification event(String type, Map<String, Object> object, Instant now) {
        String id = Ids.next(EVENT_PREFIX);
        return new Notification(id, type, SandboxJson.string(StripeObjects.event(id, type, object, now)));
    }

    /** {@code moneytrail.sandbox.stripe.webhook-url}, else the sandbox's notification base plus {@code /stripe}. */
    String webhookUrl() {
        return properties.webhookUrl() != null ? properties.webhookUrl() : urls.webhookUrl(NAME);
    }

    /** The sandbox's base as a customer's browser reaches it ({@code …/sandbox}). */
    String publicBase() {
        return urls.publicBase();
    }
}
