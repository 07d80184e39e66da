package io.moneytrail.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 14, the bank leg, end to end over real files in each bank format (src/test/resources/
 * reconciliation/bank-leg, one May told three ways): the statement's own period decides what is in
 * transit, and every bank credit is explained by a payout or reported, as is every debit to the
 * provider.
 */
class BankLegAuditTest {

    private static final Path DIR = Path.of("src/test/resources/reconciliation/bank-leg");

    static Path statement(BankFormat format) {
        return DIR.resolve(switch (format) {
            case CAMT053 -> "camt053-v02.xml";
            case MT940 -> "mt940.txt";
            case CLIENT_BANK_EXCHANGE -> "1c-windows-1251.txt";
        });
    }

    private static AuditOutcome audit(BankFormat format, LocalDate asOf) {
        AuditRequest request = new AuditRequest(DIR.resolve("orders.csv"), DIR.resolve("sandbox-report.csv"), null,
                statement(format), null, null, null, null, null, asOf, null);
        return Audit.run(request, MatchSink.NONE, Progress.NONE);
    }

    @ParameterizedTest
    @EnumSource(BankFormat.class)
    void the_statements_period_decides_in_transit_and_every_credit_is_explained_or_reported(BankFormat format) {
        AuditOutcome outcome = audit(format, null);
        assertThat(outcome.bankFormat()).isEqualTo(format);
        assertThat(outcome.problemsTotal()).isZero();
        StatementPeriod period = outcome.imports().get(outcome.imports().size() - 1).statementPeriod();
        assertThat(period.to()).isEqualTo(LocalDate.of(2026, 5, 31));
        assertThat(period.from()).isEqualTo(LocalDate.of(2026, 5, 1));

        ReconciliationResult result = outcome.result();
        List<Discrepancy> found = result.discrepancies();
        assertThat(found).extracting(Discrepancy::kind).containsExactly(DiscrepancyClass.PAYOUT_NOT_RECEIVED,
                DiscrepancyClass.BANK_CREDIT_WITHOUT_PAYOUT, DiscrepancyClass.BANK_DEBIT_WITHOUT_PAYOUT,
                DiscrepancyClass.BANK_CREDIT_UNEXPLAINED);
        // expected by 15 May, inside the period that ends 31 May, although the last entry is booked 12 May
        Discrepancy notReceived = found.get(0);
        assertThat(notReceived.payoutId()).isEqualTo("spo_20260509_RUB");
        assertThat(notReceived.explanation()).contains("2026-05-15").contains("2026-05-31");
        // expected by 3 June, after the period's end: the only payout in transit
        assertThat(result.counts()).containsEntry("payouts_in_transit", 1L).containsEntry("payouts_matched", 1L)
                .containsEntry("payouts_before_statement_period", 0L);
        // the provider's account was learned from the payout that matched
        Discrepancy fromProvider = found.get(1);
        assertThat(fromProvider.theirsMinor()).isEqualTo(45_000L);
        assertThat(fromProvider.currency()).isEqualTo("RUB");
        assertThat(fromProvider.explanation()).contains("30232810100000000001").contains("spo_20260502_RUB");
        Discrepancy toProvider = found.get(2);
        assertThat(toProvider.theirsMinor()).isEqualTo(-30_000L);
        assertThat(toProvider.explanation()).contains("30232810100000000001");
        Discrepancy unexplained = found.get(3);
        assertThat(unexplained.theirsMinor()).isEqualTo(12_000L);
        assertThat(unexplained.kind().severity()).isEqualTo(Severity.LOW);
        assertThat(unexplained.explanation()).contains("40702810500000054321");
        // nothing dropped: five entries, one matched, three reported, the rent debit to a landlord counted
        assertThat(result.counts()).containsEntry("bank_entries", 5L).containsEntry("bank_entries_matched", 1L)
                .containsEntry("bank_entries_reported", 3L).containsEntry("bank_entries_unrelated", 1L);
    }

    @ParameterizedTest
    @EnumSource(BankFormat.class)
    void as_of_still_overrides_the_statements_period(BankFormat format) {
        ReconciliationResult result = audit(format, LocalDate.of(2026, 5, 12)).result();
        assertThat(result.discrepancies()).extracting(Discrepancy::kind)
                .doesNotContain(DiscrepancyClass.PAYOUT_NOT_RECEIVED);
        assertThat(result.counts()).containsEntry("payouts_in_transit", 2L);
    }
}
