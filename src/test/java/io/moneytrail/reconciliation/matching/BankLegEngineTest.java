package io.moneytrail.reconciliation.matching;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.reconciliation.BankEntry;
import io.moneytrail.reconciliation.Discrepancy;
import io.moneytrail.reconciliation.DiscrepancyClass;
import io.moneytrail.reconciliation.MatchSink;
import io.moneytrail.reconciliation.ProviderRow;
import io.moneytrail.reconciliation.ProviderRowKind;
import io.moneytrail.reconciliation.ReconciliationResult;
import io.moneytrail.reconciliation.StatementPeriod;
import io.moneytrail.reconciliation.Tolerances;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 14, the bank leg in the engine: the statement's period, and the provider's bank-side identity. */
class BankLegEngineTest {

    private static final String PROVIDER_ACCOUNT = "IE29AIBK93115212345678";
    private final ReconciliationEngine engine = new ReconciliationEngine(Tolerances.DEFAULTS, null, false, MatchSink.NONE);
    private int line = 1;

    private void payout(String id, long amount, LocalDate created) {
        engine.providerRow(new ProviderRow(ProviderRowKind.PAYOUT, id, null, null, null, -amount, 0, -amount, "EUR",
                created.atStartOfDay().toInstant(ZoneOffset.UTC), id, ++line));
    }

    private void bank(String ref, long amount, LocalDate booked, String details, String account, String taxId, String name) {
        engine.bankEntry(new BankEntry(ref, Math.abs(amount), "EUR", amount > 0, booked, booked, details, 1, false, ++line,
                account, taxId, name));
    }

    private static List<DiscrepancyClass> classes(ReconciliationResult result) {
        return result.discrepancies().stream().map(Discrepancy::kind).toList();
    }

    private static LocalDate may(int day) {
        return LocalDate.of(2026, 5, day);
    }

    @Test
    void a_payout_expected_inside_the_period_is_not_received_one_expected_after_its_end_is_in_transit() {
        payout("po_in", 10_000, may(20));     // expected by 25 May
        payout("po_edge", 20_000, may(26));   // expected by 31 May, the period's last day
        payout("po_late", 30_000, may(27));   // expected by 1 June
        bank("B1", -400, may(3), "Office rent", null, null, "Landlord");
        engine.bankStatementPeriod(new StatementPeriod(may(1), may(31), "test"));
        ReconciliationResult result = engine.finish(null);
        assertThat(classes(result)).containsExactly(DiscrepancyClass.PAYOUT_NOT_RECEIVED,
                DiscrepancyClass.PAYOUT_NOT_RECEIVED);
        assertThat(result.discrepancies()).extracting(Discrepancy::payoutId).containsExactly("po_in", "po_edge");
        assertThat(result.counts()).containsEntry("payouts_in_transit", 1L);
    }

    @Test
    void without_a_declared_period_the_last_booking_date_still_decides_and_an_empty_statement_judges_by_its_period() {
        payout("po_1", 10_000, may(1));
        engine.bankStatementPeriod(new StatementPeriod(may(1), may(31), "test"));
        ReconciliationResult result = engine.finish(null); // no entries at all: the period alone judges
        assertThat(classes(result)).containsExactly(DiscrepancyClass.PAYOUT_NOT_RECEIVED);
    }

    @Test
    void a_payout_expected_before_the_statement_starts_is_counted_not_judged() {
        payout("po_april", 10_000, LocalDate.of(2026, 4, 20)); // expected by 25 April
        engine.bankStatementPeriod(new StatementPeriod(may(1), may(31), "test"));
        ReconciliationResult result = engine.finish(null);
        assertThat(classes(result)).isEmpty();
        assertThat(result.counts()).containsEntry("payouts_before_statement_period", 1L);
    }

