package io.moneytrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.database.DatabaseEndpoint;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine;

/** {@code moneytrail keys create|list|revoke} against the service's database, in-process as the jar runs it. */
class KeysCommandTest extends ApiTest {

    @Autowired
    DatabaseEndpoint database;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @Test
    void create_prints_the_secret_once_list_shows_the_key_and_revoke_stops_it() throws Exception {
        assertThat(execute("keys", "create", "--name", "night shift", "--role", "operator")).as("stderr: %s", err)
                .isZero();
        List<String> lines = out.toString().lines().toList();
        String secret = lines.get(0);
        assertThat(secret).startsWith("sk_");
        String id = lines.get(1).split("\t")[0];
        assertThat(lines.get(1)).contains("\toperator\tcli\t").endsWith("\tnight shift");

        Api operator = new Api(api.base(), secret);
        operator.get("/v1/reviews").expect(200);
        assertThat(operator.post("/v1/ledger/adjustments", "{}").status()).isEqualTo(403);

        out = new StringWriter();
        assertThat(execute("keys", "list")).isZero();
        assertThat(out.toString()).contains(id).doesNotContain(secret);

        out = new StringWriter();
        assertThat(execute("keys", "revoke", id)).as("stderr: %s", err).isZero();
        assertThat(out.toString()).startsWith(id).contains("revoked ");
        long start = System.nanoTime();
        while (operator.get("/v1/reviews").status() == 200) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            Thread.sleep(100);
        }
        assertThat(operator.get("/v1/reviews").status()).isEqualTo(401);
    }

    @Test
    void an_unknown_role_or_id_is_refused_with_a_message() {
        assertThat(execute("keys", "create", "--name", "x", "--role", "root")).isEqualTo(KeysCommand.BAD_ARGUMENTS);
        assertThat(err.toString()).contains("--role: must be one of [admin, store, operator, accountant, viewer, onec]");
        assertThat(execute("keys", "revoke", "key_00000000000000000000000000")).isEqualTo(KeysCommand.FAILED);
        assertThat(err.toString()).contains("no such object");
    }

    @Test
    void keys_is_listed_in_the_help() {
        assertThat(execute("--help")).isZero();
        assertThat(out.toString()).contains("keys");
    }

    private int execute(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (args[0].equals("keys") && args.length > 1) {
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
