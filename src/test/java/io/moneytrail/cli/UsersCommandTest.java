package io.moneytrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.database.DatabaseEndpoint;
import io.moneytrail.testing.ApiTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine;

/** {@code moneytrail users add|list|disable} against the service's database, in-process as the jar runs it. */
class UsersCommandTest extends ApiTest {

    @Autowired
    DatabaseEndpoint database;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @Test
    void add_prints_the_password_once_list_shows_the_user_and_disable_keeps_it() {
        String name = "night-" + System.nanoTime();
        assertThat(execute("users", "add", name, "--role", "operator")).as("stderr: %s", err).isZero();
        List<String> lines = out.toString().lines().toList();
        String password = lines.get(0);
        assertThat(password).hasSize(20);
        assertThat(lines.get(1)).startsWith(name + "\toperator\t").endsWith("\tactive");

        out = new StringWriter();
        assertThat(execute("users", "list")).isZero();
        assertThat(out.toString()).contains(name).contains("admin\tadmin\t").doesNotContain(password);

        out = new StringWriter();
        assertThat(execute("users", "disable", name)).as("stderr: %s", err).isZero();
        assertThat(out.toString()).startsWith(name + "\toperator\t").contains("\tdisabled ");
        assertThat(jdbc.sql("select count(*) from users where username = :n and disabled_at is not null")
                .param("n", name).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void a_machine_role_a_taken_name_and_the_last_admin_are_refused_with_a_message() {
        assertThat(execute("users", "add", "robot", "--role", "store")).isEqualTo(UsersCommand.BAD_ARGUMENTS);
        assertThat(err.toString()).contains("--role: must be one of [admin, operator, accountant, viewer]");
        assertThat(execute("users", "add", "admin", "--role", "viewer")).isEqualTo(UsersCommand.FAILED);
        assertThat(err.toString()).contains("a user named admin exists");
        assertThat(execute("users", "add", "Bad Name!", "--role", "viewer")).isEqualTo(UsersCommand.BAD_ARGUMENTS);
        assertThat(execute("users", "disable", "admin")).isEqualTo(UsersCommand.FAILED);
        assertThat(err.toString()).contains("last active admin user");
    }

    private int execute(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (args.length > 1) {
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
