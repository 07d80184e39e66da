package io.moneytrail.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.money.Money;
import io.moneytrail.order.Order;
import io.moneytrail.order.OrderLine;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.payment.RefundLine;
import io.moneytrail.testing.JsonText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every receipt rule, with the exact body we send to ATOL Online v5 (src/test/resources/fiscal/atol,
 * written to ATOL's documented request shape; see README.md there for the page each follows).
 * Bodies are compared byte for byte, whitespace between tokens aside.
 */
class AtolRequestBodiesTest {

    static final FiscalCompany SELLER = new FiscalCompany("5544332219", "osn", "https://shop.example.com",
            "noreply@shop.example.com");
    static final LocalDateTime AT = LocalDateTime.parse("2026-12-01T23:05:00");

    static final OrderLine KETTLE = new OrderLine("KETTLE", "Чайник электрический", 1, 122000, 22, 122000, 22000,
            OrderLine.GOODS, 0);
    static final OrderLine CUPS = new OrderLine("CUP", "Чашка", 2, 30500, 22, 61000, 11000, OrderLine.GOODS, 0);
    static final OrderLine DELIVERY = new OrderLine("DELIVERY", "Доставка", 1, 35000, 22, 35000, 6311,
            OrderLine.SERVICE, 0);
    static final OrderLine BOOK = new OrderLine("BOOK", "Книга", 1, 55000, 10, 55000, 5000, OrderLine.GOODS, 0);
    static final OrderLine OLD_KETTLE = new OrderLine("KETTLE-2025", "Чайник (продажа 2025 года)", 1, 120000, 20,
            120000, 20000, OrderLine.GOODS, 0);

    static Order order(OrderLine... lines) {
        long total = 0;
        for (OrderLine line : lines) {
            total += line.amountTotal();
        }
        return new Order("ord_01kbtestfiscal0000000000", "A-1001", Money.of(total, "RUB"), 0, OrderStatus.OPEN,
                "buyer@example.com", "+79990000000", Map.of(), List.of(lines), null, Instant.EPOCH);
    }

    static Receipt stored(ReceiptDraft draft, String id) {
        Map<String, Object> data = new LinkedHashMap<>(draft.data());
        if (draft.paymentType() != ReceiptRules.PAYMENT_ELECTRONIC) {
            data.put("payment_type", draft.paymentType());
        }
        return new Receipt(id, "ord_01kbtestfiscal0000000000", "pay_x", null, draft.type(), draft.paymentMethod(),
                draft.purpose(), ReceiptStatus.PENDING, draft.total(), "RUB", draft.items(), draft.vats(), "atol", id,
                null, null, null, data, null, 0, Instant.EPOCH, Instant.EPOCH);
    }

    static String body(ReceiptDraft draft, String id) {
        return AtolBodies.text(AtolBodies.of(stored(draft, id), SELLER, AT));
    }

    static void assertBody(String file, String actual) throws IOException {
        try (InputStream in = AtolRequestBodiesTest.class.getResourceAsStream("/fiscal/atol/" + file)) {
            if (in == null) {
                Path written = Path.of("target", "atol-" + file);
                Files.writeString(written, actual);
                throw new AssertionError("no expected body " + file + "; ours is in " + written);
            }
            String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(JsonText.compact(actual)).as(file).isEqualTo(JsonText.compact(expected));
        }
    }

    @Test
    void money_arriving_before_fulfilment_is_a_full_prepayment_sell_receipt_with_calculated_vat() throws IOException {
        Order order = order(KETTLE, DELIVERY);
        ReceiptDraft draft = ReceiptRules.capture(order, 157000, FiscalMode.PREPAYMENT, "osn");
        assertThat(draft.purpose()).isEqualTo(ReceiptPurpose.PREPAYMENT);
        assertBody("sell-prepayment.json", body(draft, "rct_01kbprepayment00000000000"));
    }

    @Test
    void fulfilment_offsets_the_advance_with_a_full_payment_receipt_paid_by_type_2() throws IOException {
        Order order = order(KETTLE, DELIVERY);
        ReceiptDraft draft = ReceiptRules.offset(order, 157000, List.of(), "osn");
        assertThat(draft.paymentType()).isEqualTo(2);
        assertBody("sell-offset.json", body(draft, "rct_01kboffset000000000000000"));
    }

    @Test
    void a_store_that_ships_at_once_issues_one_full_payment_receipt_at_capture() throws IOException {
        Order order = order(KETTLE, BOOK);
        ReceiptDraft draft = ReceiptRules.capture(order, 177000, FiscalMode.FULL_PAYMENT, "osn");
        assertThat(draft.purpose()).isEqualTo(ReceiptPurpose.FULL_PAYMENT);
        assertBody("sell-full-payment.json", body(draft, "rct_01kbfullpayment0000000000"));
    }

    @Test
    void a_twenty_percent_line_keeps_vat20_and_vat120_next_to_the_2026_rates() throws IOException {
        Order order = order(OLD_KETTLE, BOOK);
        assertBody("sell-prepayment-vat20.json",
                body(ReceiptRules.capture(order, 175000, FiscalMode.PREPAYMENT, "osn"), "rct_01kbvat20prepay000000000"));
        assertBody("sell-refund-after-fulfilment-vat20.json", body(ReceiptRules.refund(order, 120000,
                List.of(new RefundLine("KETTLE-2025", 1)), true, FiscalMode.PREPAYMENT, "osn"),
                "rct_01kbvat20refund000000000"));
    }

    @Test
    void a_refund_before_fulfilment_names_its_lines_and_mirrors_the_advance() throws IOException {
        Order order = order(KETTLE, CUPS);
        ReceiptDraft draft = ReceiptRules.refund(order, 30500, List.of(new RefundLine("CUP", 1)), false,
                FiscalMode.PREPAYMENT, "osn");
        assertThat(draft.paymentMethod()).isEqualTo(ReceiptPaymentMethod.FULL_PREPAYMENT);
        assertThat(draft.data()).containsEntry("allocation", "lines");
        assertBody("sell-refund-before-fulfilment.json", body(draft, "rct_01kbrefundbefore000000000"));
    }

    @Test
    void a_refund_after_fulfilment_without_lines_is_allocated_in_proportion_and_says_so() throws IOException {
        Order order = order(KETTLE, CUPS);
        ReceiptDraft draft = ReceiptRules.refund(order, 50000, null, true, FiscalMode.PREPAYMENT, "osn");
        assertThat(draft.paymentMethod()).isEqualTo(ReceiptPaymentMethod.FULL_PAYMENT);
        assertThat(draft.data()).containsEntry("allocation", "proportional").containsEntry("allocation_basis", 183000L);
        assertThat(draft.items()).extracting(ReceiptItem::sum).containsExactly(33333L, 16667L);
        assertThat(draft.total()).isEqualTo(50000);
        assertBody("sell-refund-after-fulfilment-proportional.json", body(draft, "rct_01kbrefundafter0000000000"));
    }

    @Test
    void the_offset_leaves_out_lines_a_refund_returned_before_fulfilment() {
        Order order = order(KETTLE, CUPS);
        ReceiptDraft draft = ReceiptRules.offset(order, 152500, List.of(new RefundLine("CUP", 1)), "osn");
        assertThat(draft.items()).extracting(ReceiptItem::sku, ReceiptItem::quantity, ReceiptItem::sum)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("KETTLE", 1L, 122000L),
                        org.assertj.core.groups.Tuple.tuple("CUP", 1L, 30500L));
        assertThat(draft.data()).doesNotContainKey("allocation");
    }

    @Test
    void simplified_tax_vat_payers_use_vat5_and_vat7_and_their_calculated_rates() {
        assertThat(ReceiptRules.vatCode(5, false, "usn_income")).isEqualTo("vat5");
        assertThat(ReceiptRules.vatCode(5, true, "usn_income")).isEqualTo("vat105");
        assertThat(ReceiptRules.vatCode(7, true, "usn_income_outcome")).isEqualTo("vat107");
        assertThat(ReceiptRules.vatCode(10, true, "osn")).isEqualTo("vat110");
        assertThat(ReceiptRules.vatCode(0, true, "osn")).isEqualTo("vat0");
        assertThat(ReceiptRules.vatCode(null, true, "osn")).isEqualTo("none");
        assertThat(ReceiptRules.vatCode(22, false, "patent")).isEqualTo("none");
        assertThat(ReceiptRules.vatCode(22, true, "osn")).isEqualTo("vat122");
        assertThat(ReceiptRules.vatCode(20, true, "osn")).isEqualTo("vat120");
    }

    @Test
    void a_correction_of_a_failed_receipt_carries_correction_info_and_the_same_items() throws IOException {
        Order order = order(KETTLE, DELIVERY);
        Receipt failed = stored(ReceiptRules.capture(order, 157000, FiscalMode.PREPAYMENT, "osn"),
                "rct_01kbfailed000000000000000");
        Receipt correction = stored(ReceiptActions.correction(failed, "self", java.time.LocalDate.parse("2026-12-01"),
                null), "rct_01kbcorrection00000000000");
        assertThat(correction.type()).isEqualTo(ReceiptType.SELL_CORRECTION);
        assertBody("sell-correction.json", AtolBodies.text(AtolBodies.of(correction, SELLER, AT)));
    }
}
