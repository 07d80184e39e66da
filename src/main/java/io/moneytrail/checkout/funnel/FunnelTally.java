package io.moneytrail.checkout.funnel;

import io.moneytrail.checkout.DeclineReason;
import io.moneytrail.checkout.FunnelEvent;
import io.moneytrail.checkout.FunnelStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Folds journeys, one at a time, into a {@link FunnelReport}. A journey is handed over whole
 * (its events in time order); nothing of it is kept but the counts and, for a paid session, the
 * time from its first view to paid.
 */
final class FunnelTally {

    /** The report's steps, in order. */
    static final List<String> STEPS = List.of("viewed", "provider_chosen", "redirected", "returned", "authorized",
            "paid", "declined", "abandoned", "expired");
    /** The step each step's conversion is measured from. */
    static final Map<String, String> FROM = Map.of("provider_chosen", "viewed", "redirected", "provider_chosen",
            "returned", "redirected", "authorized", "returned", "paid", "authorized", "declined", "redirected",
            "abandoned", "viewed", "expired", "viewed");
    /** What an abandoned session's last step before abandonment may be, in the path's order. */
    static final List<String> LAST_STEPS = List.of("viewed", "provider_chosen", "redirected", "returned", "declined",
            "authorized", "paid");

    private final FunnelQuery query;
    private final long[] sessions = new long[STEPS.size()];
    private final long[] apiOrders = new long[STEPS.size()];
    private final Map<String, long[]> reasons = new LinkedHashMap<>();
    private final Map<String, Map<String, long[]>> codes = new java.util.TreeMap<>();
    private final List<Long> paidMillis = new ArrayList<>();
    private final long[] abandonedLast = new long[LAST_STEPS.size()];
    private long checkoutJourneys;
    private long apiJourneys;
    private long notViewed;

    FunnelTally(FunnelQuery query) {
        this.query = query;
    }

    /** The position on the path a step proves the journey reached (a decline happens at the provider), or -1. */
    static int rank(FunnelStep step) {
        return switch (step) {
            case VIEWED -> 0;
            case PROVIDER_CHOSEN, PAYMENT_STARTED -> 1;
            case REDIRECTED, DECLINED -> 2;
            case RETURNED -> 3;
            case AUTHORIZED -> 4;
            case PAID -> 5;
            default -> -1;
        };
    }

    /** The step's name in the report (an API-only order's payment_started is its provider_chosen). */
    static String reportName(FunnelStep step) {
        return step == FunnelStep.PAYMENT_STARTED ? "provider_chosen" : step.wire();
    }

