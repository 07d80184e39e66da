package io.moneytrail.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A Russian store's files end to end: a mapped 1C-style order export, a YooKassa registry, a 1C bank statement. */
class RussianStoreAuditTest {

    private static final Path DIR = Path.of("src/test/resources/reconciliation");

    @Test
    void mapped_export_yookassa_registry_and_1c_statement_reconcile_with_bad_rows_reported() {
        AuditRequest request = new AuditRequest(DIR.resolve("orders-russian.csv"), DIR.resolve("yookassa-payments.csv"),
                null, DIR.resolve("1c-windows-1251.txt"), null,
                OrderExportMapping.parse("@" + DIR.resolve("orders-russian.properties")), null, null, null, null, null);
        AuditOutcome outcome = Audit.run(request, MatchSink.NONE, Progress.NONE);
        assertThat(outcome.providerFormat()).isEqualTo(ProviderFormat.YOOKASSA);
        assertThat(outcome.bankFormat()).isEqualTo(BankFormat.CLIENT_BANK_EXCHANGE);
        assertThat(outcome.result().discrepancies()).isEmpty();
        assertThat(outcome.result().counts()).containsEntry("orders_clean", 2L).containsEntry("payouts_matched", 1L)
                .containsEntry("matched_by_payout_amount_date", 1L).containsEntry("bank_entries_unrelated", 1L);
        assertThat(outcome.problemsKept()).extracting(ImportProblem::line).containsExactly(4L, 5L, 44L);
    }
}
