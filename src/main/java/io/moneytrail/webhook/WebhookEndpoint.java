package io.moneytrail.webhook;

import java.time.Instant;

/**
 * A store's URL that receives every event, signed with the endpoint's own secret.
 * {@code previousSecretExpiresAt}: after a roll, until when the previous secret signs too
 * (null when it no longer does).
 */
public record WebhookEndpoint(String id, String url, String secret, boolean enabled, Instant created,
                              Instant disabledAt, Instant previousSecretExpiresAt) {
}
