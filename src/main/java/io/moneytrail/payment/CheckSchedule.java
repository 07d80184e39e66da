package io.moneytrail.payment;

import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * When the resolver asks about a payment ({@code moneytrail.payments.resolver}): a check is
 * scheduled with every intent and whenever something is left unsettled; each check schedules
 * the next one, until the payment settles or the maximum age is reached.
 */
@Component
class CheckSchedule {

    private final Payments payments;
    private final PaymentProperties properties;
    private final Clock clock;

    CheckSchedule(Payments payments, PaymentProperties properties, Clock clock) {
        this.payments = payments;
        this.properties = properties;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /** When the first check of something that starts now is due. */
    Instant firstCheckAt(Instant now) {
        return now.plus(properties.resolver().delay(0));
    }

    /**
     * Schedules the resolver's check of a payment (or keeps an earlier one); committed with every
     * intent, so if we die before the provider's answer is saved, the resolver still asks.
     */
    void scheduleCheck(String paymentId) {
        Instant now = clock.instant();
        payments.scheduleCheck(paymentId, firstCheckAt(now), now);
    }

    /** Whether a payment in this state may have its check cleared once its refunds and operations are settled. */
    static boolean settled(PaymentState state) {
        return state == PaymentState.CAPTURED || state == PaymentState.VOIDED || state == PaymentState.FAILED;
    }

    /**
     * Clears the check of a payment just settled in {@code state}, in the transaction that saved
     * the answer, when nothing is left to ask (see {@link Payments#clearCheckIfSettled}); the
     * resolver then has nothing to do, and no background transaction, for it.
     */
    void clearIfSettled(String paymentId, PaymentState state) {
        if (settled(state)) {
            payments.clearCheckIfSettled(paymentId);
        }
    }

    /**
     * After a check that left the payment unsettled: schedules the next one and answers false,
     * or answers true when the payment has been unsettled past the maximum age (escalate).
     */
    boolean nextOrGiveUp(String paymentId, Payments.CheckCount counted) {
        Instant now = clock.instant();
        if (counted.since().plus(properties.resolver().maxAge()).isBefore(now)) {
            return true;
        }
        payments.nextCheck(paymentId, now.plus(properties.resolver().delay(counted.attempts())));
        return false;
    }
}
