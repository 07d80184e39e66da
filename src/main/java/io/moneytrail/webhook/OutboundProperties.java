package io.moneytrail.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Outbound webhook delivery ({@code moneytrail.outbound.*}).
 *
 * @param enabled          run the delivery worker in this instance (events are recorded either way)
 * @param pollIntervalMs   pause between the worker's polls for due deliveries
 * @param attemptsMax      attempts at one delivery before it is parked as failed
 * @param backoffBaseMs    ceiling of the delay after the first failed attempt; it doubles per attempt
 * @param backoffCapMs     the ceiling never exceeds this
 * @param connectTimeoutMs bound on connecting to an endpoint
 * @param requestTimeoutMs bound on waiting for an endpoint's answer
 * @param leaseMs          how long a claim on a delivery is held before another instance may take it
 * @param batchSize        deliveries claimed at once
 * @param senders          endpoints sent to in parallel by one instance
 * @param allowPrivate     also send to loopback and private addresses (a store on the same host
 *                         or LAN); link-local and the other special addresses never
 *                         ({@link EndpointAddressPolicy})
 */
@ConfigurationProperties("moneytrail.outbound")
record OutboundProperties(Boolean enabled, Long pollIntervalMs, Integer attemptsMax, Long backoffBaseMs,
                                 Long backoffCapMs, Long connectTimeoutMs, Long requestTimeoutMs, Long leaseMs,
                                 Integer batchSize, Integer senders, Boolean allowPrivate) {

    /** What a lease must leave beyond one attempt's timeouts. */
    static final long LEASE_SLACK_MS = 5_000;

    public OutboundProperties {
        enabled = enabled == null || enabled;
        pollIntervalMs = pollIntervalMs == null ? 500L : pollIntervalMs;
        attemptsMax = attemptsMax == null ? 12 : attemptsMax;
        backoffBaseMs = backoffBaseMs == null ? 1_000L : backoffBaseMs;
        backoffCapMs = backoffCapMs == null ? 3_600_000L : backoffCapMs;
        connectTimeoutMs = connectTimeoutMs == null ? 2_000L : connectTimeoutMs;
        requestTimeoutMs = requestTimeoutMs == null ? 10_000L : requestTimeoutMs;
        leaseMs = leaseMs == null ? 30_000L : leaseMs;
        batchSize = batchSize == null ? 50 : batchSize;
        senders = senders == null ? 4 : senders;
        allowPrivate = allowPrivate != null && allowPrivate;
        require(attemptsMax >= 1 && attemptsMax <= 100, "attempts-max must be from 1 to 100");
        require(backoffBaseMs >= 1 && backoffCapMs >= backoffBaseMs, "backoff-base-ms must be >= 1 and <= backoff-cap-ms");
        require(connectTimeoutMs >= 1 && requestTimeoutMs >= 1, "timeouts must be positive");
        // a claim must outlive at least one whole attempt with room to record it, or a slow
        // endpoint would get duplicates from another instance
        require(leaseMs >= requestTimeoutMs + connectTimeoutMs + LEASE_SLACK_MS,
                "lease-ms must exceed connect + request timeouts by at least " + LEASE_SLACK_MS + " ms");
        require(batchSize >= 1 && batchSize <= 1000, "batch-size must be from 1 to 1000");
        require(senders >= 1 && senders <= 64, "senders must be from 1 to 64");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("moneytrail.outbound: " + message);
        }
    }
}
