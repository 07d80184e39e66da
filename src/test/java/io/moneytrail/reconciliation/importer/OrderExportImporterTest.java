package io.moneytrail.reconciliation.importer;

import static io.moneytrail.reconciliation.importer.Fixtures.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.reconciliation.ImportLimits;
import io.moneytrail.reconciliation.OrderExportMapping;
import io.moneytrail.reconciliation.Progress;
import io.moneytrail.reconciliation.StoreOrder;
import io.moneytrail.reconciliation.StoreOrderStatus;
import io.moneytrail.reconciliation.UnusableInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderExportImporterTest {

    private Fixtures.Collected<StoreOrder> read(Path file, OrderExportMapping mapping) {
        Fixtures.Collected<StoreOrder> c = new Fixtures.Collected<>();
        c.summary = new OrderExportImporter(ImportLimits.DEFAULTS, mapping).read(file, c, c.problems(), Progress.NONE);
        return c;
    }

    @Test
    void a_last_line_without_a_newline_is_read_like_any_other(@TempDir Path dir) throws IOException {
        // a spreadsheet's "save as CSV" often ends the last line without one; it was refused with
        // "malformed CSV: Current state = FLUSHED, new state = CODING_END" (the decoder asked again after its end)
        for (String text : List.of(
                "order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded\n"
                        + "A-1,2026-05-04T08:12:00Z,paid,EUR,25.00,25.00,0.00\nA-2,2026-05-04T09:00:00Z,paid,EUR,1.00,1.00,0.00",
                "order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded\r\n"
                        + "A-1,2026-05-04T08:12:00Z,paid,EUR,25.00,25.00,0.00\r\nA-2,2026-05-04T09:00:00Z,paid,EUR,1.00,1.00,0.00",
                "\uFEFForder_id,created_at,status,currency,amount_total,amount_paid,amount_refunded\n"
                        + "A-1,2026-05-04T08:12:00Z,paid,EUR,25.00,25.00,0.00\nA-2,2026-05-04T09:00:00Z,paid,EUR,1.00,1.00,\"0.00\"")) {
            Path file = dir.resolve("orders-" + text.length() + ".csv");
            Files.writeString(file, text);
            var c = read(file, OrderExportMapping.DEFAULT);
            assertThat(c.problems).as(text).isEmpty();
            assertThat(c.rows).extracting(StoreOrder::orderId).as(text).containsExactly("A-1", "A-2");
            assertThat(c.rows.get(1).amountTotalMinor()).isEqualTo(100);
        }
    }

    @Test
    void the_default_header_is_read_with_times_in_other_zones_converted_to_utc() {
        var c = read(path("orders-default.csv"), OrderExportMapping.DEFAULT);
        assertThat(c.rows).extracting(StoreOrder::orderId).containsExactly("A-1001", "A-1002", "A-1003", "A-1004");
        StoreOrder first = c.rows.get(0);
        assertThat(first.status()).isEqualTo(StoreOrderStatus.PARTIALLY_REFUNDED);
        assertThat(first.amountTotalMinor()).isEqualTo(2500);
        assertThat(first.amountRefundedMinor()).isEqualTo(400);
        assertThat(first.paymentReference()).isEqualTo("pi_2A");
        assertThat(c.rows.get(1).createdAt()).as("+03:00 converted").isEqualTo(Instant.parse("2026-05-04T09:14:00Z"));
        assertThat(c.rows.get(1).amountTotalMinor()).as("JPY").isEqualTo(1500);
        assertThat(c.rows.get(2).createdAt()).as("no offset: UTC by default").isEqualTo(Instant.parse("2026-05-04T09:30:00Z"));
        assertThat(c.rows.get(2).paymentReference()).isNull();
        assertThat(c.rows.get(3).status()).as("synonyms, any case").isEqualTo(StoreOrderStatus.CANCELLED);
        assertThat(c.problemLines()).containsExactly(6L, 7L, 8L, 9L);
        assertThat(c.problems.get(0).reason()).contains("amount_total '1,250.00'").contains("thousands separator");
        assertThat(c.problems.get(1).reason()).contains("amount_refunded 6.00 is more than amount_paid 5.00");
        assertThat(c.problems.get(2).reason()).contains("created_at 'yesterday'");
        assertThat(c.problems.get(3).reason()).contains("status 'on_hold' is unknown");
    }

    @Test
    void a_mapping_file_reads_a_russian_export_with_semicolons_decimal_commas_and_moscow_time() {
        var mapping = OrderExportMapping.parse("@" + path("orders-russian.properties"));
        var c = read(path("orders-russian.csv"), mapping);
        assertThat(c.problems).isEmpty();
        StoreOrder first = c.rows.get(0);
        assertThat(first.orderId()).isEqualTo("1001");
        assertThat(first.status()).isEqualTo(StoreOrderStatus.PAID);
        assertThat(first.amountTotalMinor()).isEqualTo(150_000);
        assertThat(first.createdAt()).isEqualTo(Instant.parse("2026-05-04T10:00:00Z"));
        assertThat(first.paymentReference()).isEqualTo("2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f");
        assertThat(c.rows.get(2).status()).isEqualTo(StoreOrderStatus.CANCELLED);
    }

    @Test
    void an_inline_mapping_renames_columns() {
        var mapping = OrderExportMapping.parse("amount_refunded=refunded_total, status.on_hold=pending");
        assertThat(mapping.headerFor("amount_refunded")).isEqualTo("refunded_total");
        assertThat(mapping.headerFor("order_id")).isEqualTo("order_id");
        assertThat(mapping.statuses()).containsEntry("on_hold", StoreOrderStatus.PENDING);
        assertThatThrownBy(() -> OrderExportMapping.parse("order=Номер")).isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("unknown mapping key 'order'");
        assertThatThrownBy(() -> OrderExportMapping.parse("status.x=shipped_twice"))
                .hasMessageContaining("'shipped_twice' is not one of our statuses");
    }

    @Test
    void a_missing_column_is_one_error_naming_it() {
        assertThatThrownBy(() -> read(path("orders-missing-column.csv"), OrderExportMapping.DEFAULT))
                .isInstanceOf(UnusableInputException.class).hasMessageContaining("orders-missing-column.csv:1")
                .hasMessageContaining("missing column amount_refunded").hasMessageContaining("--orders-mapping");
    }
}