    /** Adds one journey (all its events, in time order), if the query's filters keep it. */
    void add(List<FunnelEvent> events) {
        if (events.isEmpty() || query.device() != null && events.get(0).device() != query.device()) {
            return;
        }
        List<FunnelEvent> kept = events;
        if (query.provider() != null) {
            if (events.stream().noneMatch(e -> query.provider().equals(e.provider()))) {
                return;
            }
            kept = events.stream().filter(e -> e.provider() == null || query.provider().equals(e.provider())).toList();
        }
        boolean api = events.get(0).sessionId() == null;
        if (!api && kept.stream().noneMatch(e -> e.step() == FunnelStep.VIEWED)) {
            notViewed++; // a session the customer never opened (it expired unviewed): not a step of the funnel
            return;
        }
        long[] counts = api ? apiOrders : sessions;
        if (api) {
            apiJourneys++;
        } else {
            checkoutJourneys++;
        }
        int reached = -1;
        boolean viewed = false;
        boolean declined = false;
        boolean abandoned = false;
        boolean expired = false;
        FunnelEvent firstView = null;
        FunnelEvent firstPaid = null;
        Set<String> reasonsHere = new HashSet<>();
        String lastBeforeAbandoned = null;
        for (FunnelEvent e : kept) {
            reached = Math.max(reached, rank(e.step()));
            switch (e.step()) {
                case VIEWED -> {
                    viewed = true;
                    firstView = firstView == null ? e : firstView;
                }
                case PAID -> firstPaid = firstPaid == null ? e : firstPaid;
                case DECLINED -> {
                    declined = true;
                    String reason = DeclineReason.of(e.provider(), e.reasonCode()).name().toLowerCase(Locale.ROOT);
                    String code = (e.provider() == null ? "" : e.provider()) + "\u0000"
                            + (e.reasonCode() == null ? "" : e.reasonCode());
                    codes.computeIfAbsent(reason, r -> new java.util.TreeMap<>())
                            .computeIfAbsent(code, c -> new long[1])[0]++;
                    long[] c = reasons.computeIfAbsent(reason, r -> new long[2]);
                    c[0]++;
                    if (reasonsHere.add(reason)) {
                        c[1]++;
                    }
                }
                case ABANDONED -> abandoned = true;
                case EXPIRED -> expired = true;
                default -> {
                }
            }
            if (!abandoned && e.step() != FunnelStep.ABANDONED && e.step() != FunnelStep.EXPIRED) {
                lastBeforeAbandoned = reportName(e.step());
            }
        }
        if (viewed) {
            counts[0]++;
        }
        for (int i = 1; i <= 5; i++) {
            if (reached >= i) {
                counts[i]++;
            }
        }
        if (declined) {
            counts[6]++;
        }
        if (abandoned) {
            counts[7]++;
            int at = LAST_STEPS.indexOf(lastBeforeAbandoned == null ? "viewed" : lastBeforeAbandoned);
            abandonedLast[Math.max(at, 0)]++;
        }
        if (expired) {
            counts[8]++;
        }
        if (firstView != null && firstPaid != null) {
            paidMillis.add(Math.max(0, Duration.between(firstView.occurredAt(), firstPaid.occurredAt()).toMillis()));
        }
    }

    FunnelReport report() {
        List<FunnelReport.Step> steps = new ArrayList<>();
        for (int i = 0; i < STEPS.size(); i++) {
            String step = STEPS.get(i);
            long count = sessions[i] + apiOrders[i];
            String from = FROM.get(step);
            Double conversion = null;
            if (from != null) {
                int before = STEPS.indexOf(from);
                // only checkout sessions can be viewed: a conversion from viewed counts sessions alone
                long numerator = from.equals("viewed") ? sessions[i] : count;
                long denominator = sessions[before] + apiOrders[before];
                conversion = denominator == 0 ? null : Math.round(numerator * 10_000.0 / denominator) / 10_000.0;
            }
            steps.add(new FunnelReport.Step(step, count, sessions[i], apiOrders[i], from, conversion));
        }
        List<FunnelReport.DeclineReason> declineReasons = new ArrayList<>();
        reasons.forEach((reason, c) -> {
            List<FunnelReport.Code> behind = new ArrayList<>();
            codes.get(reason).forEach((key, n) -> {
                String[] parts = key.split("\u0000", -1);
                behind.add(new FunnelReport.Code(parts[0].isEmpty() ? null : parts[0],
                        parts[1].isEmpty() ? null : parts[1], n[0]));
            });
            declineReasons.add(new FunnelReport.DeclineReason(reason, c[0], c[1], behind));
        });
        declineReasons.sort(java.util.Comparator.comparingLong(FunnelReport.DeclineReason::declines).reversed()
                .thenComparing(FunnelReport.DeclineReason::reason));
        List<Long> sorted = paidMillis.stream().sorted().toList();
        FunnelReport.TimeToPaid time = new FunnelReport.TimeToPaid(sorted.size(), seconds(nearestRank(sorted, 0.5)),
                seconds(nearestRank(sorted, 0.9)));
        List<FunnelReport.LastStep> last = new ArrayList<>();
        for (int i = 0; i < LAST_STEPS.size(); i++) {
            last.add(new FunnelReport.LastStep(LAST_STEPS.get(i), abandonedLast[i]));
        }
        return new FunnelReport(query, checkoutJourneys, apiJourneys, notViewed, steps, declineReasons, time, last);
    }

    /** The nearest-rank percentile: the smallest value with at least p of the values at or below it. */
    static Long nearestRank(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    private static Double seconds(Long millis) {
        return millis == null ? null : millis / 1000.0;
    }
}
