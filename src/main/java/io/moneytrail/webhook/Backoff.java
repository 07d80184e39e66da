package io.moneytrail.webhook;

import java.util.random.RandomGenerator;

/**
 * Retry delays for outbound deliveries: exponential with full jitter. After the n-th failed
 * attempt the ceiling is {@code base * 2^(n-1)}, never above {@code cap}, and the delay is
 * drawn uniformly from [0, ceiling]. Full jitter spreads the retries of many deliveries that
 * failed together (an endpoint that was down) instead of sending them back in waves; one
 * retry may therefore come sooner than the one before it, but the ceilings grow.
 */
final class Backoff {

    private final long baseMs;
    private final long capMs;
    private final RandomGenerator random;

    Backoff(long baseMs, long capMs, RandomGenerator random) {
        this.baseMs = baseMs;
        this.capMs = capMs;
        this.random = random;
    }

    /** The largest delay after {@code failedAttempts} (1 or more) failed attempts. */
    long ceilingMs(int failedAttempts) {
        int doublings = Math.max(0, failedAttempts - 1);
        if (doublings >= 62 || baseMs > (capMs >> Math.min(doublings, 62))) {
            return capMs;
        }
        return Math.min(capMs, baseMs << doublings);
    }

    /** A delay in [0, ceiling] after {@code failedAttempts} failed attempts. */
    long delayMs(int failedAttempts) {
        return random.nextLong(ceilingMs(failedAttempts) + 1);
    }
}
