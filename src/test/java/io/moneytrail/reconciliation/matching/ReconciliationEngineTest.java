package io.moneytrail.reconciliation.matching;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.reconciliation.BankEntry;
import io.moneytrail.reconciliation.Discrepancy;
import io.moneytrail.reconciliation.DiscrepancyClass;
import io.moneytrail.reconciliation.FeeTariff;
import io.moneytrail.reconciliation.Leg;
import io.moneytrail.reconciliation.MatchRule;
import io.moneytrail.reconciliation.ProviderRow;
import io.moneytrail.reconciliation.ProviderRowKind;
import io.moneytrail.reconciliation.ReconciliationResult;
import io.moneytrail.reconciliation.StoreOrder;
import io.moneytrail.reconciliation.StoreOrderStatus;
import io.moneytrail.reconciliation.Tolerances;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-made cases: each discrepancy class found exactly once and classified correctly; each rule explained. */
class ReconciliationEngineTest {

    private static final Instant T0 = Instant.parse("2026-05-04T09:00:00Z");
    private static final FeeTariff TARIFF = FeeTariff.parse("1.5%+0.25");

    private final List<String> matches = new ArrayList<>();
    private final ReconciliationEngine engine = new ReconciliationEngine(Tolerances.DEFAULTS, TARIFF, false,
            (leg, rule, ours, theirs) -> matches.add(leg.wireName() + " " + rule.wireName() + " " + ours + " " + theirs));
    private int line = 1;

    // ---- builders ----

    private void order(String id, String status, long total, long paid, long refunded, String reference) {
        assertThat(engine.order(new StoreOrder(id, T0, StoreOrderStatus.parse(status).orElseThrow(), "EUR", total, paid,
                refunded, reference, ++line))).isNull();
    }

    /** An order whose export records {@code chargedBack} taken back in disputes (net of reversals). */
    private void orderChargedBack(String id, String status, long total, long paid, long refunded, long chargedBack,
                                  String reference) {
        assertThat(engine.order(new StoreOrder(id, T0, StoreOrderStatus.parse(status).orElseThrow(), "EUR", total, paid,
                refunded, chargedBack, reference, ++line))).isNull();
    }

    private void charge(String chargeId, String intent, String orderRef, long amount, String currency, String payout) {
        long fee = TARIFF.expectedFeeMinor(amount, 2);
        engine.providerRow(new ProviderRow(ProviderRowKind.CHARGE, chargeId, intent, chargeId, orderRef, amount, fee,
                amount - fee, currency, T0.plusSeconds(60), payout, ++line));
    }

    private void charge(String chargeId, String intent, long amount) {
        charge(chargeId, intent, null, amount, "EUR", null);
    }

    private void row(ProviderRowKind kind, String id, String intent, String chargeId, long amount, long fee, String payout) {
        engine.providerRow(new ProviderRow(kind, id, intent, chargeId, null, amount, fee, amount - fee, "EUR",
                T0.plusSeconds(3_600), payout, ++line));
    }

    private void payout(String id, long amount, LocalDate created) {
        engine.providerRow(new ProviderRow(ProviderRowKind.PAYOUT, id, null, null, null, -amount, 0, -amount, "EUR",
                created.atStartOfDay().toInstant(java.time.ZoneOffset.UTC), id, ++line));
    }

    private void bank(String ref, long amount, LocalDate booked, String details, int batch) {
        engine.bankEntry(new BankEntry(ref, Math.abs(amount), "EUR", amount > 0, booked, booked, details, batch, false, ++line));
    }

    private static List<DiscrepancyClass> classes(ReconciliationResult result) {
        return result.discrepancies().stream().map(Discrepancy::kind).toList();
    }

    private ReconciliationResult finish() {
        return engine.finish(null);
    }

    // ---- the clean case and the rules ----

