package io.moneytrail.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A seeded month of store activity reconciles to 100% with no discrepancy; the same month with
 * differences injected has each one found exactly once and classified correctly.
 * Run with {@code -Dmoneytrail.seed=N} to replay another month.
 */
class GeneratedMonthTest {

    /** The classes the file-only audit finds (the receipt classes need the database: ReceiptReconciliationTest). */
    private static final Set<DiscrepancyClass> FILE_AUDIT = EnumSet.copyOf(java.util.Arrays.stream(DiscrepancyClass.values())
            .filter(DiscrepancyClass::fileAudit).toList());


    private static final long SEED = Long.getLong("moneytrail.seed", 20260501L);
    private static final int ORDERS = 3_000;

    @TempDir
    Path dir;

    @BeforeAll
    static void printSeed() {
        System.out.println("generated month seed " + SEED + " (replay with -Dmoneytrail.seed=" + SEED + ")");
    }

    private AuditOutcome audit(GeneratedMonth.Files3 files) {
        AuditRequest request = new AuditRequest(files.orders(), files.providerReport(), null, files.bankStatement(), null,
                null, null, GeneratedMonth.TARIFF, null, null, null);
        return Audit.run(request, MatchSink.NONE, Progress.NONE);
    }

    @Test
    void a_generated_month_reconciles_to_100_percent_with_no_discrepancy() {
        GeneratedMonth.Files3 files = GeneratedMonth.write(dir, SEED, ORDERS, Set.of());
        AuditOutcome outcome = audit(files);
        ReconciliationResult result = outcome.result();
        assertThat(outcome.problemsTotal()).isZero();
        assertThat(result.discrepancies()).as("seed " + SEED).isEmpty();
        assertThat(result.matchedShare()).isEqualTo(1.0);
        assertThat(result.counts().get("orders_clean")).isEqualTo(result.counts().get("orders_in_scope")).isPositive();
        assertThat(result.counts().get("payouts_matched") + result.counts().get("payouts_in_transit"))
                .isEqualTo(result.counts().get("payouts"));
        assertThat(result.counts().get("matched_by_payout_reference")).isPositive();
        assertThat(result.counts().get("matched_by_payout_amount_date")).isPositive();
        assertThat(result.counts().get("matched_by_batched_payouts")).isPositive();
        assertThat(outcome.providerFormat()).isEqualTo(ProviderFormat.STRIPE);
        assertThat(outcome.bankFormat()).isEqualTo(BankFormat.CAMT053);
    }

    @Test
    void every_injected_difference_is_found_exactly_once_and_classified_correctly() {
        GeneratedMonth.Files3 files = GeneratedMonth.write(dir, SEED, ORDERS, FILE_AUDIT);
        ReconciliationResult result = audit(files).result();
        assertThat(files.injected()).hasSize(FILE_AUDIT.size());
        for (DiscrepancyClass kind : FILE_AUDIT) {
            assertThat(result.countsByClass().get(kind)).as(kind + " (seed " + SEED + ")").isEqualTo(1L);
            Discrepancy found = result.discrepancies().stream().filter(d -> d.kind() == kind).findFirst().orElseThrow();
            String injectedInto = files.injected().get(kind);
            assertThat(java.util.Arrays.asList(found.orderId(), found.providerChargeId(), found.payoutId(), found.bankRef()))
                    .as(kind + " names what it was injected into").contains(injectedInto);
        }
        assertThat(result.discrepanciesTotal()).isEqualTo(FILE_AUDIT.size());
    }

    @ParameterizedTest
    @EnumSource(value = DiscrepancyClass.class, names = "RECEIPT_.*", mode = EnumSource.Mode.MATCH_NONE)
    void each_difference_alone_is_the_only_thing_found(DiscrepancyClass kind) {
        GeneratedMonth.Files3 files = GeneratedMonth.write(dir, SEED + kind.ordinal(), ORDERS, Set.of(kind));
        ReconciliationResult result = audit(files).result();
        assertThat(result.discrepancies()).as("seed " + (SEED + kind.ordinal())).extracting(Discrepancy::kind)
                .containsExactly(kind);
    }
}
