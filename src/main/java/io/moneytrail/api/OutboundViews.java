package io.moneytrail.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.moneytrail.webhook.OutboxDelivery;
import io.moneytrail.webhook.WebhookEndpoint;
import java.time.Instant;

/** JSON shapes of webhook endpoints and event deliveries (events themselves are their stored envelope). */
final class OutboundViews {

    private OutboundViews() {
    }

    /**
     * {@code secret} is shown once, in the answer to the creation or to a roll;
     * {@code previous_secret_expires}: until when the secret before the last roll still signs too.
     */
    record EndpointView(String id, String object, String url,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String secret, boolean enabled, long created,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Long previousSecretExpires) {
    }

    record DeliveryView(String object, String endpoint, String url, String status, int attempts, Long nextAttempt,
                        Long lastAttempt, Integer lastStatus, String lastError, Long delivered) {
    }

    static EndpointView endpoint(WebhookEndpoint endpoint, boolean withSecret) {
        return new EndpointView(endpoint.id(), "webhook_endpoint", endpoint.url(),
                withSecret ? endpoint.secret() : null, endpoint.enabled(), endpoint.created().getEpochSecond(),
                seconds(endpoint.previousSecretExpiresAt()));
    }

    static DeliveryView delivery(OutboxDelivery delivery) {
        boolean pending = "pending".equals(delivery.status());
        return new DeliveryView("webhook_delivery", delivery.endpointId(), delivery.url(), delivery.status(),
                delivery.attempts(), pending ? seconds(delivery.nextAttemptAt()) : null,
                seconds(delivery.lastAttemptAt()), delivery.lastStatus(), delivery.lastError(),
                seconds(delivery.deliveredAt()));
    }

    private static Long seconds(Instant instant) {
        return instant == null ? null : instant.getEpochSecond();
    }
}
