package io.moneytrail.webhook;

import io.moneytrail.database.Instance;
import io.moneytrail.webhook.EndpointClient.Attempt;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends outbox deliveries to the store's endpoints, at least once.
 * <ol>
 *   <li><b>Claim</b> (one short statement, its own transaction): due pending deliveries, in
 *       event sequence order, {@code FOR UPDATE SKIP LOCKED}, get a lease
 *       ({@code lease_until = now() + lease}) and this claim's token. Other instances skip
 *       rows being claimed and rows under a lease, so in normal operation each delivery is
 *       sent by one instance once. A crashed instance's lease runs out and the delivery is
 *       claimed again: at least once.</li>
 *   <li><b>Send</b>, outside any transaction, through {@link EndpointClient} (bounded, and only
 *       to addresses {@link EndpointAddressPolicy} allows), signed ({@link OutboundSignature}).
 *       One endpoint's deliveries go one after another in sequence order; endpoints are
 *       served in parallel. A send starts only if it can finish within the lease; the rest
 *       are released.</li>
 *   <li><b>Record</b>: 2xx is {@code delivered}; anything else is a failed attempt, retried
 *       after {@link Backoff} until {@code attempts-max}, then parked as {@code failed}. After a
 *       failure the endpoint's other claimed deliveries are released untouched (a struggling
 *       endpoint gets one request per poll, not a burst).</li>
 * </ol>
 */
@Component
class OutboundDelivery {

    private static final Logger log = LoggerFactory.getLogger(OutboundDelivery.class);

