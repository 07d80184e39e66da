package io.moneytrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.database.DatabaseEndpoint;
import io.moneytrail.testing.ApiTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine;

/** {@code moneytrail reconcile} in-process against the test database, as an operator runs it. */
class ReconcileCommandTest extends ApiTest {

    @Autowired
    DatabaseEndpoint database;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void reconcile_imports_the_report_records_a_run_and_queues_the_unknown_charge() throws Exception {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        Path report = Files.createDirectories(Path.of("target/recon-cli")).resolve("report-" + unique + ".csv");
        Files.writeString(report, "id,type,payment_id,order_reference,amount,fee,net,currency,created_at,payout_id\n"
                + "sbt_" + unique + ",charge,sp_cli_" + unique + ",pay_cli_" + unique
                + ",9.99,0.00,9.99,EUR,2003-03-03T10:00:00Z,spo_20030304_EUR\n");

        int exit = execute("reconcile", "--from", "2003-03-03", "--to", "2003-03-03", "--provider-report",
                report.toString());

        assertThat(exit).as("stderr: %s", err).isZero();
        assertThat(out.toString()).contains("provider report rf_").contains("sandbox, 1 rows").contains("run rr_");
        String runId = out.toString().replaceAll("(?s).*run (rr_[0-9a-z]+).*", "$1");
        assertThat(jdbc.sql("select trigger from recon_runs where id = :id").param("id", runId).query(String.class)
                .single()).isEqualTo("cli");
        assertThat(jdbc.sql("""
                        select count(*) from recon_exceptions
                        where class = 'charged_unknown_to_us' and evidence->>'provider_payment_id' = :p
                        """).param("p", "sp_cli_" + unique).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void bad_arguments_exit_2() {
        assertThat(execute("reconcile", "--from", "yesterday", "--to", "2003-03-03", "--provider-report", "x"))
                .isEqualTo(2);
        assertThat(execute("reconcile", "--from", "2003-03-03", "--to", "2003-03-03", "--provider-report",
                "target/no-such-report.csv")).isEqualTo(2);
        assertThat(err.toString()).contains("no-such-report.csv");
    }

    private int execute(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--moneytrail.db.url=" + database.jdbcUrl());
        all.add("--moneytrail.db.user=" + database.username());
        all.add("--moneytrail.db.password=" + database.password());
        all.add("--moneytrail.data-dir=" + DATA_DIR);
        all.add("--moneytrail.db.pool-size=2");
        return new CommandLine(new Cli()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
    }
}
