package io.moneytrail.reconrun;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The daily run over yesterday (UTC) with the latest provider report and bank statement
 * uploaded that day; with no report that day, the internal leg still runs. Off when scheduling
 * is off ({@code moneytrail.scheduling.enabled=false}, as in the CLI).
 */
@Component
class DailyReconciliation {

    private static final Logger log = LoggerFactory.getLogger(DailyReconciliation.class);

    private final ReconRuns runs;
    private final Clock clock;

    DailyReconciliation(ReconRuns runs, Clock clock) {
        this.runs = runs;
        this.clock = clock;
    }

    @Scheduled(cron = "${moneytrail.reconciliation.daily-cron:0 30 2 * * *}", zone = "UTC")
    void runYesterday() {
        LocalDate yesterday = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1);
        try {
            ReconRun run = runs.daily(yesterday);
            log.info("daily reconciliation {} over {}: {} (matched rate {})", run.id(), yesterday, run.status(),
                    run.matchedRate());
        } catch (RuntimeException e) {
            log.error("daily reconciliation over {} failed", yesterday, e);
        }
    }
}