    @Test
    void a_consistent_set_has_no_discrepancy_and_every_match_names_its_rule() {
        order("A-1", "paid", 2_500, 2_500, 0, "pi_1");
        order("A-2", "partially_refunded", 1_000, 1_000, 400, "pi_2");
        order("A-3", "pending", 700, 0, 0, null);
        order("A-4", "cancelled", 900, 0, 0, null);
        order("A-5", "paid", 1_200, 1_200, 0, null);
        order("A-6", "fulfilled", 3_000, 3_000, 0, null);
        charge("ch_1", "pi_1", 2_500);
        charge("ch_2", "pi_2", 1_000);
        row(ProviderRowKind.REFUND, "re_2", null, "ch_2", -400, 0, null);
        charge("ch_5", null, "A-5", 1_200, "EUR", null);
        charge("ch_6", null, null, 3_000, "EUR", null);
        ReconciliationResult result = finish();
        assertThat(classes(result)).isEmpty();
        assertThat(result.matchedShare()).isEqualTo(1.0);
        assertThat(matches).containsExactly(
                "provider provider_payment_reference A-1 ch_1",
                "provider provider_payment_reference A-2 ch_2",
                "provider order_reference A-5 ch_5",
                "provider amount_currency_date A-6 ch_6",
                "provider provider_payment_reference A-2 re_2");
        assertThat(result.counts()).containsEntry("orders_unpaid", 2L).containsEntry("orders_clean", 4L);
    }

    @Test
    void payouts_match_by_reference_by_amount_and_date_and_batched() {
        payout("po_1", 10_000, LocalDate.of(2026, 5, 4));
        payout("po_2", 20_000, LocalDate.of(2026, 5, 4));
        payout("po_3", 5_000, LocalDate.of(2026, 5, 5));
        payout("po_4", 7_000, LocalDate.of(2026, 5, 5));
        bank("B1", 10_000, LocalDate.of(2026, 5, 5), "STRIPE PAYOUT po_1", 1);
        bank("B2", 20_000, LocalDate.of(2026, 5, 6), "STRIPE", 1);
        bank("B3", 12_000, LocalDate.of(2026, 5, 6), "STRIPE PAYOUTS", 2);
        bank("B4", -50_000, LocalDate.of(2026, 5, 6), "Office rent", 1);
        ReconciliationResult result = finish();
        assertThat(classes(result)).isEmpty();
        assertThat(matches).containsExactly("bank payout_reference po_1 B1", "bank payout_amount_date po_2 B2",
                "bank batched_payouts po_3 B3", "bank batched_payouts po_4 B3");
        assertThat(result.counts()).containsEntry("payouts_matched", 4L).containsEntry("bank_entries_unrelated", 1L);
    }

    // ---- one case per discrepancy class ----

