package io.moneytrail.reconrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.fiscal.Receipt;
import io.moneytrail.fiscal.ReceiptError;
import io.moneytrail.fiscal.ReceiptItem;
import io.moneytrail.fiscal.ReceiptPaymentMethod;
import io.moneytrail.fiscal.ReceiptPurpose;
import io.moneytrail.fiscal.ReceiptStatus;
import io.moneytrail.fiscal.ReceiptType;
import io.moneytrail.order.OrderSummaries.Fulfilment;
import io.moneytrail.payment.PaymentFacts.MoneyMovement;
import io.moneytrail.reconciliation.Discrepancy;
import io.moneytrail.reconciliation.DiscrepancyClass;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rules of receipt reconciliation, class by class, over money facts and receipts built here
 * (the order of the examples: 1,220.00 RUB of goods and 300.00 RUB of delivery at 22 %, paid in
 * advance: a prepayment receipt at vat122, 274.10 of VAT; the offset at vat22 at handover).
 */
class ReceiptReconciliationTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Instant OLD = NOW.minus(Duration.ofHours(2));
    private static final Instant IN_FLIGHT_BEFORE = NOW.minus(Duration.ofMinutes(15));
    private static final String ORDER = "ord_1";
    private static final String PAYMENT = "pay_1";
    private static final long TOTAL = 152_000;

    private static MoneyMovement capture(String id, long amount, Instant at) {
        return new MoneyMovement(id, ORDER, PAYMENT, null, "capture", amount, "RUB", at);
    }

    private static MoneyMovement refund(String refundId, long amount, Instant at) {
        return new MoneyMovement("ptx_" + refundId, ORDER, PAYMENT, refundId, "refund", amount, "RUB", at);
    }

    private static List<ReceiptItem> lines(String vat, long goods, long delivery, long goodsVat, long deliveryVat) {
        return List.of(new ReceiptItem("Чайник", "SKU-1", goods, 1, goods, vat, goodsVat, 1, 0),
                new ReceiptItem("Доставка", "SHIP", delivery, 1, delivery, vat, deliveryVat, 4, 0));
    }

    private static Receipt receipt(String id, ReceiptType type, ReceiptPaymentMethod method, ReceiptPurpose purpose,
                                   ReceiptStatus status, long total, List<ReceiptItem> items, Map<String, Long> vats,
                                   String paymentId, String refundId, String correctsId, ReceiptError error) {
        return new Receipt(id, ORDER, paymentId, refundId, type, method, purpose, status, total, "RUB", items, vats,
                "atol", id, status == ReceiptStatus.PENDING ? null : "uuid-" + id, null, error, Map.of(), correctsId, 1,
                OLD, OLD);
    }

    /** The advance of the whole order: right in every way. */
    private static Receipt prepayment(String id, ReceiptStatus status) {
        return receipt(id, ReceiptType.SELL, ReceiptPaymentMethod.FULL_PREPAYMENT, ReceiptPurpose.PREPAYMENT, status,
                TOTAL, lines("vat122", 122_000, 30_000, 22_000, 5_410), Map.of("vat122", 27_410L), PAYMENT, null, null,
                status == ReceiptStatus.FAILED ? new ReceiptError(-3897, "Чек оплачен не полностью", "driver") : null);
    }

    private static ReceiptReconciliation.Outcome captures(List<MoneyMovement> movements, List<Receipt> receipts) {
        return ReceiptReconciliation.check(movements, Set.of(PAYMENT), Set.of(), List.of(), receipts, IN_FLIGHT_BEFORE);
    }

    private static Discrepancy only(ReceiptReconciliation.Outcome outcome, DiscrepancyClass kind) {
        assertThat(outcome.discrepancies()).extracting(Discrepancy::kind).containsExactly(kind);
        Discrepancy d = outcome.discrepancies().get(0);
        assertThat(d.orderId()).isEqualTo(ORDER);
        assertThat(d.currency()).isEqualTo("RUB");
        assertThat(d.source()).startsWith("receipts");
        return d;
    }

    @Test
    void a_capture_with_its_done_receipt_of_equal_total_and_right_vat_is_clean() {
        ReceiptReconciliation.Outcome outcome = captures(List.of(capture("ptx_1", TOTAL, OLD)),
                List.of(prepayment("rcp_1", ReceiptStatus.DONE)));
        assertThat(outcome.discrepancies()).isEmpty();
        assertThat(outcome.counts()).containsEntry("payments_checked", 1L).containsEntry("receipts_in_flight", 0L);
        // two partial captures, one receipt each: the payment's totals agree
        Receipt first = receipt("rcp_a", ReceiptType.SELL, ReceiptPaymentMethod.FULL_PREPAYMENT, ReceiptPurpose.PREPAYMENT,
                ReceiptStatus.DONE, 122_000, List.of(new ReceiptItem("Чайник", "SKU-1", 122_000, 1, 122_000, "vat122",
                        22_000, 1, 0)), Map.of("vat122", 22_000L), PAYMENT, null, null, null);
        Receipt second = receipt("rcp_b", ReceiptType.SELL, ReceiptPaymentMethod.FULL_PREPAYMENT, ReceiptPurpose.PREPAYMENT,
                ReceiptStatus.DONE, 30_000, List.of(new ReceiptItem("Доставка", "SHIP", 30_000, 1, 30_000, "vat122",
                        5_410, 4, 0)), Map.of("vat122", 5_410L), PAYMENT, null, null, null);
        assertThat(captures(List.of(capture("ptx_1", 122_000, OLD), capture("ptx_2", 30_000, OLD)),
                List.of(first, second)).discrepancies()).isEmpty();
    }

    @Test
    void receipt_missing_when_a_capture_has_no_receipt_or_one_still_pending_past_the_grace() {
        Discrepancy missing = only(captures(List.of(capture("ptx_1", TOTAL, OLD)), List.of()),
                DiscrepancyClass.RECEIPT_MISSING);
        assertThat(missing.providerPaymentId()).isEqualTo(PAYMENT);
        assertThat(missing.oursMinor()).isEqualTo(TOTAL);
        assertThat(missing.theirsMinor()).isZero();
        assertThat(missing.rule()).isEqualTo("receipt_by_payment");
        assertThat(missing.explanation()).contains("has no receipt");

        Discrepancy pending = only(captures(List.of(capture("ptx_1", TOTAL, OLD)),
                List.of(prepayment("rcp_1", ReceiptStatus.PENDING))), DiscrepancyClass.RECEIPT_MISSING);
        assertThat(pending.explanation()).contains("rcp_1 is still pending");

        // within the grace it is in flight: counted, not reported
        ReceiptReconciliation.Outcome fresh = captures(List.of(capture("ptx_1", TOTAL, NOW.minusSeconds(20))), List.of());
        assertThat(fresh.discrepancies()).isEmpty();
        assertThat(fresh.counts()).containsEntry("receipts_in_flight", 1L);
    }

    @Test
    void receipt_failed_unless_a_done_correction_settles_it() {
        Discrepancy failed = only(captures(List.of(capture("ptx_1", TOTAL, OLD)),
                List.of(prepayment("rcp_1", ReceiptStatus.FAILED))), DiscrepancyClass.RECEIPT_FAILED);
        assertThat(failed.explanation()).contains("rcp_1 failed (driver -3897: Чек оплачен не полностью)");
        assertThat(failed.source()).isEqualTo("receipts:rcp_1 (atol uuid-rcp_1)");
        assertThat(failed.oursMinor()).isEqualTo(TOTAL);
        assertThat(failed.theirsMinor()).isZero();

        Receipt correction = receipt("rcp_2", ReceiptType.SELL_CORRECTION, ReceiptPaymentMethod.FULL_PREPAYMENT,
                ReceiptPurpose.CORRECTION, ReceiptStatus.DONE, TOTAL, lines("vat122", 122_000, 30_000, 22_000, 5_410),
                Map.of("vat122", 27_410L), PAYMENT, null, "rcp_1", null);
        assertThat(captures(List.of(capture("ptx_1", TOTAL, OLD)),
                List.of(prepayment("rcp_1", ReceiptStatus.FAILED), correction)).discrepancies()).isEmpty();
    }

    @Test
    void receipt_sum_mismatch_when_the_done_receipts_add_up_to_another_total() {
        Receipt short_ = receipt("rcp_1", ReceiptType.SELL, ReceiptPaymentMethod.FULL_PREPAYMENT, ReceiptPurpose.PREPAYMENT,
                ReceiptStatus.DONE, 122_000, List.of(new ReceiptItem("Чайник", "SKU-1", 122_000, 1, 122_000, "vat122",
                        22_000, 1, 0)), Map.of("vat122", 22_000L), PAYMENT, null, null, null);
        Discrepancy d = only(captures(List.of(capture("ptx_1", TOTAL, OLD)), List.of(short_)),
                DiscrepancyClass.RECEIPT_SUM_MISMATCH);
        assertThat(d.oursMinor()).isEqualTo(TOTAL);
        assertThat(d.theirsMinor()).isEqualTo(122_000);
        assertThat(d.differenceMinor()).isEqualTo(-30_000);
    }

    @Test
    void receipt_vat_mismatch_when_the_vat_per_rate_is_not_the_lines_vat_or_the_rate_does_not_fit_the_method() {
        Receipt wrongSum = receipt("rcp_1", ReceiptType.SELL, ReceiptPaymentMethod.FULL_PREPAYMENT,
                ReceiptPurpose.PREPAYMENT, ReceiptStatus.DONE, TOTAL, lines("vat122", 122_000, 30_000, 22_000, 5_410),
                Map.of("vat122", 27_400L), PAYMENT, null, null, null);
        Discrepancy d = only(captures(List.of(capture("ptx_1", TOTAL, OLD)), List.of(wrongSum)),
                DiscrepancyClass.RECEIPT_VAT_MISMATCH);
        assertThat(d.oursMinor()).isEqualTo(27_410);
        assertThat(d.theirsMinor()).isEqualTo(27_400);
        assertThat(d.explanation()).contains("vat122: the lines' VAT is 27410, the receipt says 27400");

        // an advance at the plain rate (vat22), and VAT computed on 20 % instead of 22 %
        Receipt plainInAdvance = receipt("rcp_2", ReceiptType.SELL, ReceiptPaymentMethod.FULL_PREPAYMENT,
                ReceiptPurpose.PREPAYMENT, ReceiptStatus.DONE, TOTAL, lines("vat22", 122_000, 30_000, 22_000, 5_410),
                Map.of("vat22", 27_410L), PAYMENT, null, null, null);
        assertThat(only(captures(List.of(capture("ptx_1", TOTAL, OLD)), List.of(plainInAdvance)),
                DiscrepancyClass.RECEIPT_VAT_MISMATCH).explanation()).contains("an advance takes the calculated rate");
        Receipt twenty = receipt("rcp_3", ReceiptType.SELL, ReceiptPaymentMethod.FULL_PREPAYMENT,
                ReceiptPurpose.PREPAYMENT, ReceiptStatus.DONE, TOTAL, lines("vat122", 122_000, 30_000, 20_333, 5_000),
                Map.of("vat122", 25_333L), PAYMENT, null, null, null);
        assertThat(only(captures(List.of(capture("ptx_1", TOTAL, OLD)), List.of(twenty)),
                DiscrepancyClass.RECEIPT_VAT_MISMATCH).explanation()).contains("vat122");
        // a 20 % line of an earlier sale keeps vat120 and is right
        Receipt earlier = receipt("rcp_4", ReceiptType.SELL, ReceiptPaymentMethod.FULL_PREPAYMENT,
                ReceiptPurpose.PREPAYMENT, ReceiptStatus.DONE, 120_000, List.of(new ReceiptItem("Старый товар", "OLD",
                        120_000, 1, 120_000, "vat120", 20_000, 1, 0)), Map.of("vat120", 20_000L), PAYMENT, null, null, null);
        assertThat(captures(List.of(capture("ptx_1", 120_000, OLD)), List.of(earlier)).discrepancies()).isEmpty();
    }

    @Test
    void every_refund_has_its_sell_refund_of_equal_total() {
        Receipt refundReceipt = receipt("rcp_r", ReceiptType.SELL_REFUND, ReceiptPaymentMethod.FULL_PREPAYMENT,
                ReceiptPurpose.REFUND, ReceiptStatus.DONE, 30_000, List.of(new ReceiptItem("Доставка", "SHIP", 30_000, 1,
                        30_000, "vat122", 5_410, 4, 0)), Map.of("vat122", 5_410L), PAYMENT, "ref_1", null, null);
        List<MoneyMovement> movements = List.of(capture("ptx_1", TOTAL, OLD), refund("ref_1", 30_000, OLD));
        assertThat(ReceiptReconciliation.check(movements, Set.of(), Set.of("ref_1"), List.of(), List.of(refundReceipt),
                IN_FLIGHT_BEFORE).discrepancies()).isEmpty();

        ReceiptReconciliation.Outcome none = ReceiptReconciliation.check(movements, Set.of(), Set.of("ref_1"), List.of(),
                List.of(), IN_FLIGHT_BEFORE);
        Discrepancy missing = only(none, DiscrepancyClass.RECEIPT_MISSING);
        assertThat(missing.providerRefundId()).isEqualTo("ref_1");
        assertThat(missing.rule()).isEqualTo("receipt_by_refund");
        assertThat(none.counts()).containsEntry("refunds_checked", 1L);

        ReceiptReconciliation.Outcome larger = ReceiptReconciliation.check(List.of(capture("ptx_1", TOTAL, OLD),
                refund("ref_1", 40_000, OLD)), Set.of(), Set.of("ref_1"), List.of(), List.of(refundReceipt), IN_FLIGHT_BEFORE);
        assertThat(only(larger, DiscrepancyClass.RECEIPT_SUM_MISMATCH).oursMinor()).isEqualTo(40_000);
    }

    @Test
    void every_fulfilment_of_an_advance_has_its_offset_receipt_for_what_was_still_paid() {
        Instant fulfilled = OLD.plusSeconds(600);
        List<MoneyMovement> movements = List.of(capture("ptx_1", TOTAL, OLD), refund("ref_1", 30_000, OLD.plusSeconds(60)));
        List<Fulfilment> fulfilments = List.of(new Fulfilment(ORDER, "RUB", fulfilled));
        Receipt offset = receipt("rcp_o", ReceiptType.SELL, ReceiptPaymentMethod.FULL_PAYMENT, ReceiptPurpose.OFFSET,
                ReceiptStatus.DONE, 122_000, List.of(new ReceiptItem("Чайник", "SKU-1", 122_000, 1, 122_000, "vat22",
                        22_000, 1, 0)), Map.of("vat22", 22_000L), null, null, null, null);
        List<Receipt> receipts = new ArrayList<>(List.of(prepayment("rcp_1", ReceiptStatus.DONE)));
        ReceiptReconciliation.Outcome missing = ReceiptReconciliation.check(movements, Set.of(), Set.of(), fulfilments,
                receipts, IN_FLIGHT_BEFORE);
        Discrepancy d = only(missing, DiscrepancyClass.RECEIPT_MISSING);
        assertThat(d.rule()).isEqualTo("receipt_by_fulfilment");
        assertThat(d.oursMinor()).isEqualTo(122_000); // 1,520.00 captured less 300.00 refunded before handover
        assertThat(missing.counts()).containsEntry("fulfilments_checked", 1L);

        receipts.add(offset);
        assertThat(ReceiptReconciliation.check(movements, Set.of(), Set.of(), fulfilments, receipts, IN_FLIGHT_BEFORE)
                .discrepancies()).isEmpty();

        // the offset at the calculated rate is wrong
        Receipt calculated = receipt("rcp_o2", ReceiptType.SELL, ReceiptPaymentMethod.FULL_PAYMENT, ReceiptPurpose.OFFSET,
                ReceiptStatus.DONE, 122_000, List.of(new ReceiptItem("Чайник", "SKU-1", 122_000, 1, 122_000, "vat122",
                        22_000, 1, 0)), Map.of("vat122", 22_000L), null, null, null, null);
        assertThat(only(ReceiptReconciliation.check(movements, Set.of(), Set.of(), fulfilments,
                List.of(prepayment("rcp_1", ReceiptStatus.DONE), calculated), IN_FLIGHT_BEFORE),
                DiscrepancyClass.RECEIPT_VAT_MISMATCH).explanation()).contains("a full payment takes the plain rate");

        // a store that issues one full_payment receipt at capture owes no offset
        Receipt full = receipt("rcp_f", ReceiptType.SELL, ReceiptPaymentMethod.FULL_PAYMENT, ReceiptPurpose.FULL_PAYMENT,
                ReceiptStatus.DONE, TOTAL, lines("vat22", 122_000, 30_000, 22_000, 5_410), Map.of("vat22", 27_410L),
                PAYMENT, null, null, null);
        ReceiptReconciliation.Outcome fullMode = ReceiptReconciliation.check(List.of(capture("ptx_1", TOTAL, OLD)),
                Set.of(PAYMENT), Set.of(), fulfilments, List.of(full), IN_FLIGHT_BEFORE);
        assertThat(fullMode.discrepancies()).isEmpty();
        assertThat(fullMode.counts()).containsEntry("fulfilments_checked", 0L);
    }

    @Test
    void receipt_vat_mismatch_when_a_line_carries_another_rate_than_its_order_line() {
        // VAT computed right for 10 %, but the order's lines are at 22 %
        Receipt tenPercent = receipt("rcp_1", ReceiptType.SELL, ReceiptPaymentMethod.FULL_PREPAYMENT,
                ReceiptPurpose.PREPAYMENT, ReceiptStatus.DONE, TOTAL, lines("vat110", 122_000, 30_000, 11_091, 2_727),
                Map.of("vat110", 13_818L), PAYMENT, null, null, null);
        Map<String, Map<String, Integer>> rates = Map.of(ORDER, Map.of("SKU-1", 22, "SHIP", 22));
        ReceiptReconciliation.Outcome outcome = ReceiptReconciliation.check(List.of(capture("ptx_1", TOTAL, OLD)),
                Set.of(PAYMENT), Set.of(), List.of(), List.of(tenPercent), rates, IN_FLIGHT_BEFORE);
        assertThat(only(outcome, DiscrepancyClass.RECEIPT_VAT_MISMATCH).explanation())
                .contains("has vat110 but the order line SKU-1 is at 22 %");
        // without the order's rates the receipt is consistent in itself
        assertThat(captures(List.of(capture("ptx_1", TOTAL, OLD)), List.of(tenPercent)).discrepancies()).isEmpty();
        // the right rates, and "none" (a store outside VAT), pass
        assertThat(ReceiptReconciliation.check(List.of(capture("ptx_1", TOTAL, OLD)), Set.of(PAYMENT), Set.of(),
                List.of(), List.of(prepayment("rcp_2", ReceiptStatus.DONE)), rates, IN_FLIGHT_BEFORE).discrepancies())
                .isEmpty();
        Receipt none = receipt("rcp_3", ReceiptType.SELL, ReceiptPaymentMethod.FULL_PREPAYMENT,
                ReceiptPurpose.PREPAYMENT, ReceiptStatus.DONE, TOTAL, lines("none", 122_000, 30_000, 0, 0), Map.of(),
                PAYMENT, null, null, null);
        assertThat(ReceiptReconciliation.check(List.of(capture("ptx_1", TOTAL, OLD)), Set.of(PAYMENT), Set.of(),
                List.of(), List.of(none), rates, IN_FLIGHT_BEFORE).discrepancies()).isEmpty();
    }
}
