package io.moneytrail.payment;

import io.moneytrail.order.OrderMoney;
import io.moneytrail.order.PaymentStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Notices changes of an order's derived payment status within a transaction: the status is
 * read before the first write that can move it ({@link #aboutToChange}; at the latest), and
 * again just before commit if something that can move it happened meanwhile ({@link #changed});
 * if they differ,
 * the read model {@link OrderPaymentStatuses} is written and {@link OrderPaymentStatusChanged} is
 * published (still inside the transaction, so both commit with the facts that moved the status).
 */
@Component
class OrderPaymentWatch {

    private final OrderMoneyView money;
    private final OrderPaymentStatusesJdbc statuses;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    OrderPaymentWatch(OrderMoneyView money, OrderPaymentStatusesJdbc statuses, ApplicationEventPublisher events,
                      Clock clock) {
        this.money = money;
        this.statuses = statuses;
        this.events = events;
        this.clock = clock;
    }

    /** The payment states that make an order with nothing captured "pending" (the view's has_pending). */
    private static final Set<PaymentState> PENDING = EnumSet.of(PaymentState.REQUIRES_ACTION,
            PaymentState.PROCESSING, PaymentState.UNKNOWN, PaymentState.NEEDS_REVIEW);

    /**
     * An order watched (locked) in the current transaction: its money before this transaction
     * changed anything (read lazily, at the latest just before the first change), its money as last
     * read (null once something may have moved it), and whether it may have moved.
     */
    private static final class Watched {
        private OrderMoney before;
        private OrderMoney latest;
        private boolean changed;
        /** The order's creation time, as its lock read it (null if not known): the read model's key. */
        private Instant createdAt;
    }

    /**
     * Call right after locking the order, before changing anything. Answers the order's money as
     * it was when first watched in this transaction.
     */
    OrderMoney watch(String orderId, Instant createdAt) {
        Map<String, Watched> watched = watched();
        if (watched == null) {
            return money(orderId);
        }
        Watched seen = watched.computeIfAbsent(orderId, id -> new Watched());
        seen.createdAt = createdAt;
        return seen.changed ? seen.before : current(orderId, seen);
    }

    /**
     * As {@link #watch}, without reading the money now: it is read only if something is about to
     * move it ({@link #aboutToChange}) or someone asks for it ({@link #known}).
     */
    void watchLazily(String orderId, Instant createdAt) {
        Map<String, Watched> watched = watched();
        if (watched != null) {
            watched.computeIfAbsent(orderId, id -> new Watched()).createdAt = createdAt;
        }
    }

    /** The order's creation time as its lock read it in this transaction (null: not watched here, or not known). */
    Instant createdAt(String orderId) {
        Map<String, Watched> watched = watched();
        Watched seen = watched == null ? null : watched.get(orderId);
        return seen == null ? null : seen.createdAt;
    }

    /**
     * Call before a write that can move the order's payment status (a money fact, a new attempt,
     * a payment entering or leaving a pending state): reads the money as it was before, if not
     * read yet in this transaction.
     */
    void aboutToChange(String orderId) {
        Map<String, Watched> watched = watched();
        Watched seen = watched == null ? null : watched.get(orderId);
        if (seen != null && !seen.changed) {
            current(orderId, seen);
        }
    }

    /** True when the order is watched here and its money before any change has not been read yet. */
    boolean needsBefore(String orderId) {
        Map<String, Watched> watched = watched();
        Watched seen = watched == null ? null : watched.get(orderId);
        return seen != null && !seen.changed && seen.latest == null;
    }

    /** Hands over the order's money as it was before this transaction's first change (read by the caller). */
    void before(String orderId, OrderMoney money) {
        Map<String, Watched> watched = watched();
        Watched seen = watched == null ? null : watched.get(orderId);
        if (seen != null && !seen.changed && seen.latest == null) {
            seen.latest = money;
            seen.before = money;
        }
    }

    /**
     * Says that the order's payment status moved to what {@code after} says, known without a
     * read (e.g. a new attempt on an unpaid order makes it pending).
     */
    void changedTo(String orderId, OrderMoney after) {
        changed(orderId);
        Map<String, Watched> watched = watched();
        Watched seen = watched == null ? null : watched.get(orderId);
        if (seen != null) {
            seen.latest = after;
        }
    }

    /**
     * Says that the order's payment status may have moved in this transaction (a money fact was
     * recorded, an attempt was added, or one entered or left a pending state): only such orders
     * are read again before commit. {@link #aboutToChange} must have been called before the write.
     */
    void changed(String orderId) {
        Map<String, Watched> watched = watched();
        Watched seen = watched == null ? null : watched.get(orderId);
        if (seen != null) {
            if (seen.before == null) {
                throw new IllegalStateException("order " + orderId + " changed before its money was read");
            }
            seen.changed = true;
            seen.latest = null;
        }
    }

    /**
     * The money of an order watched (locked) in this transaction, read at most once between
     * changes; empty when the order is not watched here.
     */
    Optional<OrderMoney> known(String orderId) {
        Map<String, Watched> watched = watched();
        Watched seen = watched == null ? null : watched.get(orderId);
        return seen == null ? Optional.empty() : Optional.of(current(orderId, seen));
    }

    private OrderMoney current(String orderId, Watched seen) {
        if (seen.latest == null) {
            seen.latest = money(orderId);
            if (!seen.changed) {
                seen.before = seen.latest;
            }
        }
        return seen.latest;
    }

    /** True when a payment moving from {@code from} to {@code to} can change its order's payment status. */
    static boolean movesOrderStatus(PaymentState from, PaymentState to) {
        return PENDING.contains(from) != PENDING.contains(to);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Watched> watched() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        Map<String, Watched> watched = (Map<String, Watched>) TransactionSynchronizationManager.getResource(this);
        if (watched == null) {
            Map<String, Watched> fresh = new LinkedHashMap<>();
            TransactionSynchronizationManager.bindResource(this, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    fresh.forEach((order, seen) -> {
                        if (!seen.changed) {
                            return;
                        }
                        PaymentStatus from = seen.before.paymentStatus();
                        PaymentStatus to = current(order, seen).paymentStatus();
                        if (to != from) {
                            // the read model (order_payment_status) moves with the facts, in this transaction
                            statuses.record(order, to, clock.instant(), seen.createdAt);
                            events.publishEvent(new OrderPaymentStatusChanged(order, from, to, clock.instant()));
                        }
                    });
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(OrderPaymentWatch.this);
                }
            });
            watched = fresh;
        }
        return watched;
    }

    private OrderMoney money(String orderId) {
        return money.find(orderId).orElse(NONE);
    }

    /** The money of an order with no payment transactions (the view has a row for every order). */
    private static final OrderMoney NONE = new OrderMoney(0, 0, 0, 0, 0, PaymentStatus.UNPAID);
}