    @Test
    void the_providers_account_learned_from_a_matched_payout_recognises_credits_and_debits() {
        payout("po_1", 10_000, may(5));
        bank("B1", 10_000, may(6), "po_1", PROVIDER_ACCOUNT, null, "Some Payments Ltd");
        bank("B2", 777, may(9), "Transfer", PROVIDER_ACCOUNT, null, null);
        bank("B3", -500, may(10), "Top-up", PROVIDER_ACCOUNT.toLowerCase(), null, null);
        bank("B4", 4_990, may(11), "Invoice 118", "DE0000000000000000001", null, "ACME GmbH");
        bank("B5", -250_000, may(12), "Rent", "DE0000000000000000002", null, "Landlord");
        ReconciliationResult result = engine.finish(null);
        assertThat(classes(result)).containsExactly(DiscrepancyClass.BANK_CREDIT_WITHOUT_PAYOUT,
                DiscrepancyClass.BANK_DEBIT_WITHOUT_PAYOUT, DiscrepancyClass.BANK_CREDIT_UNEXPLAINED);
        assertThat(result.discrepancies()).extracting(Discrepancy::bankRef).containsExactly("B2", "B3", "B4");
        assertThat(result.discrepancies().get(0).explanation()).contains("the account " + PROVIDER_ACCOUNT)
                .contains("po_1");
        assertThat(result.counts()).containsEntry("bank_entries_reported", 3L).containsEntry("bank_entries_unrelated", 1L);
    }

    @Test
    void the_providers_tax_id_name_and_reference_pattern_are_learned_too() {
        payout("po_1", 10_000, may(5));
        payout("po_2", 20_000, may(5));
        payout("po_3", 30_000, may(5));
        bank("B1", 10_000, may(6), "po_1", null, "7750005725", null);
        bank("B2", 20_000, may(6), "po_2", null, null, "NKO \"Payments\" (LLC)");
        bank("B3", 30_000, may(6), "Registry 2026-05-05 settlement po_3", null, null, null);
        bank("X1", 101, may(8), "x", null, "7750005725", null);
        bank("X2", 102, may(8), "y", null, null, "nko payments llc");
        bank("X3", 103, may(8), "Registry 2026-05-07 settlement 991", null, null, null);
        bank("X4", 104, may(8), "Registry of goods", null, null, null);
        ReconciliationResult result = engine.finish(null);
        assertThat(classes(result)).containsExactly(DiscrepancyClass.BANK_CREDIT_WITHOUT_PAYOUT,
                DiscrepancyClass.BANK_CREDIT_WITHOUT_PAYOUT, DiscrepancyClass.BANK_CREDIT_WITHOUT_PAYOUT,
                DiscrepancyClass.BANK_CREDIT_UNEXPLAINED);
        assertThat(result.discrepancies()).extracting(Discrepancy::bankRef).containsExactly("X1", "X2", "X3", "X4");
        assertThat(result.discrepancies().get(0).explanation()).contains("tax id 7750005725");
        assertThat(result.discrepancies().get(2).explanation()).contains("registry # settlement #");
    }

    @Test
    void a_reversal_is_never_matched_and_a_reversed_credit_is_reported() {
        engine.bankEntry(new BankEntry("R1", 1_000, "EUR", true, may(3), may(3), "reversal of debit", 1, true, ++line));
        ReconciliationResult result = engine.finish(null);
        assertThat(classes(result)).containsExactly(DiscrepancyClass.BANK_CREDIT_UNEXPLAINED);
        assertThat(result.discrepancies().get(0).explanation()).startsWith("reversal bank credit");
    }

    @Test
    void reference_patterns_need_a_word() {
        assertThat(ProviderIdentity.pattern("po_1 2026-05-06")).isNull();
        assertThat(ProviderIdentity.pattern("STRIPE PAYOUT po_1AbC")).isEqualTo("stripe payout #");
        assertThat(ProviderIdentity.name("НКО \"ЮМани\" (ООО)")).isEqualTo("нко юмани ооо");
    }
}
