package io.moneytrail.provider.yookassa;

import io.moneytrail.payment.ProviderWebhook;
import io.moneytrail.payment.WebhookRejectedException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * YooKassa's HTTP notifications: {@code {"type": "notification", "event": "payment.succeeded",
 * "object": {…}}}. They carry no signature, so a notification is accepted only from an address
 * in the trusted networks, and even then only names the object: what the object is now is
 * fetched from the API before anything moves. A notification has no id of its own; ours is the
 * event, the object's id and a digest of the body, so a redelivery of the same notification is
 * a duplicate while a different body about the same object (which may be a lie) cannot take the
 * place of the real one.
 */
final class YooKassaNotifications {

    /** The events Moneytrail subscribes to (see docs/providers.md). */
    static final Set<String> EVENTS = Set.of("payment.waiting_for_capture", "payment.succeeded", "payment.canceled",
            "refund.succeeded");

    private final TrustedNetworks trusted;
    private final ObjectMapper json;
    private final Clock clock;

    YooKassaNotifications(TrustedNetworks trusted, ObjectMapper json, Clock clock) {
        this.trusted = trusted;
        this.json = json;
        this.clock = clock;
    }

    ProviderWebhook verify(byte[] body, String clientAddress) throws WebhookRejectedException {
        if (!trusted.contains(clientAddress)) {
            throw new WebhookRejectedException("notification from " + clientAddress
                    + ", which is not in moneytrail.yookassa.trusted-networks");
        }
        JsonNode notification;
        try {
            notification = json.readTree(body);
        } catch (JacksonException e) {
            throw new WebhookRejectedException("body is not JSON");
        }
        if (notification == null || !"notification".equals(YooKassaClient.text(notification, "type"))) {
            throw new WebhookRejectedException("not a YooKassa notification (type is not 'notification')");
        }
        String event = YooKassaClient.text(notification, "event");
        if (event == null || !EVENTS.contains(event)) {
            throw new WebhookRejectedException("event '" + event + "' is not one Moneytrail subscribes to");
        }
        JsonNode object = notification.path("object");
        String objectId = YooKassaClient.text(object, "id");
        if (objectId == null) {
            throw new WebhookRejectedException("notification lacks object.id");
        }
        boolean refund = event.startsWith("refund.");
        String paymentId = refund ? YooKassaClient.text(object, "payment_id") : objectId;
        if (paymentId == null) {
            throw new WebhookRejectedException("refund notification lacks object.payment_id");
        }
        // a hint only: the fetched payment must carry the same reference, or nothing is applied
        String merchantReference = refund ? null : YooKassaClient.text(object.path("metadata"),
                YooKassaPayments.PAYMENT_ID);
        Instant created = YooKassaPayments.instant(object, "created_at");
        return new ProviderWebhook(event + ":" + objectId + ":" + digest(body), event, paymentId, merchantReference,
                created == null ? clock.instant() : created);
    }

    private static String digest(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