    @Test
    void charged_unknown_to_us() {
        order("A-1", "paid", 2_500, 2_500, 0, "pi_1");
        charge("ch_1", "pi_1", 2_500);
        charge("ch_x", "pi_x", null, 4_321, "EUR", null);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.CHARGED_UNKNOWN_TO_US);
        Discrepancy d = result.discrepancies().get(0);
        assertThat(d.orderId()).isNull();
        assertThat(d.providerPaymentId()).isEqualTo("pi_x");
        assertThat(d.providerChargeId()).isEqualTo("ch_x");
        assertThat(d.theirsMinor()).isEqualTo(4_321);
        assertThat(d.rule()).isEqualTo("unmatched");
    }

    @Test
    void two_candidate_orders_for_an_unreferenced_charge_are_not_guessed() {
        order("A-1", "paid", 2_500, 2_500, 0, null);
        order("A-2", "paid", 2_500, 2_500, 0, null);
        charge("ch_1", null, 2_500);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.CHARGED_UNKNOWN_TO_US,
                DiscrepancyClass.PAID_ORDER_WITHOUT_PROVIDER_RECORD, DiscrepancyClass.PAID_ORDER_WITHOUT_PROVIDER_RECORD);
        assertThat(result.discrepancies().get(0).explanation()).contains("2 orders of that amount");
    }

    @Test
    void duplicate_charge() {
        order("A-1", "paid", 2_500, 2_500, 0, "pi_1");
        charge("ch_1", "pi_1", 2_500);
        charge("ch_1b", "pi_1", 2_500);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.DUPLICATE_CHARGE);
        Discrepancy d = result.discrepancies().get(0);
        assertThat(d.orderId()).isEqualTo("A-1");
        assertThat(d.providerChargeId()).isEqualTo("ch_1b");
        assertThat(d.oursMinor()).isEqualTo(2_500);
        assertThat(d.theirsMinor()).isEqualTo(5_000);
        assertThat(d.rule()).isEqualTo(MatchRule.PROVIDER_PAYMENT_REFERENCE.wireName());
    }

    @Test
    void the_same_charge_listed_twice_is_a_row_problem_not_a_duplicate() {
        order("A-1", "paid", 2_500, 2_500, 0, "pi_1");
        charge("ch_1", "pi_1", 2_500);
        String problem = engine.providerRow(new ProviderRow(ProviderRowKind.CHARGE, "ch_1", "pi_1", "ch_1", null, 2_500,
                63, 2_437, "EUR", T0, null, 99));
        assertThat(problem).contains("charge ch_1 appears twice");
        assertThat(classes(finish())).isEmpty();
    }

    @Test
    void captured_on_cancelled_order() {
        order("A-1", "cancelled", 2_500, 2_500, 0, "pi_1");
        charge("ch_1", "pi_1", 2_500);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.CAPTURED_ON_CANCELLED_ORDER);
        assertThat(result.discrepancies().get(0).theirsMinor()).isEqualTo(2_500);
    }

    @Test
    void a_cancelled_order_refunded_in_full_is_fine() {
        order("A-1", "cancelled", 2_500, 2_500, 2_500, "pi_1");
        charge("ch_1", "pi_1", 2_500);
        row(ProviderRowKind.REFUND, "re_1", "pi_1", "ch_1", -2_500, 0, null);
        assertThat(classes(finish())).isEmpty();
    }

    @Test
    void refund_at_provider_not_recorded() {
        order("A-1", "paid", 2_500, 2_500, 0, "pi_1");
        charge("ch_1", "pi_1", 2_500);
        row(ProviderRowKind.REFUND, "re_1", "pi_1", "ch_1", -2_500, 0, null);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.REFUND_AT_PROVIDER_NOT_RECORDED);
        Discrepancy d = result.discrepancies().get(0);
        assertThat(d.providerRefundId()).isEqualTo("re_1");
        assertThat(d.oursMinor()).isZero();
        assertThat(d.theirsMinor()).isEqualTo(2_500);
    }

    @Test
    void a_failed_refund_cancels_its_refund() {
        order("A-1", "paid", 2_500, 2_500, 0, "pi_1");
        charge("ch_1", "pi_1", 2_500);
        row(ProviderRowKind.REFUND, "re_1", "pi_1", "ch_1", -1_000, 0, null);
        row(ProviderRowKind.REFUND_FAILURE, "rf_1", "pi_1", "ch_1", 1_000, 0, null);
        assertThat(classes(finish())).isEmpty();
    }

    @Test
    void chargeback_not_recorded_unless_reversed() {
        order("A-1", "paid", 2_500, 2_500, 0, "pi_1");
        order("A-2", "paid", 3_000, 3_000, 0, "pi_2");
        charge("ch_1", "pi_1", 2_500);
        charge("ch_2", "pi_2", 3_000);
        row(ProviderRowKind.DISPUTE, "dp_1", null, "ch_1", -2_500, 1_500, null);
        row(ProviderRowKind.DISPUTE, "dp_2", null, "ch_2", -3_000, 1_500, null);
        row(ProviderRowKind.DISPUTE_REVERSAL, "dr_2", null, "ch_2", 3_000, 0, null);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.CHARGEBACK_NOT_RECORDED);
        assertThat(result.discrepancies().get(0).orderId()).isEqualTo("A-1");
        assertThat(result.discrepancies().get(0).explanation()).contains("dp_1").contains("does not show it");
        assertThat(result.discrepancies().get(0).oursMinor()).isEqualTo(0L);
        assertThat(result.discrepancies().get(0).theirsMinor()).isEqualTo(2_500L);
    }

    @Test
    void a_lost_dispute_the_order_records_is_no_discrepancy_and_the_paid_order_stays_clean() {
        // a lost dispute leaves the order paid (nothing refunded) but the money gone: recorded, it explains itself
        orderChargedBack("A-1", "paid", 2_500, 2_500, 0, 2_500, "pi_1");
        // won: the chargeback and its reversal net to nothing on both sides
        orderChargedBack("A-2", "fulfilled", 3_000, 3_000, 0, 0, "pi_2");
        // part of the order disputed and lost, after a partial refund
        orderChargedBack("A-3", "partially_refunded", 4_000, 4_000, 1_000, 1_500, "pi_3");
        charge("ch_1", "pi_1", 2_500);
        charge("ch_2", "pi_2", 3_000);
        charge("ch_3", "pi_3", 4_000);
        row(ProviderRowKind.DISPUTE, "dp_1", null, "ch_1", -2_500, 1_500, null);
        row(ProviderRowKind.DISPUTE, "dp_2", null, "ch_2", -3_000, 1_500, null);
        row(ProviderRowKind.DISPUTE_REVERSAL, "dr_2", null, "ch_2", 3_000, 0, null);
        row(ProviderRowKind.REFUND, "re_3", "pi_3", "ch_3", -1_000, 0, null);
        row(ProviderRowKind.DISPUTE, "dp_3", "pi_3", "ch_3", -1_500, 1_500, null);
        ReconciliationResult result = finish();
        assertThat(classes(result)).isEmpty();
        assertThat(result.counts()).containsEntry("chargebacks_recorded", 2L).containsEntry("orders_clean", 3L);
        assertThat(result.totals().get("orders").get("EUR")).containsEntry("amount_charged_back", 4_000L);
    }

    @Test
    void a_cancelled_order_whose_recorded_chargeback_took_its_money_is_no_discrepancy() {
        // cancelled after the charge, then disputed and lost: neither the provider nor the order holds money
        orderChargedBack("A-1", "cancelled", 2_500, 2_500, 0, 2_500, "pi_1");
        charge("ch_1", "pi_1", 2_500);
        row(ProviderRowKind.DISPUTE, "dp_1", null, "ch_1", -2_500, 1_500, null);
        ReconciliationResult result = finish();
        assertThat(classes(result)).isEmpty();
        assertThat(result.counts()).containsEntry("chargebacks_recorded", 1L);
    }

    @Test
    void a_chargeback_recorded_for_less_than_the_dispute_is_not_recorded_naming_both_amounts() {
        orderChargedBack("A-1", "paid", 2_500, 2_500, 0, 1_000, "pi_1");
        charge("ch_1", "pi_1", 2_500);
        row(ProviderRowKind.DISPUTE, "dp_1", null, "ch_1", -2_500, 1_500, null);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.CHARGEBACK_NOT_RECORDED);
        Discrepancy d = result.discrepancies().get(0);
        assertThat(d.orderId()).isEqualTo("A-1");
        assertThat(d.oursMinor()).isEqualTo(1_000L);
        assertThat(d.theirsMinor()).isEqualTo(2_500L);
        assertThat(d.explanation()).contains("dp_1").contains("25.00").contains("10.00").contains("records only");
        assertThat(result.counts()).doesNotContainKey("chargebacks_recorded");
    }

    @Test
    void a_chargeback_recorded_for_more_than_the_provider_disputed_names_it_precisely() {
        // recorded lost, but the provider reinstated it (the reversal not recorded)
        orderChargedBack("A-1", "paid", 2_500, 2_500, 0, 2_500, "pi_1");
        // recorded, but the report shows no dispute at all (one after the report's period, or one the provider never took)
        orderChargedBack("A-2", "paid", 3_000, 3_000, 0, 3_000, "pi_2");
        charge("ch_1", "pi_1", 2_500);
        charge("ch_2", "pi_2", 3_000);
        row(ProviderRowKind.DISPUTE, "dp_1", null, "ch_1", -2_500, 1_500, null);
        row(ProviderRowKind.DISPUTE_REVERSAL, "dr_1", null, "ch_1", 2_500, 0, null);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.CHARGEBACK_NOT_RECORDED,
                DiscrepancyClass.CHARGEBACK_NOT_RECORDED);
        Discrepancy reinstated = result.discrepancies().get(0);
        assertThat(reinstated.orderId()).isEqualTo("A-1");
        assertThat(reinstated.oursMinor()).isEqualTo(2_500L);
        assertThat(reinstated.theirsMinor()).isEqualTo(0L);
        assertThat(reinstated.explanation()).contains("records 25.00").contains("0.00").contains("dp_1")
                .contains("records more than the provider took");
        Discrepancy none = result.discrepancies().get(1);
        assertThat(none.orderId()).isEqualTo("A-2");
        assertThat(none.oursMinor()).isEqualTo(3_000L);
        assertThat(none.theirsMinor()).isEqualTo(0L);
        assertThat(none.explanation()).contains("records 30.00").contains("records more than the provider took");
    }

    @Test
    void payout_not_received() {
        payout("po_1", 10_000, LocalDate.of(2026, 5, 1));
        payout("po_2", 20_000, LocalDate.of(2026, 5, 9));
        bank("B1", 3_000, LocalDate.of(2026, 5, 10), "Invoice 17", 1);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.PAYOUT_NOT_RECEIVED,
                DiscrepancyClass.BANK_CREDIT_UNEXPLAINED);
        assertThat(result.discrepancies().get(0).payoutId()).isEqualTo("po_1");
        assertThat(result.counts()).containsEntry("payouts_in_transit", 1L);
    }

    @Test
    void payout_net_differs_from_transactions() {
        order("A-1", "paid", 10_000, 10_000, 0, "pi_1");
        charge("ch_1", "pi_1", null, 10_000, "EUR", "po_1");
        payout("po_1", 10_000, LocalDate.of(2026, 5, 6));
        bank("B1", 10_000, LocalDate.of(2026, 5, 7), "STRIPE po_1", 1);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.PAYOUT_NET_DIFFERS_FROM_TRANSACTIONS);
        Discrepancy d = result.discrepancies().get(0);
        assertThat(d.payoutId()).isEqualTo("po_1");
        assertThat(d.oursMinor()).isEqualTo(10_000 - TARIFF.expectedFeeMinor(10_000, 2));
        assertThat(d.theirsMinor()).isEqualTo(10_000);
    }

    @Test
    void a_partial_capture_the_order_records_is_explained_but_a_charge_beyond_it_is_a_mismatch() {
        order("A-1", "partially_paid", 10_000, 4_000, 0, "pi_1");
        charge("ch_1", "pi_1", 4_000);
        order("A-2", "partially_paid", 10_000, 4_000, 0, "pi_2");
        charge("ch_2", "pi_2", 6_000);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.AMOUNT_MISMATCH);
        assertThat(result.discrepancies().get(0).orderId()).isEqualTo("A-2");
        assertThat(result.counts()).containsEntry("orders_partially_captured", 1L);
    }

    @Test
    void amount_mismatch_at_provider_and_between_payout_and_bank() {
        order("A-1", "paid", 2_500, 2_500, 0, "pi_1");
        charge("ch_1", "pi_1", 2_600);
        payout("po_1", 10_000, LocalDate.of(2026, 5, 6));
        bank("B1", 9_990, LocalDate.of(2026, 5, 7), "STRIPE PAYOUT po_1", 1);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.AMOUNT_MISMATCH, DiscrepancyClass.AMOUNT_MISMATCH);
        assertThat(result.discrepancies().get(0).differenceMinor()).isEqualTo(100);
        assertThat(result.discrepancies().get(1).bankRef()).isEqualTo("B1");
        assertThat(result.discrepancies().get(1).rule()).isEqualTo("payout_reference");
    }

    @Test
    void currency_mismatch() {
        order("A-1", "paid", 2_500, 2_500, 0, "pi_1");
        charge("ch_1", "pi_1", null, 2_500, "USD", null);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.CURRENCY_MISMATCH);
        assertThat(result.discrepancies().get(0).theirsCurrency()).isEqualTo("USD");
        assertThat(result.discrepancies().get(0).differenceMinor()).isNull();
    }

    @Test
    void paid_order_without_provider_record() {
        order("A-1", "paid", 2_500, 2_500, 0, "pi_1");
        order("A-2", "paid", 1_000, 1_000, 0, "pi_2");
        charge("ch_2", "pi_2", 1_000);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.PAID_ORDER_WITHOUT_PROVIDER_RECORD);
        assertThat(result.discrepancies().get(0).orderId()).isEqualTo("A-1");
        assertThat(result.discrepancies().get(0).providerPaymentId()).isEqualTo("pi_1");
    }

    @Test
    void refund_recorded_not_at_provider() {
        order("A-1", "partially_refunded", 2_500, 2_500, 500, "pi_1");
        charge("ch_1", "pi_1", 2_500);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.REFUND_RECORDED_NOT_AT_PROVIDER);
        assertThat(result.discrepancies().get(0).oursMinor()).isEqualTo(500);
        assertThat(result.discrepancies().get(0).theirsMinor()).isZero();
    }

    @Test
    void bank_credit_without_payout_and_other_credits_are_reported_as_unexplained() {
        payout("po_1", 10_000, LocalDate.of(2026, 5, 6));
        bank("B1", 10_000, LocalDate.of(2026, 5, 7), "STRIPE PAYOUT po_1", 1);
        bank("B2", 333, LocalDate.of(2026, 5, 7), "STRIPE TRANSFER", 1);
        bank("B3", 4_990, LocalDate.of(2026, 5, 7), "Invoice 118 ACME", 1);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.BANK_CREDIT_WITHOUT_PAYOUT,
                DiscrepancyClass.BANK_CREDIT_UNEXPLAINED);
        assertThat(result.discrepancies().get(0).bankRef()).isEqualTo("B2");
        assertThat(result.discrepancies().get(1).bankRef()).isEqualTo("B3");
        assertThat(result.discrepancies().get(1).kind().severity()).isEqualTo(io.moneytrail.reconciliation.Severity.LOW);
        assertThat(result.counts()).containsEntry("bank_entries_unrelated", 0L).containsEntry("bank_entries_reported", 2L);
    }

    @Test
    void status_mismatch() {
        order("A-1", "pending", 2_500, 0, 0, "pi_1");
        charge("ch_1", "pi_1", 2_500);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.STATUS_MISMATCH);
        assertThat(result.discrepancies().get(0).explanation()).contains("order says pending").contains(": paid");
    }

    @Test
    void ledger_disagrees_with_derived_status() {
        order("A-1", "paid", 2_500, 0, 0, "pi_1");
        charge("ch_1", "pi_1", 2_500);
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.LEDGER_DISAGREES_WITH_DERIVED_STATUS);
        assertThat(result.discrepancies().get(0).kind().leg()).isEqualTo(Leg.INTERNAL);
    }

    @Test
    void fee_differs_from_tariff() {
        order("A-1", "paid", 10_000, 10_000, 0, "pi_1");
        engine.providerRow(new ProviderRow(ProviderRowKind.CHARGE, "ch_1", "pi_1", "ch_1", null, 10_000, 300, 9_700,
                "EUR", T0.plusSeconds(60), null, 5));
        ReconciliationResult result = finish();
        assertThat(classes(result)).containsExactly(DiscrepancyClass.FEE_DIFFERS_FROM_TARIFF);
        Discrepancy d = result.discrepancies().get(0);
        assertThat(d.oursMinor()).as("1.5% of 100.00 + 0.25").isEqualTo(175);
        assertThat(d.theirsMinor()).isEqualTo(300);
        assertThat(d.orderId()).isEqualTo("A-1");
    }

    @Test
    void discrepancies_come_out_most_severe_first() {
        order("A-1", "paid", 2_500, 0, 0, "pi_1");
        charge("ch_1", "pi_1", 2_500);
        charge("ch_x", "pi_x", 1_111);
        List<DiscrepancyClass> found = classes(finish());
        assertThat(found).containsExactly(DiscrepancyClass.CHARGED_UNKNOWN_TO_US,
                DiscrepancyClass.LEDGER_DISAGREES_WITH_DERIVED_STATUS);
    }

    @Test
    void a_repeated_order_id_is_a_problem_and_the_first_row_stands() {
        order("A-1", "paid", 2_500, 2_500, 0, "pi_1");
        String problem = engine.order(new StoreOrder("A-1", T0, StoreOrderStatus.PAID, "EUR", 1, 1, 0, "pi_9", 7));
        assertThat(problem).contains("order A-1 appears twice");
    }
}
