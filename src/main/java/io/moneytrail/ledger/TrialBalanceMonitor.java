package io.moneytrail.ledger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Checks on a schedule that the trial balance sums to zero in every currency, and exposes
 * the result as the {@code ledger} health component and the gauge
 * {@code moneytrail.ledger.imbalance.currencies} (currencies whose total is not zero).
 */
@Component("ledger")
class TrialBalanceMonitor implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(TrialBalanceMonitor.class);

    private final Balances balances;
    private final Clock clock;
    private final AtomicReference<Balances.TrialBalance> last = new AtomicReference<>();

    TrialBalanceMonitor(Balances balances, Clock clock, MeterRegistry meters) {
        this.balances = balances;
        this.clock = clock;
        Gauge.builder("moneytrail.ledger.imbalance.currencies", last, ref -> ref.get() == null ? 0
                        : ref.get().totalsByCurrency().values().stream().filter(total -> total != 0).count())
                .description("currencies in which the trial balance does not sum to zero").register(meters);
    }

    @Scheduled(initialDelayString = "${moneytrail.ledger.check-initial-delay-ms:10000}",
            fixedDelayString = "${moneytrail.ledger.check-interval-ms:300000}")
    void check() {
        Balances.TrialBalance result = balances.trialBalance(clock.instant());
        last.set(result);
        if (!result.balanced()) {
            log.error("Trial balance does not sum to zero: {}", result.totalsByCurrency());
        }
    }

    @Override
    public Health health() {
        Balances.TrialBalance result = last.get();
        if (result == null) {
            check();
            result = last.get();
        }
        Health.Builder health = result.balanced() ? Health.up() : Health.down();
        return health.withDetail("checked_at", result.asOf().toString())
                .withDetail("totals", result.totalsByCurrency()).build();
    }
}
