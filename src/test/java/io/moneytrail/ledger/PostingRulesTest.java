package io.moneytrail.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected debits and credits for every fact, with amounts and VAT. */
class PostingRulesTest {

    private static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");

    private static Map<String, Long> lines(NewEntry entry) {
        Map<String, Long> byAccount = new LinkedHashMap<>();
        for (Posting line : entry.lines()) {
            byAccount.merge(line.account(), line.amount().amountMinor(), Long::sum);
        }
        return byAccount;
    }

    @Test
    void capture_debits_the_provider_and_credits_customer_advances() {
        NewEntry entry = PostingRules.capture("txn_1", "ord_1", "sandbox", Money.of(2500, "EUR"), AT);
        assertThat(lines(entry)).containsExactly(Map.entry("assets:psp:sandbox", 2500L),
                Map.entry("liabilities:customer_advances", -2500L));
        assertThat(entry.sourceType()).isEqualTo("payment_transaction");
        assertThat(entry.sourceId()).isEqualTo("txn_1");
        assertThat(entry.orderId()).isEqualTo("ord_1");
    }

    @Test
    void fulfilment_recognises_revenue_net_of_vat_and_the_vat() {
        NewEntry entry = PostingRules.fulfilment("ord_1", Money.of(2500, "EUR"), 451, AT);
        assertThat(lines(entry)).containsExactly(Map.entry("liabilities:customer_advances", 2500L),
                Map.entry("income:sales", -2049L), Map.entry("liabilities:vat_payable", -451L));
    }

    @Test
    void fulfilment_without_vat_has_no_vat_line() {
        assertThat(lines(PostingRules.fulfilment("ord_1", Money.of(700, "JPY"), 0, AT)))
                .containsOnlyKeys("liabilities:customer_advances", "income:sales");
    }

    @Test
    void refund_before_fulfilment_gives_back_the_advance() {
        assertThat(lines(PostingRules.refundBeforeFulfilment("txn_2", "ord_1", "sandbox", Money.of(1000, "EUR"), AT)))
                .containsExactly(Map.entry("liabilities:customer_advances", 1000L), Map.entry("assets:psp:sandbox", -1000L));
    }

    @Test
    void refund_after_fulfilment_is_a_sales_return_with_its_vat_share() {
        // order 2500 with 451 VAT; refund 1000: VAT share 1000 * 451 / 2500 = 180.4 -> 180
        NewEntry entry = PostingRules.refundAfterFulfilment("txn_3", "ord_1", "sandbox", Money.of(1000, "EUR"), 0,
                PostingRules.EarlierReturns.NONE, Money.of(2500, "EUR"), 451, AT);
        assertThat(lines(entry)).containsExactly(Map.entry("income:sales_returns", 820L),
                Map.entry("liabilities:vat_payable", 180L), Map.entry("assets:psp:sandbox", -1000L));
    }

    @Test
    void refund_after_fulfilment_first_returns_an_overpayment_still_held_as_advance() {
        NewEntry entry = PostingRules.refundAfterFulfilment("txn_4", "ord_1", "sandbox", Money.of(1300, "EUR"), 300,
                PostingRules.EarlierReturns.NONE, Money.of(2500, "EUR"), 451, AT);
        // 300 from the advance, 1000 as a return with 180 VAT
        assertThat(lines(entry)).containsExactly(Map.entry("liabilities:customer_advances", 300L),
                Map.entry("income:sales_returns", 820L), Map.entry("liabilities:vat_payable", 180L),
                Map.entry("assets:psp:sandbox", -1300L));
    }

    @Test
    void a_refund_in_three_parts_takes_back_exactly_the_orders_vat() {
        // order 1000 with 167 VAT, refunded 333 + 333 + 334: per part 55.6 -> 56 three times would
        // take back 168; allocated on the cumulative return it is 56, 55, 56 = 167
        long[] parts = {333, 333, 334};
        long[] expectedVat = {56, 55, 56};
        PostingRules.EarlierReturns earlier = PostingRules.EarlierReturns.NONE;
        long vatBack = 0;
        for (int i = 0; i < parts.length; i++) {
            Map<String, Long> lines = lines(PostingRules.refundAfterFulfilment("txn_p" + i, "ord_1", "sandbox",
                    Money.of(parts[i], "EUR"), 0, earlier, Money.of(1000, "EUR"), 167, AT));
            long vat = lines.getOrDefault("liabilities:vat_payable", 0L);
            assertThat(vat).as("part %d", i + 1).isEqualTo(expectedVat[i]);
            assertThat(lines.get("income:sales_returns") + vat).isEqualTo(parts[i]);
            vatBack += vat;
            earlier = new PostingRules.EarlierReturns(earlier.grossMinor() + parts[i], earlier.vatMinor() + vat);
        }
        assertThat(vatBack).isEqualTo(167);
    }

