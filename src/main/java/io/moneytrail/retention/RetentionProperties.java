package io.moneytrail.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long the purgeable rows are kept, and how much one run of the job may delete.
 *
 * @param enabled                  run the purge job at all (the service still truncates rejected bodies on arrival)
 * @param interval                 pause between the end of one run and the start of the next
 * @param idempotencyKeys          an idempotency key (and its stored answer) is deleted this long after its creation
 * @param rejectedWebhooks         a rejected inbound webhook is deleted this long after it arrived
 * @param rejectedWebhookBodyBytes the body of a rejected inbound webhook is cut to this many bytes
 * @param deliveredEvents          an outbox event every delivery of which succeeded is deleted this long after its creation
 * @param batchSize                rows deleted by one statement (one short transaction)
 * @param batchesMax               statements per kind of row per run, so one run is bounded
 */
@ConfigurationProperties("moneytrail.retention")
record RetentionProperties(Boolean enabled, Duration interval, Duration idempotencyKeys,
                                  Duration rejectedWebhooks, Integer rejectedWebhookBodyBytes,
                                  Duration deliveredEvents, Integer batchSize, Integer batchesMax) {

    public static final int REJECTED_WEBHOOK_BODY_BYTES = 4096;

    public RetentionProperties {
        enabled = enabled == null || enabled;
        interval = interval == null ? Duration.ofHours(1) : interval;
        idempotencyKeys = idempotencyKeys == null ? Duration.ofDays(30) : idempotencyKeys;
        rejectedWebhooks = rejectedWebhooks == null ? Duration.ofDays(30) : rejectedWebhooks;
        rejectedWebhookBodyBytes = rejectedWebhookBodyBytes == null ? REJECTED_WEBHOOK_BODY_BYTES
                : rejectedWebhookBodyBytes;
        deliveredEvents = deliveredEvents == null ? Duration.ofDays(90) : deliveredEvents;
        batchSize = batchSize == null ? 1000 : batchSize;
        batchesMax = batchesMax == null ? 100 : batchesMax;
        // a key must outlive any sane client retry window (Stripe keeps them 24 h)
        atLeast("idempotency-keys", idempotencyKeys, Duration.ofDays(1));
        atLeast("rejected-webhooks", rejectedWebhooks, Duration.ofHours(1));
        atLeast("delivered-events", deliveredEvents, Duration.ofDays(1));
        atLeast("interval", interval, Duration.ofSeconds(1));
        if (rejectedWebhookBodyBytes < 0 || batchSize < 1 || batchSize > 100_000 || batchesMax < 1) {
            throw new IllegalArgumentException("moneytrail.retention: rejected-webhook-body-bytes >= 0, "
                    + "batch-size 1..100000 and batches-max >= 1");
        }
    }

    public static RetentionProperties defaults() {
        return new RetentionProperties(null, null, null, null, null, null, null, null);
    }

    private static void atLeast(String name, Duration value, Duration minimum) {
        if (value.compareTo(minimum) < 0) {
            throw new IllegalArgumentException("moneytrail.retention." + name + " must be at least " + minimum
                    + " (is " + value + ")");
        }
    }
}
