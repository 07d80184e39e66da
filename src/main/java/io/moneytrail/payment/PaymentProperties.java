package io.moneytrail.payment;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the payment workers.
 *
 * @param resolver     when to ask the provider again about unsettled payments and refunds
 * @param expireAfter  an open order with nothing captured expires this long after creation
 * @param compensation what happens to money that arrives for a cancelled or expired order
 */
@ConfigurationProperties("moneytrail.payments")
public record PaymentProperties(Resolver resolver, Duration expireAfter, Compensation compensation) {

    public PaymentProperties {
        resolver = resolver == null ? new Resolver(null, null, null, null) : resolver;
        expireAfter = expireAfter == null ? Duration.ofHours(24) : expireAfter;
        compensation = compensation == null ? new Compensation(null, null) : compensation;
    }

    /**
     * @param schedule delays between checks: the n-th check waits the n-th delay, the last repeats
     * @param maxAge   past this since the outcome became unknown, the resolver gives up: needs_review
     * @param batchMax payments claimed by one sweep
     * @param concurrency checks of one sweep run at once (a slow provider answer holds up one, not all)
     */
    public record Resolver(List<Duration> schedule, Duration maxAge, Integer batchMax, Integer concurrency) {
        public Resolver {
            schedule = schedule == null || schedule.isEmpty()
                    ? List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(1))
                    : List.copyOf(schedule);
            maxAge = maxAge == null ? Duration.ofDays(7) : maxAge;
            batchMax = batchMax == null ? 20 : batchMax;
            concurrency = concurrency == null ? 4 : concurrency;
            if (batchMax < 1 || concurrency < 1 || concurrency > 64) {
                throw new IllegalArgumentException(
                        "moneytrail.payments.resolver.batch-max >= 1 and resolver.concurrency 1..64");
            }
        }

        public Duration delay(int attempt) {
            return schedule.get(Math.min(Math.max(attempt, 0), schedule.size() - 1));
        }
    }

    /**
     * @param mode  {@code refund}: refund or void automatically; {@code hold}: keep for review
     * @param delay how long after the money is seen the compensation runs
     */
    public record Compensation(String mode, Duration delay) {
        public Compensation {
            mode = mode == null ? "refund" : mode;
            if (!mode.equals("refund") && !mode.equals("hold")) {
                throw new IllegalArgumentException("moneytrail.payments.compensation.mode is refund or hold");
            }
            delay = delay == null ? Duration.ofMinutes(1) : delay;
        }

        public boolean holds() {
            return mode.equals("hold");
        }
    }
}
