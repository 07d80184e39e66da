package io.moneytrail.reconciliation;

import java.util.List;

/**
 * An audit's result: the formats used, what each file gave, row problems found while matching
 * (a repeated order id, a charge listed twice), and the reconciliation itself.
 */
public record AuditOutcome(AuditRequest request, ProviderFormat providerFormat, BankFormat bankFormat,
                           List<ImportSummary> imports, List<ImportProblem> matchingProblems, long matchingProblemsTotal,
                           ReconciliationResult result, double seconds) {

    /** Rows rejected by the importers plus problems found while matching. */
    public long problemsTotal() {
        long total = matchingProblemsTotal;
        for (ImportSummary summary : imports) {
            total += summary.problemsTotal();
        }
        return total;
    }

    /** Every problem kept in detail, import ones first. */
    public List<ImportProblem> problemsKept() {
        List<ImportProblem> all = new java.util.ArrayList<>();
        imports.forEach(s -> all.addAll(s.problems()));
        all.addAll(matchingProblems);
        return all;
    }
}
