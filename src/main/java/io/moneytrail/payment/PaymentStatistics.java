package io.moneytrail.payment;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * Counts over payment attempts for reports: how attempts ended per period and provider (the
 * success rate), why declined ones were declined, and what is outstanding — authorised but not
 * captured, refunds not settled.
 */
public interface PaymentStatistics {

    /** Periods the counts group by: a day, an ISO week (from Monday) or a calendar month, in a time zone. */
    Set<String> UNITS = Set.of("day", "week", "month");

    /**
     * How the attempts created in one period through one provider stand now.
     *
     * @param succeeded authorised or captured (voided after an authorisation included)
     * @param declined  failed: the provider or the customer's bank refused
     * @param abandoned expired, or voided before any authorisation
     * @param inFlight  not decided yet (waiting for the customer, the provider or an operator)
     */
    record Outcomes(LocalDate period, String provider, long attempts, long succeeded, long declined,
                    long abandoned, long inFlight) {
        /** Succeeded among the decided attempts, 0..1; null when none is decided. */
        public Double successRate() {
            long decided = succeeded + declined + abandoned;
            return decided == 0 ? null : (double) succeeded / decided;
        }
    }

    /** Declined attempts with one failure code (or none) through one provider. */
    record DeclineReason(String provider, String code, long count, String example) {
    }

    /** What is outstanding in one provider and currency: how many and how much. */
    record Outstanding(String provider, String currency, long count, long amountMinor) {
    }

    /** Attempts created in [from, to), by period ({@code day|week|month} in {@code zone}) and provider. */
    List<Outcomes> outcomes(Instant from, Instant to, String unit, ZoneId zone);

    /** The most frequent failure codes of the attempts created in [from, to) that failed, most first. */
    List<DeclineReason> declineReasons(Instant from, Instant to, int limit);

    /** Authorised and not (fully) captured now: what is still capturable, per provider and currency. */
    List<Outstanding> authorizedNotCaptured();

    /** Refunds asked for and not settled yet (pending, unknown, in review), per provider and currency. */
    List<Outstanding> refundsPending();

}
