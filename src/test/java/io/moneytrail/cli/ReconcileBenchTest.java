package io.moneytrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bench reconcile} on a small month, with the database-backed run (its own context on a
 * temporary embedded database): the generated month must reconcile cleanly on both paths.
 */
class ReconcileBenchTest {

    @Test
    void a_generated_month_reconciles_cleanly_from_files_and_from_the_database() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = new CommandLine(new ReconcileBench()).execute("--rows", "1000", "--no-warmup", "--json");
        } finally {
            System.setOut(previous);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        assertThat(out).contains("db-backed").doesNotContain("not measured");
        String[] lines = out.strip().split("\n");
        JsonNode figures = new JsonMapper().readTree(lines[lines.length - 1]);
        JsonNode database = figures.path("database_backed");
        assertThat(database.path("discrepancies").asLong(-1)).as(out).isZero();
        assertThat(database.path("matched_rate").asDouble()).as(out).isEqualTo(1.0);
        assertThat(database.path("ledger_entries").asLong()).isEqualTo(1_020);
        assertThat(database.path("rows_per_second").asLong()).isPositive();
    }
}
