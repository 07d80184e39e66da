package io.moneytrail.retention;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Deletes what need not be kept forever, in batches. Each batch is one statement, so one short
 * transaction; it picks its rows {@code FOR UPDATE SKIP LOCKED}, so several instances running
 * the job at once share the work and never wait on each other or on a request using a row.
 * Only these tables are touched: {@code idempotency_keys}, {@code webhook_inbox} (rejected
 * rows only) and {@code outbox_events} with their {@code outbox_deliveries}. Money facts
 * ({@code payment_transactions}, refunds, payments, orders and their timeline), the journal
 * and the audit log are never deleted.
 */
@Service
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final JdbcClient jdbc;
    private final RetentionProperties properties;

    public Retention(JdbcClient jdbc, RetentionProperties properties) {
        this.jdbc = jdbc;
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
        return jdbc.sql("""
                        delete from idempotency_keys
                        where (api_key_id, key) in (select api_key_id, key from idempotency_keys
                                                    where created_at < :cutoff
                                                    order by created_at limit :batch
                                                    for update skip locked)
                        """)
                .param("cutoff", Timestamp.from(cutoff)).param("batch", properties.batchSize()).update();
    }

    int purgeRejectedWebhooks(Instant cutoff) {
        return jdbc.sql("""
                        delete from webhook_inbox
                        where id in (select id from webhook_inbox
                                     where status = 'rejected' and received_at < :cutoff
                                     order by received_at limit :batch
                                     for update skip locked)
                        """)
                .param("cutoff", Timestamp.from(cutoff)).param("batch", properties.batchSize()).update();
    }

    /** Rejected bodies stored before the service cut them on arrival (or under a larger setting). */
    int truncateRejectedBodies() {
        return jdbc.sql("""
                        update webhook_inbox set raw_body = substring(raw_body from 1 for :bytes)
                        where id in (select id from webhook_inbox
                                     where status = 'rejected' and octet_length(raw_body) > :bytes
                                     limit :batch
                                     for update skip locked)
                        """)
                .param("bytes", properties.rejectedWebhookBodyBytes()).param("batch", properties.batchSize())
                .update();
    }

    /**
     * Events older than the cutoff none of whose deliveries is pending or failed (parked for an
     * operator), with their deliveries. An event with no delivery at all (no endpoint when it
     * happened; stores that poll {@code /v1/events} read it) goes the same way.
     */
    int purgeDeliveredEvents(Instant cutoff) {
        return jdbc.sql("""
                        with doomed as (
                            select e.id from outbox_events e
                            where e.created_at < :cutoff
                              and not exists (select 1 from outbox_deliveries d
                                              where d.event_id = e.id and d.status <> 'delivered')
                            order by e.created_at limit :batch
                            for update of e skip locked
                        ), deliveries as (
                            delete from outbox_deliveries d using doomed where d.event_id = doomed.id
                        )
                        delete from outbox_events e using doomed where e.id = doomed.id
                        """)
                .param("cutoff", Timestamp.from(cutoff)).param("batch", properties.batchSize()).update();
    }
}
