package io.moneytrail.reconciliation;

/**
 * The named tolerances of matching. Every one is stated in the report.
 *
 * @param dateWindowDays how far apart (in days) an order and its provider charge, or a payout
 *                       and its expected arrival, may be for the rules without a reference
 * @param amountToleranceMinor how far an amount may differ and still count as equal (minor
 *                             units; 0 = exact); at most {@link #AMOUNT_TOLERANCE_MINOR_MAX}
 * @param payoutArrivalDaysMax days after a payout is created by which the bank must show it;
 *                             past that it is {@link DiscrepancyClass#PAYOUT_NOT_RECEIVED}
 * @param feeToleranceMinor how far a fee may differ from the tariff (rounding)
 * @param batchPayoutsMax most payouts one bank entry may combine
 */
public record Tolerances(int dateWindowDays, long amountToleranceMinor, int payoutArrivalDaysMax,
                         long feeToleranceMinor, int batchPayoutsMax) {

    public static final long AMOUNT_TOLERANCE_MINOR_MAX = 100;
    public static final Tolerances DEFAULTS = new Tolerances(3, 0, 5, 1, 8);

    public Tolerances {
        if (dateWindowDays < 0 || dateWindowDays > 60 || amountToleranceMinor < 0
                || amountToleranceMinor > AMOUNT_TOLERANCE_MINOR_MAX || payoutArrivalDaysMax < 0
                || payoutArrivalDaysMax > 60 || feeToleranceMinor < 0 || batchPayoutsMax < 2 || batchPayoutsMax > 16) {
            throw new IllegalArgumentException("tolerances out of range: date window 0..60 days, amount 0.."
                    + AMOUNT_TOLERANCE_MINOR_MAX + " minor units, payout arrival 0..60 days, batch 2..16 payouts");
        }
    }
}
