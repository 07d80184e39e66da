package io.moneytrail.provider.stripe;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import io.moneytrail.payment.ProviderWebhook;
import io.moneytrail.payment.WebhookRejectedException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stripe's webhooks: the {@code Stripe-Signature} header checked on the raw body by stripe-java's
 * {@link Webhook#constructEvent} (HMAC-SHA256 of {@code t.body}, any {@code v1} matching, the
 * timestamp within the tolerance), then which payment the event is about. The event's content
 * is only a hint: the core fetches the PaymentIntent (or session) and applies what it says.
 */
final class StripeWebhooks {

    static final String SIGNATURE_HEADER = "stripe-signature";
    private static final JsonMapper RAW = JsonMapper.builder().build();

    private final String secret;
    private final long toleranceSeconds;
    private final Clock clock;

    StripeWebhooks(String secret, long toleranceSeconds, Clock clock) {
        this.secret = secret;
        this.toleranceSeconds = toleranceSeconds;
        this.clock = clock;
    }

    ProviderWebhook verify(byte[] body, String signature) throws WebhookRejectedException {
        if (signature == null || signature.isBlank()) {
            throw new WebhookRejectedException("missing Stripe-Signature header");
        }
        Event event;
        try {
            event = Webhook.constructEvent(new String(body, StandardCharsets.UTF_8), signature, secret,
                    toleranceSeconds, clock);
        } catch (SignatureVerificationException e) {
            throw new WebhookRejectedException("Stripe-Signature rejected: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new WebhookRejectedException("body is not a Stripe event");
        }
        if (event.getId() == null || event.getType() == null || event.getData() == null) {
            throw new WebhookRejectedException("event lacks id, type or data");
        }
        About about = about(event);
        return new ProviderWebhook(event.getId(), event.getType(), about.providerPaymentId(),
                about.merchantReference(), Instant.ofEpochSecond(event.getCreated() == null ? 0 : event.getCreated()));
    }

    /** The payment an event is about: its session or PaymentIntent id, and our payment id if Stripe echoes it. */
    record About(String providerPaymentId, String merchantReference) {
    }

    /**
     * Read through stripe-java's typed object when the event carries our release train's API
     * version; else from the raw object (ids do not change between versions).
     */
    static About about(Event event) {
        Optional<StripeObject> typed = event.getDataObjectDeserializer().getObject();
        if (typed.isPresent()) {
            StripeObject object = typed.get();
            if (object instanceof Session session) {
                return new About(session.getId(), StripeSnapshots.metadata(session.getMetadata(),
                        StripeSnapshots.PAYMENT_ID));
            }
            if (object instanceof PaymentIntent intent) {
                return new About(intent.getId(), StripeSnapshots.metadata(intent.getMetadata(),
                        StripeSnapshots.PAYMENT_ID));
            }
            if (object instanceof Charge charge) {
                return new About(charge.getPaymentIntent(), StripeSnapshots.metadata(charge.getMetadata(),
                        StripeSnapshots.PAYMENT_ID));
            }
            if (object instanceof Refund refund) {
                return new About(refund.getPaymentIntent(), null);
            }
            if (object instanceof Dispute dispute) {
                return new About(dispute.getPaymentIntent(), null);
            }
        }
        JsonNode raw = rawObject(event);
        if (raw == null) {
            return new About(null, null);
        }
        String type = string(raw, "object");
        String id = "checkout.session".equals(type) || "payment_intent".equals(type) ? string(raw, "id")
                : string(raw, "payment_intent");
        String reference = string(raw.path("metadata"), StripeSnapshots.PAYMENT_ID);
        return new About(id, "refund".equals(type) || "dispute".equals(type) ? null : reference);
    }

    private static JsonNode rawObject(Event event) {
        String json = event.getDataObjectDeserializer().getRawJson();
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = RAW.readTree(json);
            return node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String string(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
    }
}
