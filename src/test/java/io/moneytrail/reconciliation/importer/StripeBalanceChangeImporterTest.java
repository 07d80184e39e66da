package io.moneytrail.reconciliation.importer;

import static io.moneytrail.reconciliation.importer.Fixtures.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.reconciliation.ImportLimits;
import io.moneytrail.reconciliation.Progress;
import io.moneytrail.reconciliation.ProviderRow;
import io.moneytrail.reconciliation.ProviderRowKind;
import io.moneytrail.reconciliation.UnusableInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StripeBalanceChangeImporterTest {

    private final StripeBalanceChangeImporter importer = new StripeBalanceChangeImporter(ImportLimits.DEFAULTS, "order_id");

    private Fixtures.Collected<ProviderRow> read(Path file) {
        Fixtures.Collected<ProviderRow> collected = new Fixtures.Collected<>();
        collected.summary = importer.read(file, collected, collected.problems(), Progress.NONE);
        return collected;
    }

    @Test
    void default_columns_only_are_read_with_kinds_signs_and_utc_times() {
        var c = read(path("stripe-default-columns.csv"));
        assertThat(c.problems).isEmpty();
        assertThat(c.rows).extracting(ProviderRow::kind).containsExactly(ProviderRowKind.CHARGE, ProviderRowKind.REFUND,
                ProviderRowKind.FEE, ProviderRowKind.PAYOUT, ProviderRowKind.CHARGE, ProviderRowKind.OTHER);
        ProviderRow charge = c.rows.get(0);
        assertThat(charge.providerId()).isEqualTo("ch_1A");
        assertThat(charge.chargeId()).as("a charge row's source is its charge").isEqualTo("ch_1A");
        assertThat(charge.paymentId()).isNull();
        assertThat(charge.amountMinor()).isEqualTo(2500);
        assertThat(charge.feeMinor()).isEqualTo(63);
        assertThat(charge.netMinor()).isEqualTo(2437);
        assertThat(charge.currency()).isEqualTo("EUR");
        assertThat(charge.createdAt()).as("created_utc, not the report-timezone created").isEqualTo(Instant.parse("2026-05-04T09:15:02Z"));
        assertThat(charge.line()).isEqualTo(2);
        assertThat(c.rows.get(1).amountMinor()).as("a refund leaves the balance").isEqualTo(-400);
        assertThat(c.rows.get(3).payoutId()).isEqualTo("po_1D");
        assertThat(c.rows.get(4).amountMinor()).as("JPY has no minor digits").isEqualTo(1500);
        assertThat(c.rows.get(4).currency()).isEqualTo("JPY");
        assertThat(c.summary.rowsAccepted()).isEqualTo(6);
        assertThat(c.summary.format()).isEqualTo("stripe");
    }

    @Test
    void optional_columns_carry_payment_intent_charge_payout_and_order_metadata() {
        var c = read(path("stripe-optional-columns.csv"));
        assertThat(c.problems).isEmpty();
        ProviderRow charge = c.rows.get(0);
        assertThat(charge.paymentId()).isEqualTo("pi_2A");
        assertThat(charge.orderRef()).isEqualTo("A-1001");
        assertThat(charge.payoutId()).isEqualTo("po_2X");
        ProviderRow refund = c.rows.get(1);
        assertThat(refund.providerId()).isEqualTo("re_2B");
        assertThat(refund.chargeId()).isEqualTo("ch_2A");
        ProviderRow dispute = c.rows.get(2);
        assertThat(dispute.kind()).isEqualTo(ProviderRowKind.DISPUTE);
        assertThat(dispute.netMinor()).isEqualTo(-4000);
        ProviderRow payout = c.rows.get(3);
        assertThat(payout.kind()).isEqualTo(ProviderRowKind.PAYOUT);
        assertThat(payout.payoutId()).isEqualTo("po_2X");
    }

    @Test
    void a_changed_header_is_one_error_naming_the_file_and_the_missing_columns() {
        assertThatThrownBy(() -> read(path("stripe-changed-header.csv"))).isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("stripe-changed-header.csv:1")
                .hasMessageContaining("missing columns balance_transaction_id, gross")
                .hasMessageContaining("header is: id,created_utc");
    }

    @Test
    void malformed_rows_are_reported_with_line_and_reason_and_the_rest_is_read() {
        var c = read(path("stripe-bad-rows.csv"));
        assertThat(c.rows).extracting(ProviderRow::providerId).containsExactly("ch_4E");
        assertThat(c.problemLines()).containsExactly(2L, 3L, 4L, 5L, 7L, 8L, 9L, 10L);
        assertThat(c.problems.get(0).reason()).contains("'1,234.56'").contains("thousands separator");
        assertThat(c.problems.get(1).reason()).contains("'12,50'").contains("comma decimal");
        assertThat(c.problems.get(2).reason()).contains("created_utc").contains("offset");
        assertThat(c.problems.get(3).reason()).contains("net 9.70 is not gross 10.00 minus fee 0.40");
        assertThat(c.problems.get(4).reason()).contains("thousands separator");
        assertThat(c.problems.get(5).reason()).contains("currency 'xyz'");
        assertThat(c.problems.get(6).reason()).contains("more than 2 decimals");
        assertThat(c.problems.get(7).reason()).contains("row has 5 fields, the header has 9");
        assertThat(c.problems.get(0).file()).endsWith("stripe-bad-rows.csv");
        assertThat(c.summary.rowsRejected()).isEqualTo(8);
    }

    @Test
    void a_file_in_another_encoding_is_one_error_naming_file_and_line() {
        assertThatThrownBy(() -> read(path("stripe-windows-1251.csv"))).isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("stripe-windows-1251.csv:3").hasMessageContaining("not valid UTF-8");
    }

    @Test
    void oversize_files_lines_and_row_counts_are_refused_by_named_limits(@TempDir Path dir) throws IOException {
        Path file = path("stripe-default-columns.csv");
        assertThatThrownBy(() -> new StripeBalanceChangeImporter(new ImportLimits(100, 65_536, 1_000, 10), "order_id")
                .read(file, r -> { }, p -> { }, Progress.NONE))
                .isInstanceOf(UnusableInputException.class).hasMessageContaining("more than the limit of 100 bytes");
        assertThatThrownBy(() -> new StripeBalanceChangeImporter(new ImportLimits(1 << 20, 65_536, 3, 10), "order_id")
                .read(file, r -> { }, p -> { }, Progress.NONE))
                .isInstanceOf(UnusableInputException.class).hasMessageContaining(":5: more than 3 rows");
        Path longLine = dir.resolve("long.csv");
        Files.writeString(longLine, Files.readString(file) + "txn_X," + "9".repeat(200) + "\n");
        assertThatThrownBy(() -> new StripeBalanceChangeImporter(new ImportLimits(1 << 20, 200, 1_000, 10), "order_id")
                .read(longLine, r -> { }, p -> { }, Progress.NONE))
                .isInstanceOf(UnusableInputException.class).hasMessageContaining("line 8 is longer than 200 characters");
    }

    @Test
    void a_missing_file_is_an_error_not_a_crash() {
        assertThatThrownBy(() -> read(path("no-such-report.csv"))).isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("no-such-report.csv: no such file");
    }
}
