package io.moneytrail.webhook;

import io.moneytrail.database.Instance;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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
 *   <li><b>Send</b>, outside any transaction, with bounded connect and request timeouts,
 *       signed ({@link OutboundSignature}). One endpoint's deliveries go one after another in
 *       sequence order; endpoints are served in parallel. A send starts only if it can finish
 *       within the lease; the rest are released.</li>
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
    private final HttpClient http;
    private final String instanceId;
    private final ExecutorService poller = Executors.newSingleThreadExecutor(threads("outbound-poll"));
    private final ExecutorService senders;
    private final AtomicBoolean polling = new AtomicBoolean();

    OutboundDelivery(JdbcClient jdbc, OutboundProperties properties, Clock clock, Instance instance) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        this.backoff = new Backoff(properties.backoffBaseMs(), properties.backoffCapMs(), new Random());
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(properties.connectTimeoutMs()))
                .followRedirects(HttpClient.Redirect.NEVER).build();
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
    record Claimed(String eventId, String endpointId, int attempts, long sequence, String payload, String url,
                   String secret, boolean endpointEnabled) {
    }

    private List<Claimed> claim(String token) {
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
                               w.url, w.secret, w.enabled
                        from claimed c
                        join outbox_events e on e.id = c.event_id
                        join webhook_endpoints w on w.id = c.endpoint_id
                        order by c.event_sequence
                        """)
                .param("batch", properties.batchSize()).param("leaseMs", properties.leaseMs())
                .param("token", token).param("instance", instanceId)
                .query((rs, n) -> new Claimed(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getBoolean(8)))
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

    /** What one HTTP attempt came to. {@code status} is null when no answer arrived. */
    record Attempt(Integer status, String error, long retryAfterMs, boolean interrupted) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    private Attempt send(Claimed delivery) {
        byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.url()))
                    .timeout(Duration.ofMillis(properties.requestTimeoutMs()))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", "Moneytrail-Webhooks/1")
                    .header(OutboundSignature.HEADER,
                            OutboundSignature.header(body, delivery.secret(), clock.instant().getEpochSecond()))
                    .header(EVENT_ID_HEADER, delivery.eventId())
                    .header(ATTEMPT_HEADER, String.valueOf(delivery.attempts() + 1))
                    .header(INSTANCE_HEADER, instanceId)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            String error = status >= 200 && status < 300 ? null : "HTTP " + status;
            return new Attempt(status, error, retryAfterMs(response), false);
        } catch (HttpTimeoutException e) {
            return new Attempt(null, "timeout: " + e.getMessage(), 0, false);
        } catch (ConnectException e) {
            return new Attempt(null, "cannot connect: " + describe(e), 0, false);
        } catch (IOException | IllegalArgumentException e) {
            return new Attempt(null, describe(e), 0, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(null, "interrupted", 0, true);
        }
    }

    /** Honours {@code Retry-After: <seconds>} on 429 and 503, within the backoff cap. */
    private long retryAfterMs(HttpResponse<?> response) {
        if (response.statusCode() != 429 && response.statusCode() != 503) {
            return 0;
        }
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                long seconds = Long.parseLong(value.trim());
                return seconds <= 0 ? 0L : Math.min(properties.backoffCapMs(), Math.multiplyExact(seconds, 1000L));
            } catch (NumberFormatException | ArithmeticException notSeconds) {
                return 0L; // an HTTP date or garbage: our own backoff applies
            }
        }).orElse(0L);
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

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
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
