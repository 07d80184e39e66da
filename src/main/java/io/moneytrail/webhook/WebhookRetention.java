package io.moneytrail.webhook;

import io.moneytrail.retention.WebhookPurge;
import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The deleting half of retention for the tables this module owns: rejected (unverified) rows of
 * {@code webhook_inbox}, and {@code outbox_events} with their {@code outbox_deliveries} once
 * delivered. The {@code retention} module keeps the schedule and the periods and calls these
 * through its SPI, {@link WebhookPurge}.
 * Each call is one statement, so one short transaction; rows are picked {@code FOR UPDATE SKIP
 * LOCKED}, so several instances share the work and never wait on each other or on a request.
 */
@Component
class WebhookRetention implements WebhookPurge {

    private final JdbcClient jdbc;

    WebhookRetention(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Deletes at most {@code batch} rejected inbound webhooks received before the cutoff; how many. */
    @Override
    public int purgeRejectedReceivedBefore(Instant cutoff, int batch) {
        return jdbc.sql("""
                        delete from webhook_inbox
                        where id in (select id from webhook_inbox
                                     where status = 'rejected' and received_at < :cutoff
                                     order by received_at limit :batch
                                     for update skip locked)
                        """)
                .param("cutoff", Timestamp.from(cutoff)).param("batch", batch).update();
    }

    /** Cuts at most {@code batch} stored rejected bodies longer than {@code bytes} to that length; how many. */
    @Override
    public int truncateRejectedBodies(int bytes, int batch) {
        return jdbc.sql("""
                        update webhook_inbox set raw_body = substring(raw_body from 1 for :bytes)
                        where id in (select id from webhook_inbox
                                     where status = 'rejected' and octet_length(raw_body) > :bytes
                                     limit :batch
                                     for update skip locked)
                        """)
                .param("bytes", bytes).param("batch", batch).update();
    }

    /**
     * Deletes at most {@code batch} outbox events created before the cutoff none of whose
     * deliveries is pending or failed (parked for an operator), with their deliveries; how many
     * events. An event with no delivery at all (no endpoint when it happened; stores that poll
     * {@code /v1/events} read it) goes the same way.
     */
    @Override
    public int purgeDeliveredEventsCreatedBefore(Instant cutoff, int batch) {
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
                .param("cutoff", Timestamp.from(cutoff)).param("batch", batch).update();
    }
}