    static final String EVENT_ID_HEADER = "Moneytrail-Event-Id";
    static final String ATTEMPT_HEADER = "Moneytrail-Delivery-Attempt";
    /** Which service instance sent the request; helps stores and operators trace a delivery. */
    static final String INSTANCE_HEADER = "Moneytrail-Instance";
    /** Claims in one poll while every claim comes back full (a backlog). */
    static final int ROUNDS_PER_POLL_MAX = 20;
    static final int ERROR_LENGTH_MAX = 500;
    /** Slack kept between the end of the last send and the end of the lease. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(1);

    private final JdbcClient jdbc;
    private final OutboundProperties properties;
    private final Clock clock;
    private final Backoff backoff;
    private final EndpointClient client;
    private final String instanceId;
    private final ExecutorService poller = Executors.newSingleThreadExecutor(threads("outbound-poll"));
    private final ExecutorService senders;
    private final AtomicBoolean polling = new AtomicBoolean();

    OutboundDelivery(JdbcClient jdbc, OutboundProperties properties, Clock clock, Instance instance,
                     EndpointClient client) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        this.backoff = new Backoff(properties.backoffBaseMs(), properties.backoffCapMs(), new Random());
        this.client = client;
        this.instanceId = instance.id();
        this.senders = Executors.newFixedThreadPool(properties.senders(), threads("outbound-send"));
        if (properties.enabled()) {
            log.info("Outbound delivery worker {} polls every {} ms", instanceId, properties.pollIntervalMs());
        }
    }

    /**
     * Starts a polling round on the worker's own thread, unless one is still running, so a
     * slow endpoint never holds up the application's other scheduled jobs.
     */
    @Scheduled(fixedDelayString = "${moneytrail.outbound.poll-interval-ms:500}")
    void poll() {
        if (!properties.enabled() || !polling.compareAndSet(false, true)) {
            return;
        }
        try {
            poller.execute(() -> {
                try {
                    drain();
                } catch (RuntimeException e) {
                    log.warn("Outbound delivery round failed; it is retried at the next poll", e);
                } finally {
                    polling.set(false);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            polling.set(false);
        }
    }

    /** Claims and sends until nothing is due, within {@link #ROUNDS_PER_POLL_MAX} claims. */
    void drain() {
        for (int round = 0; round < ROUNDS_PER_POLL_MAX && !Thread.currentThread().isInterrupted(); round++) {
            String token = UUID.randomUUID().toString();
            long claimedNanos = System.nanoTime();
            List<Claimed> claimed = claim(token);
            if (claimed.isEmpty()) {
                return;
            }
            long sendDeadlineNanos = claimedNanos + Duration.ofMillis(properties.leaseMs()).toNanos()
                    - Duration.ofMillis(properties.connectTimeoutMs() + properties.requestTimeoutMs()).toNanos()
                    - LEASE_MARGIN.toNanos();
            sendAll(token, claimed, sendDeadlineNanos);
            if (claimed.size() < properties.batchSize()) {
                return;
            }
        }
    }

    /** A delivery this instance holds a lease on, with what it takes to send it. */
    /** {@code secrets}: the endpoint's secret, then the previous one while its overlap lasts. */
    record Claimed(String eventId, String endpointId, int attempts, long sequence, String payload, String url,
                   List<String> secrets, boolean endpointEnabled) {
    }

    private List<Claimed> claim(String token) {
        // a read first: an idle poll (the common case) is a read, not a write transaction
        if (!jdbc.sql("""
                        select exists (select 1 from outbox_deliveries
                                       where status = 'pending' and next_attempt_at <= now()
                                         and (lease_until is null or lease_until < now()))
                        """).query(Boolean.class).single()) {
            return List.of();
        }
        return jdbc.sql("""
                        with due as (
                            select event_id, endpoint_id from outbox_deliveries
                            where status = 'pending' and next_attempt_at <= now()
                              and (lease_until is null or lease_until < now())
                            order by event_sequence
                            limit :batch
                            for update skip locked
                        ), claimed as (
                            update outbox_deliveries d
                            set lease_until = now() + :leaseMs * interval '1 millisecond',
                                lease_token = :token, leased_by = :instance
                            from due where d.event_id = due.event_id and d.endpoint_id = due.endpoint_id
                            returning d.event_id, d.endpoint_id, d.attempts, d.event_sequence
                        )
                        select c.event_id, c.endpoint_id, c.attempts, c.event_sequence, e.payload::text,
                               w.url, w.secret, w.enabled,
                               case when w.previous_secret_expires_at > now() then w.previous_secret end
                        from claimed c
                        join outbox_events e on e.id = c.event_id
                        join webhook_endpoints w on w.id = c.endpoint_id
                        order by c.event_sequence
                        """)
                .param("batch", properties.batchSize()).param("leaseMs", properties.leaseMs())
                .param("token", token).param("instance", instanceId)
                .query((rs, n) -> new Claimed(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4),
                        rs.getString(5), rs.getString(6),
                        rs.getString(9) == null ? List.of(rs.getString(7)) : List.of(rs.getString(7), rs.getString(9)),
                        rs.getBoolean(8)))
                .list();
    }

    private void sendAll(String token, List<Claimed> claimed, long sendDeadlineNanos) {
        Map<String, List<Claimed>> byEndpoint = new LinkedHashMap<>();
        for (Claimed delivery : claimed) {
            byEndpoint.computeIfAbsent(delivery.endpointId(), id -> new ArrayList<>()).add(delivery);
        }
        List<Future<?>> running = new ArrayList<>();
        for (List<Claimed> deliveries : byEndpoint.values()) {
            running.add(senders.submit(() -> sendInOrder(token, deliveries, sendDeadlineNanos)));
        }
        for (Future<?> sending : running) {
            try {
                sending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // shutting down: what was not recorded is released when its lease runs out
            } catch (ExecutionException e) {
                log.warn("Sending to an endpoint failed unexpectedly; its claims lapse with the lease", e.getCause());
            }
        }
    }

    /** One endpoint's claimed deliveries, one after another in sequence order. */
    private void sendInOrder(String token, List<Claimed> deliveries, long sendDeadlineNanos) {
        for (Claimed delivery : deliveries) {
            if (!delivery.endpointEnabled()) {
                park(token, delivery, "endpoint disabled");
                continue;
            }
            if (System.nanoTime() > sendDeadlineNanos || Thread.currentThread().isInterrupted()) {
                release(token, delivery.endpointId());
                return;
            }
            Attempt attempt = send(delivery);
            if (attempt.interrupted()) {
                release(token, delivery.endpointId());
                return;
            }
            if (attempt.delivered()) {
                recordDelivered(delivery, attempt);
            } else {
                recordFailed(token, delivery, attempt);
                release(token, delivery.endpointId());
                return;
            }
        }
    }

    private Attempt send(Claimed delivery) {
        byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", "Moneytrail-Webhooks/1");
        headers.put(OutboundSignature.HEADER,
                OutboundSignature.header(body, delivery.secrets(), clock.instant().getEpochSecond()));
        headers.put(EVENT_ID_HEADER, delivery.eventId());
        headers.put(ATTEMPT_HEADER, String.valueOf(delivery.attempts() + 1));
        headers.put(INSTANCE_HEADER, instanceId);
        return client.post(delivery.url(), body, headers);
    }

    private void recordDelivered(Claimed delivery, Attempt attempt) {
        // Delivered is final, whoever holds the lease now: the endpoint has the event.
        jdbc.sql("""
                update outbox_deliveries
                set status = 'delivered', attempts = attempts + 1, last_attempt_at = now(), last_status = :status,
                    last_error = null, delivered_at = now(), delivered_by = :instance,
                    lease_until = null, lease_token = null, leased_by = null
                where event_id = :event and endpoint_id = :endpoint and status <> 'delivered'
                """)
                .param("status", attempt.status()).param("instance", instanceId)
                .param("event", delivery.eventId()).param("endpoint", delivery.endpointId())
                .update();
    }

    private void recordFailed(String token, Claimed delivery, Attempt attempt) {
        int failedAttempts = delivery.attempts() + 1;
        long delayMs = Math.max(backoff.delayMs(failedAttempts), attempt.retryAfterMs());
        boolean parked = failedAttempts >= properties.attemptsMax();
        int updated = jdbc.sql("""
                        update outbox_deliveries
                        set attempts = attempts + 1, last_attempt_at = now(), last_status = :status,
                            last_error = :error, status = :next,
                            next_attempt_at = now() + :delayMs * interval '1 millisecond',
                            lease_until = null, lease_token = null, leased_by = null
                        where event_id = :event and endpoint_id = :endpoint and lease_token = :token
                          and status = 'pending'
                        """)
                .param("status", attempt.status()).param("error", truncate(attempt.error()))
                .param("next", parked ? "failed" : "pending").param("delayMs", delayMs)
                .param("event", delivery.eventId()).param("endpoint", delivery.endpointId()).param("token", token)
                .update();
        if (updated == 1 && parked) {
            log.warn("Delivery of event {} to endpoint {} parked as failed after {} attempts: {}",
                    delivery.eventId(), delivery.endpointId(), failedAttempts, attempt.error());
        } else if (updated == 1) {
            log.debug("Delivery of event {} to endpoint {} failed (attempt {}): {}; next in {} ms",
                    delivery.eventId(), delivery.endpointId(), failedAttempts, attempt.error(), delayMs);
        }
    }

    private void park(String token, Claimed delivery, String reason) {
        jdbc.sql("""
                update outbox_deliveries
                set status = 'failed', last_error = :reason, lease_until = null, lease_token = null, leased_by = null
                where event_id = :event and endpoint_id = :endpoint and lease_token = :token and status = 'pending'
                """)
                .param("reason", reason).param("event", delivery.eventId()).param("endpoint", delivery.endpointId())
                .param("token", token)
                .update();
    }

    /** Gives back this claim's unsent deliveries to one endpoint, with no attempt counted. */
    private void release(String token, String endpointId) {
        jdbc.sql("""
                update outbox_deliveries set lease_until = null, lease_token = null, leased_by = null
                where lease_token = :token and endpoint_id = :endpoint and status = 'pending'
                """)
                .param("token", token).param("endpoint", endpointId)
                .update();
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
        senders.shutdownNow();
    }

    private static String truncate(String text) {
        return text == null || text.length() <= ERROR_LENGTH_MAX ? text : text.substring(0, ERROR_LENGTH_MAX);
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
