package io.moneytrail.reconciliation;

import java.util.List;
import java.util.Map;

/**
 * What matching found: the discrepancies (sorted by severity class, then input order), how many
 * of each side were matched and by which rule, and money totals per leg and currency.
 *
 * @param counts named counts, e.g. {@code orders}, {@code orders_matched}, {@code provider_rows},
 *               {@code payouts_in_transit}, {@code matched_by_<rule>}
 * @param totals leg -> currency -> named total in minor units (e.g. provider/EUR/charged)
 * @param discrepanciesTotal all found; {@code discrepancies} holds at most {@link #DISCREPANCIES_KEPT_MAX}
 */
public record ReconciliationResult(List<Discrepancy> discrepancies, long discrepanciesTotal, Map<String, Long> counts,
                                   Map<String, Map<String, Map<String, Long>>> totals,
                                   Map<DiscrepancyClass, Long> countsByClass) {

    /** Discrepancies kept in memory (and in the reports); past it they are only counted. */
    public static final int DISCREPANCIES_KEPT_MAX = 1_000_000;

    /** Share of our orders in scope that matched a provider record with no discrepancy, 0..1. */
    public double matchedShare() {
        long scope = counts.getOrDefault("orders_in_scope", 0L);
        return scope == 0 ? 1.0 : (double) counts.getOrDefault("orders_clean", 0L) / scope;
    }
}
