package io.moneytrail.reconrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.reconciliation.ImportProblem;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.ProviderRow;
import io.moneytrail.reconciliation.ProviderRowKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compact form an import's check hands to the run: the same rows back, bounded, taken once. */
class ParsedReportsTest {

    @TempDir
    Path dir;

    private static List<ProviderRow> rows() {
        return List.of(
                new ProviderRow(ProviderRowKind.CHARGE, "txn_1", "pi_1", "ch_1", "ord_1", 2500, 103, 2397, "EUR",
                        Instant.parse("2026-05-01T10:15:30.123456789Z"), "po_1", 2),
                new ProviderRow(ProviderRowKind.REFUND, "re_1", "pi_1", null, null, -400, 0, -400, "EUR",
                        Instant.parse("2026-05-02T00:00:00Z"), null, 3),
                new ProviderRow(ProviderRowKind.PAYOUT, "po_1", null, null, "заказ №5", -2000, 0, -2000, "RUB", null,
                        "po_1", 7));
    }

    private Path written(String name, List<ProviderRow> rows) {
        Path path = dir.resolve(name);
        ParsedReports.Writer writer = new ParsedReports.Writer(path);
        rows.forEach(writer);
        assertThat(writer.finish()).isTrue();
        return path;
    }

    @Test
    void the_rows_come_back_equal_and_in_order() throws Exception {
        Path path = written("rows", rows());
        List<ProviderRow> read = new ArrayList<>();
        try (ParsedReports.Reader reader = ParsedReports.Reader.open(path).orElseThrow()) {
            assertThat(reader.read(read::add)).isEqualTo(3);
        }
        assertThat(read).isEqualTo(rows());
        assertThat(read.get(0).currency()).isSameAs(read.get(1).currency());
    }

    @Test
    void a_row_it_cannot_write_gives_up_and_leaves_no_file() {
        Path path = dir.resolve("long");
        ParsedReports.Writer writer = new ParsedReports.Writer(path);
        writer.accept(rows().get(0));
        writer.accept(new ProviderRow(ProviderRowKind.CHARGE, "x".repeat(70_000), null, null, null, 1, 0, 1, "EUR",
                null, null, 4));
        assertThat(writer.finish()).isFalse();
        assertThat(path).doesNotExist();
        assertThat(ParsedReports.Reader.open(path)).isEmpty();
    }

    @Test
    void held_rows_are_taken_once_for_the_same_bytes_and_the_oldest_go_past_the_bound() {
        ParsedReports reports = new ParsedReports();
        ImportSummary summary = new ImportSummary("files/.upload-1.part", "stripe", 3, 1, 100,
                List.of(new ImportProblem("files/.upload-1.part", 5, "files/.upload-1.part: bad amount")), 1);
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i <= ParsedReports.HELD_MAX; i++) {
            Path path = written("rows-" + i, rows());
            paths.add(path);
            reports.hold(new ParsedReports.Parsed("rf_" + i, "stripe", "sha" + i, path, summary));
        }
        assertThat(paths.get(0)).as("the oldest, past the bound").doesNotExist();
        assertThat(reports.take(file("rf_0", "stripe", "sha0"))).isEmpty();
        assertThat(reports.take(file("rf_1", "stripe", "other bytes"))).isEmpty();
        assertThat(paths.get(1)).as("not the stored bytes: dropped").doesNotExist();
        assertThat(reports.take(file("rf_2", "stripe", "sha2"))).isPresent();
        assertThat(reports.take(file("rf_2", "stripe", "sha2"))).as("once").isEmpty();

        ImportSummary renamed = ParsedReports.renamed(summary, "files/.upload-1.part", "files/rf_2");
        assertThat(renamed.file()).isEqualTo("files/rf_2");
        assertThat(renamed.problems().get(0).reason()).isEqualTo("files/rf_2: bad amount");
        assertThat(renamed.problemsTotal()).isEqualTo(1);
        assertThat(renamed.rowsAccepted()).isEqualTo(3);
    }

    private ReconFile file(String id, String format, String sha) {
        return new ReconFile(id, "provider", format, "report.csv", sha, 100, 3, 1, "[]", Instant.EPOCH, dir.resolve(id));
    }
}
