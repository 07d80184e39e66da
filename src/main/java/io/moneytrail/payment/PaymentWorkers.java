package io.moneytrail.payment;

import io.moneytrail.database.Instance;
import io.moneytrail.order.OpenOrder;
import io.moneytrail.order.OrderMoney;
import io.moneytrail.order.OrderService;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    /** Orders one expiry sweep tries to expire. */
    static final int EXPIRY_BATCH_MAX = 50;
    /** Open orders one expiry sweep looks at (paid ones that stay open are passed over). */
    static final int EXPIRY_SCAN_MAX = 200;
    /** Compensations run by one sweep. */
    static final int COMPENSATION_BATCH_MAX = 20;

    private final PaymentResolver resolver;
    private final CompensationRunner compensator;
    private final Compensations compensations;
    private final OrderService orderService;
    private final OrderMoneyView money;
    private final PaymentProperties properties;
    private final Clock clock;
    /** Names this process's workers in what they record (the timeline says which instance checked). */
    private final String instanceId;
    private final ExecutorService resolverThreads;
    /** Where the expiry sweep goes on from (one worker thread runs it); null: from the oldest. */
    private volatile OpenOrder expiryCursor;

    PaymentWorkers(PaymentResolver resolver, CompensationRunner compensator, Compensations compensations,
                   OrderService orderService, OrderMoneyView money, PaymentProperties properties, Clock clock,
                   Instance instance) {
        this.resolver = resolver;
        this.compensator = compensator;
        this.compensations = compensations;
        this.orderService = orderService;
        this.money = money;
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
        List<OpenOrder> open = orderService.openCreatedBefore(clock.instant().minus(properties.expireAfter()),
                expiryCursor, EXPIRY_SCAN_MAX);
        Map<String, OrderMoney> sums = money.of(open.stream().map(OpenOrder::id).toList());
        OpenOrder last = null;
        int tried = 0;
        for (OpenOrder order : open) {
            if (tried == EXPIRY_BATCH_MAX) {
                break;
            }
            last = order;
            OrderMoney sum = sums.get(order.id());
            if (sum != null && sum.amountCaptured() > 0) {
                continue;
            }
            tried++;
            try {
                orderService.expire(order.id(), properties.expireAfter());
            } catch (RuntimeException e) {
                log.info("Order {} not expired this time: {}", order.id(), e.getMessage());
            }
        }
        // the next sweep goes on from here; after the last page it starts from the oldest again
        expiryCursor = open.size() < EXPIRY_SCAN_MAX && (last == null || last == open.get(open.size() - 1))
                ? null : last;
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
