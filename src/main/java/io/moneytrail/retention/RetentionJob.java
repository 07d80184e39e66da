package io.moneytrail.retention;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs {@link Retention} every {@code moneytrail.retention.interval} (1 h) on every instance
 * (the batches share the work); off with {@code moneytrail.retention.enabled=false}, and, like
 * every background job, with {@code moneytrail.scheduling.enabled=false}.
 */
@Component
class RetentionJob {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    private final Retention retention;
    private final RetentionProperties properties;
    private final Clock clock;

    RetentionJob(Retention retention, RetentionProperties properties, Clock clock) {
        this.retention = retention;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${moneytrail.retention.initial-delay:5m}",
            fixedDelayString = "${moneytrail.retention.interval:1h}")
    void run() {
        if (!properties.enabled()) {
            return;
        }
        try {
            retention.purge(clock.instant());
        } catch (RuntimeException e) {
            log.warn("Retention run failed; the next run tries again", e);
        }
    }
}
