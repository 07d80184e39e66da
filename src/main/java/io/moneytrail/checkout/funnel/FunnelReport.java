package io.moneytrail.checkout.funnel;

import java.util.List;

/**
 * A funnel report (definitions: {@code docs/checkout.md}, "Funnel").
 *
 * @param query            what it covers
 * @param checkoutSessions journeys through a checkout session
 * @param apiOrders        journeys of orders paid through the API without a session
 * @param sessionsNotViewed sessions that started in the period but were never viewed (expired unopened):
 *                         not in the steps
 * @param steps            the nine steps in order
 * @param declineReasons   per reason code, most frequent first
 * @param timeToPaid       from the first view to paid, over the sessions that were viewed and paid
 * @param abandonedByLastStep per last step reached before abandonment, in the path's order
 */
public record FunnelReport(FunnelQuery query, long checkoutSessions, long apiOrders, long sessionsNotViewed,
                           List<Step> steps,
                           List<DeclineReason> declineReasons, TimeToPaid timeToPaid,
                           List<LastStep> abandonedByLastStep) {

    /**
     * One step: the journeys that reached it (of them, checkout sessions and API-only orders),
     * the step its conversion is measured from (null for the first) and the conversion, a ratio
     * rounded to 4 places (null when the step before counted none).
     */
    public record Step(String step, long count, long checkoutSessions, long apiOrders, String from, Double conversion) {
    }

    /**
     * A decline reason in the customer's words ({@code io.moneytrail.checkout.DeclineReason}, lower
     * case): how many declines carried it, in how many journeys, and the providers' own codes behind it.
     */
    public record DeclineReason(String reason, long declines, long journeys, List<Code> codes) {
    }

    /** A provider's own decline code ({@code failure_code}) and how many declines carried it. */
    public record Code(String provider, String code, long declines) {
    }

    /** Seconds (to the millisecond) from the first view to paid: how many sessions, median and p90 (nearest rank). */
    public record TimeToPaid(long sessions, Double medianSeconds, Double p90Seconds) {
    }

    /** Abandoned sessions whose last step before abandonment was {@code step}. */
    public record LastStep(String step, long sessions) {
    }

    /** The step named {@code step}. */
    public Step step(String step) {
        return steps.stream().filter(s -> s.step().equals(step)).findFirst().orElseThrow();
    }
}
