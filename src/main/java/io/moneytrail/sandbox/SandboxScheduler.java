package io.moneytrail.sandbox;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background threads of the sandbox's deliveries (webhooks, ATOL's documents and callbacks):
 * daemon threads, a periodic sweep that resumes what is owed after a restart, and one-off tasks
 * whose failure is logged, not lost in the executor. Tasks scheduled while shutting down are
 * dropped: what they would have done is still in the sandbox's tables for the next sweep.
 */
final class SandboxScheduler {

    private static final Logger log = LoggerFactory.getLogger(SandboxScheduler.class);

    private final ScheduledThreadPoolExecutor executor;
    private final String name;

    SandboxScheduler(String name, int threads, Runnable sweep, Duration sweepInterval) {
        this.name = name;
        AtomicInteger number = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(threads, runnable -> {
            Thread thread = new Thread(runnable, name + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.scheduleWithFixedDelay(sweep, sweepInterval.toMillis(), sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} after {@code delayMs}; a failure is logged unless the sandbox is shutting down. */
    void later(Runnable task, long delayMs) {
        try {
            executor.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    if (!executor.isShutdown()) {
                        log.warn("Sandbox: {} task failed", name, e);
                    }
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: the next start's sweep picks it up
        }
    }

    void shutdown() {
        executor.shutdownNow();
    }
}
