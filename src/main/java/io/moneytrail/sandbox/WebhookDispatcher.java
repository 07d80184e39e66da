package io.moneytrail.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Delivers webhook events: signed POSTs to the webhook URL, off the API threads, with
 * exponential-backoff retries and the webhook faults applied. Events are stored before they
 * are handed here (in the transaction of the change they announce), so delivery is at least
 * once: what a restart interrupts, the periodic sweep picks up again.
 */
@Component
@ConditionalOnSandbox
class WebhookDispatcher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    /** The first attempt and five retries, 1 s, 2 s, 4 s, 8 s and 16 s apart. */
    static final int MAX_ATTEMPTS = 6;
    static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(1);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Threads for sending and timing; a slow receiver can only ever tie up these. */
    static final int THREADS = 16;
    /** Deliveries held in memory at once; past it new events wait in the table for the sweep. */
    static final int MAX_IN_FLIGHT = 1_000;
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);
    /** Younger events may still be on their way from the request that created them. */
    static final Duration SWEEP_MIN_AGE = Duration.ofSeconds(60);
    static final int SWEEP_BATCH = 100;

    /**
     * An event to deliver: its stored payload is the exact body that is signed and sent.
     *
     * @param dialect {@link SandboxPayment#SANDBOX} for the sandbox's own webhooks, else the
     *                {@link SandboxDialect} that shapes, signs and addresses the delivery
     */
    record Pending(String eventId, String paymentId, String payload, String dialect) {
    }

    private final SandboxStore store;
    private final SandboxFaults faults;
    private final SandboxUrls urls;
    private final SandboxDialects dialects;
    private final String secret;
    private final Clock clock;
    private final HttpClient http;
    private final SandboxScheduler scheduler;
    /** Events with a delivery under way (including waiting for a retry), so the sweep leaves them alone. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Per payment, the event the {@code reorder} fault is holding back until the next one is sent. */
    private final ConcurrentMap<String, Pending> heldBack = new ConcurrentHashMap<>();

    WebhookDispatcher(SandboxStore store, SandboxFaults faults, SandboxUrls urls, SandboxDialects dialects,
                      SandboxProperties properties, ObjectProvider<Clock> clock) {
        this.store = store;
        this.faults = faults;
        this.urls = urls;
        this.dialects = dialects;
        this.secret = properties.webhookSecret();
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.scheduler = new SandboxScheduler("sandbox-webhook", THREADS, this::sweep, SWEEP_INTERVAL);
    }

    @Override
    public void destroy() {
        // undelivered events stay in the table; the next start's sweep resumes them
        scheduler.shutdown();
    }

    /** Hands over committed events; returns at once. */
    void dispatch(List<Pending> events) {
        for (Pending event : events) {
            if (claim(event.eventId())) {
                schedule(() -> start(event), 0);
            }
        }
    }

    private boolean claim(String eventId) {
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            log.warn("Sandbox: {} webhook deliveries under way; event {} waits for the sweep", MAX_IN_FLIGHT, eventId);
            return false;
        }
        return inFlight.add(eventId);
    }

    /** The first delivery of an event, shaped by the payment's webhook fault. */
    private void start(Pending event) {
        try {
            FaultProfile profile = faults.forPayment(event.paymentId());
            switch (profile.webhook()) {
                case DROP -> {
                    store.markDropped(event.eventId());
                    inFlight.remove(event.eventId());
                    log.info("Sandbox: dropped webhook {} (fault)", event.eventId());
                }
                case DUPLICATE -> {
                    // the copy is one extra send, concurrent with the first attempt; only the original retries
                    schedule(() -> send(event), 0);
                    attempt(event, 1, true);
                }
                case DELAY -> schedule(() -> attempt(event, 1, true), profile.delayMs());
                case REORDER -> holdBack(event, profile.delayMs());
                default -> attempt(event, 1, true);
            }
        } catch (RuntimeException e) {
            // the database is unavailable: leave the event to the sweep
            inFlight.remove(event.eventId());
            throw e;
        }
    }

    /**
     * One attempt, and the next one scheduled if it failed. The first attempt of an event
     * that was not itself held back frees the payment's held-back event, which therefore
     * arrives after it: out of order.
     */
    private void attempt(Pending event, int attempt, boolean releasesHeldBack) {
        boolean delivered = send(event);
        if (attempt == 1 && releasesHeldBack) {
            Pending held = heldBack.remove(event.paymentId());
            if (held != null) {
                schedule(() -> attempt(held, 1, false), 0);
            }
        }
        if (delivered) {
            inFlight.remove(event.eventId());
        } else if (attempt >= MAX_ATTEMPTS) {
            inFlight.remove(event.eventId());
            log.warn("Sandbox: gave up on webhook {} after {} attempts", event.eventId(), attempt);
        } else {
            long backoffMs = FIRST_RETRY_DELAY.toMillis() << (attempt - 1);
            schedule(() -> attempt(event, attempt + 1, false), backoffMs);
        }
    }

    /**
     * Holds the event back until the payment's next event has been sent, or for
     * {@code maxWaitMs} if none comes. Only one event per payment is held: if one already is,
     * this event is that "next" one and goes out now.
     */
    private void holdBack(Pending event, long maxWaitMs) {
        if (heldBack.putIfAbsent(event.paymentId(), event) != null) {
            attempt(event, 1, true);
            return;
        }
        schedule(() -> {
            if (heldBack.remove(event.paymentId(), event)) { // else the next event already released it
                attempt(event, 1, false);
            }
        }, maxWaitMs);
    }

    /** Sends once and records the attempt; true if the receiver accepted it (see {@link #accepted}). */
    private boolean send(Pending event) {
        byte[] body = event.payload().getBytes(StandardCharsets.UTF_8);
        Integer status = null;
        boolean delivered = false;
        try {
            HttpRequest request = request(event, body);
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            status = answer.statusCode();
            delivered = accepted(event, status, answer.body());
        } catch (IOException | IllegalArgumentException e) {
            log.debug("Sandbox: webhook {} not delivered: {}", event.eventId(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down; the sweep resumes it next time
            return false;
        }
        try {
            store.recordAttempt(event.eventId(), status, delivered, clock.instant());
        } catch (RuntimeException e) {
            log.warn("Sandbox: could not record delivery attempt of webhook {}: {}", event.eventId(), e.toString());
        }
        return delivered;
    }

    /** The sandbox's own rule (any 2xx), or the dialect's (T-Bank: 200 with the body {@code OK}). */
    private boolean accepted(Pending event, int status, String body) {
        String head = body == null ? "" : body.substring(0, Math.min(body.length(), 512));
        if (!SandboxDialects.own(event.dialect())) {
            return dialects.get(event.dialect()).delivered(status, head);
        }
        return status >= 200 && status < 300;
    }

    /** The sandbox's own signed POST, or the dialect's request in its provider's shape. */
    private HttpRequest request(Pending event, byte[] body) {
        if (!SandboxDialects.own(event.dialect())) {
            return dialects.get(event.dialect()).request(event, clock.instant());
        }
        long now = clock.instant().getEpochSecond();
        return HttpRequest.newBuilder(URI.create(urls.webhookUrl()))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header(SandboxSignature.HEADER, SandboxSignature.header(body, secret, now))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** Resumes deliveries nobody is working on: after a restart, or when too many were under way. */
    private void sweep() {
        try {
            List<SandboxPayment.Event> owed = store.undeliveredEvents(clock.instant().minus(SWEEP_MIN_AGE),
                    MAX_ATTEMPTS, SWEEP_BATCH);
            for (SandboxPayment.Event event : owed) {
                if (claim(event.id())) {
                    Pending pending = new Pending(event.id(), event.paymentId(), event.payload(), event.dialect());
                    // faults were applied when the event was first dispatched; this is a plain retry
                    schedule(() -> attempt(pending, event.attempts() + 1, false), 0);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Sandbox: webhook sweep failed: {}", e.toString());
        }
    }

    private void schedule(Runnable task, long delayMs) {
        scheduler.later(task, delayMs);
    }
}