    @Test
    void a_refund_after_an_overpayment_and_earlier_returns_never_takes_back_more_vat_than_the_order_had() {
        // 2500 with 451 VAT, 2400 already returned with 433 VAT; the last 100 plus a 50 overpayment
        Map<String, Long> lines = lines(PostingRules.refundAfterFulfilment("txn_5", "ord_1", "sandbox",
                Money.of(150, "EUR"), 50, new PostingRules.EarlierReturns(2400, 433), Money.of(2500, "EUR"), 451,
                AT));
        assertThat(lines).containsExactly(Map.entry("liabilities:customer_advances", 50L),
                Map.entry("income:sales_returns", 82L), Map.entry("liabilities:vat_payable", 18L),
                Map.entry("assets:psp:sandbox", -150L));
    }

    @Test
    void vat_share_rounds_half_up() {
        assertThat(PostingRules.vatShare(1000, 2500, 451)).isEqualTo(180);  // 180.4
        assertThat(PostingRules.vatShare(5, 10, 1)).isEqualTo(1);           // 0.5 -> 1
        assertThat(PostingRules.vatShare(2500, 2500, 451)).isEqualTo(451);  // all of it
        assertThat(PostingRules.vatShare(100, 2500, 0)).isZero();
    }

    @Test
    void fee_payout_chargeback_and_reversal() {
        assertThat(lines(PostingRules.providerFee("fee_1", "ord_1", "sandbox", Money.of(75, "EUR"), AT)))
                .containsExactly(Map.entry("expenses:psp_fees", 75L), Map.entry("assets:psp:sandbox", -75L));
        assertThat(lines(PostingRules.payout("po_1", "sandbox", "assets:bank:main", Money.of(9000, "EUR"), AT)))
                .containsExactly(Map.entry("assets:bank:main", 9000L), Map.entry("assets:psp:sandbox", -9000L));
        assertThat(lines(PostingRules.chargeback("cb_1", "ord_1", "sandbox", Money.of(2500, "EUR"), AT)))
                .containsExactly(Map.entry("expenses:chargebacks", 2500L), Map.entry("assets:psp:sandbox", -2500L));
        NewEntry reversal = PostingRules.chargebackReversal("cb_1", "je_x", "ord_1", "sandbox", Money.of(2500, "EUR"), AT);
        assertThat(lines(reversal)).containsExactly(Map.entry("assets:psp:sandbox", 2500L),
                Map.entry("expenses:chargebacks", -2500L));
        assertThat(reversal.reverses()).isEqualTo("je_x");
    }

    @Test
    void an_adjustment_keeps_who_and_why() {
        NewEntry entry = PostingRules.adjustment("adj_1", null, List.of(
                Posting.debit("expenses:adjustments", Money.of(5, "EUR")),
                Posting.credit("assets:suspense", Money.of(5, "EUR"))), "ann", "rounding difference", AT);
        assertThat(entry.actor()).isEqualTo("ann");
        assertThat(entry.reason()).isEqualTo("rounding difference");
    }

    @Test
    void unbalanced_single_line_zero_and_mixed_currency_entries_are_refused_when_built() {
        assertThatThrownBy(() -> PostingRules.adjustment("a", null, List.of(
                Posting.debit("assets:suspense", Money.of(5, "EUR")),
                Posting.credit("liabilities:suspense", Money.of(4, "EUR"))), "x", "y", AT))
                .isInstanceOf(MoneytrailException.class).extracting("code").isEqualTo("entry_unbalanced");
        assertThatThrownBy(() -> PostingRules.adjustment("a", null, List.of(
                Posting.debit("assets:suspense", Money.of(5, "EUR"))), "x", "y", AT))
                .extracting("code").isEqualTo("entry_invalid");
        assertThatThrownBy(() -> PostingRules.adjustment("a", null, List.of(
                Posting.debit("assets:suspense", Money.of(0, "EUR")),
                Posting.credit("liabilities:suspense", Money.of(0, "EUR"))), "x", "y", AT))
                .extracting("code").isEqualTo("amount_invalid");
        assertThatThrownBy(() -> PostingRules.adjustment("a", null, List.of(
                Posting.debit("assets:suspense", Money.of(5, "EUR")),
                Posting.credit("liabilities:suspense", Money.of(5, "RUB"))), "x", "y", AT))
                .extracting("code").isEqualTo("currency_mixed");
    }

    @Test
    void the_fingerprint_tells_a_repeat_from_a_conflict() {
        NewEntry a = PostingRules.capture("txn_1", "ord_1", "sandbox", Money.of(2500, "EUR"), AT);
        NewEntry same = PostingRules.capture("txn_1", "ord_1", "sandbox", Money.of(2500, "EUR"), AT);
        NewEntry other = PostingRules.capture("txn_1", "ord_1", "sandbox", Money.of(2501, "EUR"), AT);
        assertThat(a.fingerprint()).isEqualTo(same.fingerprint());
        assertThat(a.fingerprint()).isNotEqualTo(other.fingerprint());
    }
}
