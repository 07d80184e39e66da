package io.moneytrail.payment;

import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.Timeline;
import io.moneytrail.order.TimelineKind;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The bookkeeping of compensations, each with its timeline entry: one is opened when money is
 * seen on a payment of a cancelled or expired order, and finished (or retried) by
 * {@link CompensationRunner}.
 */
@Component
class CompensationRecords {

    private final Compensations compensations;
    private final Payments payments;
    private final Refunds refunds;
    private final Timeline timeline;
    private final PaymentProperties properties;
    private final Clock clock;

    CompensationRecords(Compensations compensations, Payments payments, Refunds refunds, Timeline timeline,
                        PaymentProperties properties, Clock clock) {
        this.compensations = compensations;
        this.payments = payments;
        this.refunds = refunds;
        this.timeline = timeline;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Opens a compensation if the order is closed and the payment holds money (captured and not
     * refunded, or authorised and not released); the caller holds the order lock.
     */
    void openIfHeld(Payment payment, OrderStatus lifecycle) {
        if (lifecycle != OrderStatus.CANCELLED && lifecycle != OrderStatus.EXPIRED) {
            return;
        }
        Payment now = payments.get(payment.id());
        long refundable = now.amountCaptured() - refunds.amountHeld(payment.id());
        if (refundable <= 0 && now.amountCapturable() <= 0) {
            return;
        }
        boolean hold = properties.compensation().holds();
        String note = "order is " + lifecycle.wire() + " but " + payment.id() + " holds "
                + new Money(Math.max(refundable, 0), payment.amount().currency()) + " captured and "
                + new Money(now.amountCapturable(), payment.amount().currency()) + " authorised";
        Instant at = clock.instant();
        if (compensations.open(payment.orderId(), payment.id(), hold, at.plus(properties.compensation().delay()), at,
                note)) {
            timeline.record(payment.orderId(), hold ? TimelineKind.COMPENSATION_HELD
                            : TimelineKind.COMPENSATION_SCHEDULED,
                    (hold ? "held for review: " : "will be given back automatically: ") + note,
                    Map.of("payment", payment.id(), "captured_refundable", Math.max(refundable, 0),
                            "authorized", now.amountCapturable()));
        }
    }

    Compensation get(String compensationId) {
        return compensations.find(compensationId)
                .orElseThrow(() -> MoneytrailException.notFound("compensation", compensationId));
    }

    /** Marks it done, with what was done; runs inside the caller's transaction. */
    void finish(Compensation compensation, String note) {
        compensations.finish(compensation.id(), "done", note, clock.instant());
        timeline.record(compensation.orderId(), TimelineKind.COMPENSATION_DONE, "compensation for "
                + compensation.paymentId() + ": " + note,
                Map.of("payment", compensation.paymentId(), "compensation", compensation.id()));
    }

    /** Tries again after the resolver's first delay. */
    void retry(Compensation compensation, String note) {
        compensations.retryAt(compensation.id(), clock.instant().plus(properties.resolver().delay(0)), note);
    }
}
