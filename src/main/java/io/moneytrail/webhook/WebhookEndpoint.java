package io.moneytrail.webhook;

import java.time.Instant;

/** A store's URL that receives every event, signed with the endpoint's own secret. */
public record WebhookEndpoint(String id, String url, String secret, boolean enabled, Instant created,
                              Instant disabledAt) {
}
