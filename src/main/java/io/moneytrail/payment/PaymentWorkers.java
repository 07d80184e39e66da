package io.moneytrail.payment;

import io.moneytrail.database.Instance;
import io.moneytrail.order.OrderService;
import io.moneytrail.order.Orders;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The background work of the payment module: the status resolver, order expiry and
 * compensation. Every sweep claims its work with {@code FOR UPDATE SKIP LOCKED} (plus a
 * lease where a provider call happens outside the claiming transaction), so several
 * instances against one PostgreSQL share the work and do each job once.
 */
@Component
class PaymentWorkers {

    private static final Logger log = LoggerFactory.getLogger(PaymentWorkers.class);
    /** Orders looked at by one expiry sweep. */
    static final int EXPIRY_BATCH_MAX = 50;
    /** Compensations run by one sweep. */
    static final int COMPENSATION_BATCH_MAX = 20;

    private final PaymentResolver resolver;
    private final CompensationRunner compensator;
    private final Compensations compensations;
    private final OrderService orderService;
    private final Orders orders;
    private final PaymentProperties properties;
    private final Clock clock;
    /** Names this process's workers in what they record (the timeline says which instance checked). */
    private final String instanceId;
    private final ExecutorService resolverThreads;

    PaymentWorkers(PaymentResolver resolver, CompensationRunner compensator, Compensations compensations,
                   OrderService orderService, Orders orders, PaymentProperties properties, Clock clock,
                   Instance instance) {
        this.resolver = resolver;
        this.compensator = compensator;
        this.compensations = compensations;
        this.orderService = orderService;
        this.orders = orders;
        this.properties = properties;
        this.clock = clock;
        this.instanceId = instance.id();
        AtomicInteger n = new AtomicInteger();
        this.resolverThreads = Executors.newFixedThreadPool(properties.resolver().concurrency(), task -> {
            Thread thread = new Thread(task, "resolver-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        log.info("Payment workers {}: resolver, expiry and compensation", instanceId);
    }

    /**
     * Claims the due checks (each leased to this instance) and runs them on the resolver's
     * threads, so one slow provider answer holds up one check, not the sweep; the next sweep
     * starts when all of this one's checks are done.
     */
    @Scheduled(initialDelayString = "${moneytrail.payments.worker-interval-ms:2000}",
            fixedDelayString = "${moneytrail.payments.worker-interval-ms:2000}")
    void resolveDue() throws InterruptedException {
        List<Callable<Void>> checks = new ArrayList<>();
        for (String paymentId : resolver.claimDueChecks(properties.resolver().batchMax())) {
            checks.add(() -> {
                try {
                    resolver.resolveScheduled(paymentId, "scheduled check by " + instanceId);
                } catch (RuntimeException e) {
                    log.warn("Resolver check of {} failed; it stays scheduled", paymentId, e);
                }
                return null;
            });
        }
        if (!checks.isEmpty()) {
            resolverThreads.invokeAll(checks);
        }
    }

    @PreDestroy
    void stop() {
        resolverThreads.shutdownNow();
    }

    @Scheduled(initialDelayString = "${moneytrail.payments.worker-interval-ms:2000}",
            fixedDelayString = "${moneytrail.payments.worker-interval-ms:2000}")
    void expireUnpaid() {
        List<String> candidates = orders.expiryCandidates(clock.instant().minus(properties.expireAfter()),
                EXPIRY_BATCH_MAX);
        for (String orderId : candidates) {
            try {
                orderService.expire(orderId, properties.expireAfter());
            } catch (RuntimeException e) {
                log.info("Order {} not expired this time: {}", orderId, e.getMessage());
            }
        }
    }

    @Scheduled(initialDelayString = "${moneytrail.payments.worker-interval-ms:2000}",
            fixedDelayString = "${moneytrail.payments.worker-interval-ms:2000}")
    void compensateDue() {
        for (String id : compensations.claimDue(clock.instant(), Duration.ofSeconds(120), COMPENSATION_BATCH_MAX)) {
            try {
                compensator.compensate(id);
            } catch (RuntimeException e) {
                log.warn("Compensation {} failed; it will be retried when its lease ends", id, e);
            }
        }
    }
}
