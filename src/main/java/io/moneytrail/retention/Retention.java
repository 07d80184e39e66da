package io.moneytrail.retention;

import java.time.Instant;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Deletes what need not be kept forever, in batches: this module keeps the schedule, the
 * periods and the bounds; the module owning each table does the deleting, through this
 * module's SPI ({@link IdempotencyKeyPurge}, implemented by the api for {@code idempotency_keys};
 * {@link WebhookPurge}, implemented by webhook for rejected rows of {@code webhook_inbox} and delivered {@code outbox_events} with their
 * {@code outbox_deliveries}). Each batch is one statement, so one short transaction; it picks
 * its rows {@code FOR UPDATE SKIP LOCKED}, so several instances running the job at once share
 * the work and never wait on each other or on a request using a row. Money facts
 * ({@code payment_transactions}, refunds, payments, orders and their timeline), the journal
 * and the audit log are never deleted.
 */
@Service
class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final IdempotencyKeyPurge idempotency;
    private final WebhookPurge webhooks;
    private final RetentionProperties properties;

    Retention(IdempotencyKeyPurge idempotency, WebhookPurge webhooks, RetentionProperties properties) {
        this.idempotency = idempotency;
        this.webhooks = webhooks;
        this.properties = properties;
    }

    /** What one run did: rows deleted (or bodies cut) per kind. */
    public record Purged(int idempotencyKeys, int rejectedWebhooks, int rejectedBodiesTruncated,
                         int deliveredEvents) {

        public int total() {
            return idempotencyKeys + rejectedWebhooks + rejectedBodiesTruncated + deliveredEvents;
        }
    }

    /** One run as of {@code now}: at most {@code batches-max} batches of each kind. */
    public Purged purge(Instant now) {
        Purged purged = new Purged(
                batches(() -> purgeIdempotencyKeys(now.minus(properties.idempotencyKeys()))),
                batches(() -> purgeRejectedWebhooks(now.minus(properties.rejectedWebhooks()))),
                batches(this::truncateRejectedBodies),
                batches(() -> purgeDeliveredEvents(now.minus(properties.deliveredEvents()))));
        if (purged.total() > 0) {
            log.info("Retention: deleted {} idempotency keys, {} rejected webhooks and {} delivered outbox events;"
                            + " cut {} rejected webhook bodies to {} bytes", purged.idempotencyKeys(),
                    purged.rejectedWebhooks(), purged.deliveredEvents(), purged.rejectedBodiesTruncated(),
                    properties.rejectedWebhookBodyBytes());
        }
        return purged;
    }

    /** Runs batches until one comes back short or the bound is reached; the rows touched in all. */
    private int batches(IntSupplier batch) {
        int total = 0;
        for (int i = 0; i < properties.batchesMax(); i++) {
            int done = batch.getAsInt();
            total += done;
            if (done < properties.batchSize()) {
                break;
            }
        }
        return total;
    }

    int purgeIdempotencyKeys(Instant cutoff) {
        return idempotency.purgeCreatedBefore(cutoff, properties.batchSize());
    }

    int purgeRejectedWebhooks(Instant cutoff) {
        return webhooks.purgeRejectedReceivedBefore(cutoff, properties.batchSize());
    }

    /** Rejected bodies stored before the service cut them on arrival (or under a larger setting). */
    int truncateRejectedBodies() {
        return webhooks.truncateRejectedBodies(properties.rejectedWebhookBodyBytes(), properties.batchSize());
    }

    /** Delivered (or never addressed) outbox events older than the cutoff, with their deliveries. */
    int purgeDeliveredEvents(Instant cutoff) {
        return webhooks.purgeDeliveredEventsCreatedBefore(cutoff, properties.batchSize());
    }
}
