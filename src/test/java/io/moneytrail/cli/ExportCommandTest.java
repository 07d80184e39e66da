package io.moneytrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.database.DatabaseEndpoint;
import io.moneytrail.ledger.Journal;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.money.Money;
import io.moneytrail.testing.ApiTest;
import io.moneytrail.testing.LedgerTools;
import io.moneytrail.testing.RequiresTool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine;

/**
 * {@code moneytrail export} run in-process as the jar runs it (picocli, its own non-web Spring
 * context), pointed at the test database the way an operator points it at theirs.
 */
class ExportCommandTest extends ApiTest {

    @Autowired
    Journal journal;
    @Autowired
    DatabaseEndpoint database;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    @RequiresTool("bean-check")
    void export_writes_a_file_that_bean_check_accepts_and_prints_a_summary() throws Exception {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        journal.post(PostingRules.capture("txn_cli_" + unique, "ord_cli_" + unique, "sandbox",
                Money.of(1500, "JPY"), Instant.parse("2004-07-04T08:00:00Z")));
        journal.post(PostingRules.providerFee("fee_cli_" + unique, "ord_cli_" + unique, "sandbox",
                Money.of(45, "JPY"), Instant.parse("2004-07-05T08:00:00Z")));
        Path file = Files.createDirectories(Path.of("target/ledger-exports")).resolve("cli-2004-07.beancount");
        Files.deleteIfExists(file);

        int exit = execute("export", "--format", "beancount", "--from", "2004-07-01", "--to", "2004-07-31",
                "--out", file.toString());

        assertThat(exit).as("stderr: %s", err).isZero();
        assertThat(out.toString()).startsWith("exported 2 entries (4 lines) effective 2004-07-01 to 2004-07-31"
                + " as beancount to " + file.toAbsolutePath());
        assertThat(Files.readString(file)).contains("2004-07-04 * \"capture 1500 JPY for order ord_cli_" + unique)
                .contains("  Assets:Psp:Sandbox  1500 JPY");
        LedgerTools.run("bean-check", file.toString()).accepted();
        try (var siblings = Files.list(file.getParent())) {
            assertThat(siblings.map(Path::toString)).noneMatch(name -> name.endsWith(".part"));
        }
    }

    @Test
    void a_range_over_the_configured_bound_is_exit_code_2_and_no_file() throws Exception {
        Path file = Path.of("target/ledger-exports/cli-too-long.csv");
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);

        int exit = execute("export", "--format", "csv", "--from", "2004-01-01", "--to", "2004-01-31", "--out",
                file.toString(), "--moneytrail.ledger.export-days-max=30");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--to: an export covers at most 30 days");
        assertThat(file).doesNotExist();
    }

    @Test
    void bad_arguments_are_exit_code_2_with_a_message_and_no_database_work() {
        assertThat(execute("export", "--format", "xlsx", "--from", "2024-01-01", "--to", "2024-01-31", "--out", "x"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--format: format must be one of hledger, ledger, beancount, csv");
        assertThat(execute("export", "--format", "csv", "--from", "2024-02-30", "--to", "2024-03-31", "--out", "x"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--from: from must be a date YYYY-MM-DD");
        assertThat(execute("export", "--format", "csv", "--from", "2024-02-01", "--to", "2024-01-31", "--out", "x"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--from: from (2024-02-01) is after to (2024-01-31)");
        assertThat(execute("export", "--format", "csv", "--from", "2024-01-01", "--to", "2024-01-31")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--out=FILE'");
        assertThat(execute("export", "--format", "csv", "--from", "2024-01-01", "--to", "2024-01-31", "--out", "x",
                "--fromm=2024-01-01")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown argument '--fromm=2024-01-01'");
        assertThat(execute("export", "--format", "csv", "--from", "2024-01-01", "--to", "2024-01-31", "--out",
                "no-such-directory/x.csv")).isEqualTo(2);
        assertThat(err.toString()).contains("is not a file in an existing directory");
    }

    @Test
    void export_is_listed_in_the_help() {
        assertThat(execute("--help")).isZero();
        assertThat(out.toString()).contains("export");
    }

    /** Runs the command line against the test database, as the jar's main would. */
    private int execute(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (args[0].equals("export")) {
            all.add("--moneytrail.db.url=" + database.jdbcUrl());
            all.add("--moneytrail.db.user=" + database.username());
            all.add("--moneytrail.db.password=" + database.password());
            all.add("--moneytrail.data-dir=" + DATA_DIR);
            all.add("--moneytrail.db.pool-size=2");
        }
        return new CommandLine(new Cli()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
    }
}
