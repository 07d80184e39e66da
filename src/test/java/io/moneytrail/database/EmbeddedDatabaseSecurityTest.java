package io.moneytrail.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.ledger.Journal;
import io.moneytrail.ledger.PostingRules;
import io.moneytrail.money.Ids;
import io.moneytrail.money.Money;
import io.moneytrail.testing.ApiTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The embedded database the service runs on is durable (fsync, synchronous commit), closed
 * (passwords, no trust) and used with least privilege: the service's own connection (the
 * {@code jdbc} of these tests) is a role that can write rows but cannot change the schema or
 * get past the immutability triggers.
 */
class EmbeddedDatabaseSecurityTest extends ApiTest {

    @Autowired
    DatabaseEndpoint endpoint;

    @Autowired
    Journal journal;

    private JdbcClient owner() {
        DatabaseEndpoint owner = endpoint.owner();
        return JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), owner.jdbcUrl(),
                owner.username(), owner.password()));
    }

    @Test
    void the_service_connection_has_fsync_and_synchronous_commit_on() {
        assertThat(jdbc.sql("show fsync").query(String.class).single()).isEqualTo("on");
        assertThat(jdbc.sql("show synchronous_commit").query(String.class).single()).isEqualTo("on");
        assertThat(jdbc.sql("show full_page_writes").query(String.class).single()).isEqualTo("on");
    }

    @Test
    void pg_hba_conf_has_no_trust_line_and_asks_every_connection_for_a_scram_password() throws Exception {
        List<String> rules = Files.readAllLines(DATA_DIR.resolve("postgres/pg_hba.conf")).stream()
                .map(line -> line.replaceFirst("#.*", "").trim()).filter(line -> !line.isEmpty()).toList();
        assertThat(rules).isNotEmpty().allMatch(rule -> rule.endsWith("scram-sha-256"))
                .noneMatch(rule -> rule.contains("trust"));
        assertThat(owner().sql("select count(*) from pg_hba_file_rules where auth_method <> 'scram-sha-256'")
                .query(Long.class).single()).isZero();
    }

    @Test
    void a_connection_without_password_is_refused() {
        for (String role : List.of("postgres", "moneytrail_app")) {
            assertThatThrownBy(() -> DriverManager.getConnection(endpoint.jdbcUrl(), role, null).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(endpoint.jdbcUrl(), role, "postgres").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        }
    }

    @Test
    void the_password_file_is_readable_by_its_owner_only() throws Exception {
        Path file = DATA_DIR.resolve(EmbeddedServer.PASSWORD_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file).trim()).isEqualTo(endpoint.ownerPassword()).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void the_service_runs_as_a_role_that_is_no_superuser_and_owns_nothing() {
        Map<String, Object> role = jdbc.sql("""
                select current_user as name, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication
                from pg_roles where rolname = current_user""").query().singleRow();
        assertThat(role).containsEntry("name", "moneytrail_app").containsEntry("rolsuper", false)
                .containsEntry("rolcreaterole", false).containsEntry("rolcreatedb", false)
                .containsEntry("rolbypassrls", false).containsEntry("rolreplication", false);
        assertThat(jdbc.sql("""
                select count(*) from pg_class where relowner = (select oid from pg_roles where rolname = current_user)""")
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("""
                select count(*) from pg_namespace where nspowner = (select oid from pg_roles where rolname = current_user)""")
                .query(Long.class).single()).isZero();
        assertThatThrownBy(() -> jdbc.sql("create table intruder (id int)").update())
                .rootCause().hasMessageContaining("permission denied for schema public");
    }

    @Test
    void the_service_role_cannot_drop_or_disable_the_immutability_triggers_nor_delete_journal_entries() {
        List<Map<String, Object>> triggers = jdbc.sql("""
                select t.tgname as trigger, c.relname as table from pg_trigger t
                join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
                where not t.tgisinternal and n.nspname = 'public' order by 2, 1""").query().listOfRows();
        assertThat(triggers).extracting(t -> t.get("trigger"))
                .contains("journal_entries_immutable", "journal_lines_immutable", "payment_transactions_immutable");
        for (Map<String, Object> trigger : triggers) {
            assertThatThrownBy(() -> jdbc.sql("drop trigger " + trigger.get("trigger") + " on " + trigger.get("table"))
                    .update()).as("drop trigger %s", trigger.get("trigger")).rootCause().hasMessageContaining("must be owner");
            assertThatThrownBy(() -> jdbc.sql("alter table " + trigger.get("table") + " disable trigger "
                    + trigger.get("trigger")).update()).as("disable trigger %s", trigger.get("trigger"))
                    .rootCause().hasMessageContaining("must be owner");
        }
        assertThatThrownBy(() -> jdbc.sql("alter table journal_entries disable trigger all").update())
                .rootCause().hasMessageContaining("must be owner");
        assertThatThrownBy(() -> jdbc.sql("set session_replication_role = replica").update())
                .rootCause().hasMessageContaining("permission denied");

        String entry = journal.post(PostingRules.capture(Ids.next(Ids.TRANSACTION), Ids.next(Ids.ORDER), "sandbox",
                Money.of(100, "EUR"), Instant.now())).id();
        assertThatThrownBy(() -> jdbc.sql("delete from journal_entries where id = :id").param("id", entry).update())
                .hasMessageContaining("immutable");
        assertThatThrownBy(() -> jdbc.sql("delete from journal_lines where entry_id = :id").param("id", entry).update())
                .hasMessageContaining("immutable");
        assertThatThrownBy(() -> jdbc.sql("truncate journal_entries cascade").update())
                .rootCause().hasMessageContaining("permission denied");
        assertThat(jdbc.sql("select count(*) from journal_entries where id = :id").param("id", entry)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void migrations_ran_as_the_owner_and_the_service_role_cannot_rewrite_their_history() {
        assertThat(jdbc.sql("select distinct installed_by from flyway_schema_history").query(String.class).list())
                .containsExactly("postgres");
        assertThatThrownBy(() -> jdbc.sql("delete from flyway_schema_history").update())
                .rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> jdbc.sql("drop table orders").update()).rootCause().hasMessageContaining("must be owner");
    }

    @Test
    void a_table_a_later_migration_creates_is_readable_and_writable_by_the_service_role() {
        String table = "later_" + Long.toHexString(System.nanoTime());
        owner().sql("create table " + table + " (id bigserial primary key, note text)").update();
        try {
            assertThat(jdbc.sql("insert into " + table + " (note) values ('granted') returning id").query(Long.class)
                    .single()).isPositive();
            assertThat(jdbc.sql("update " + table + " set note = 'changed'").update()).isEqualTo(1);
            assertThat(jdbc.sql("delete from " + table).update()).isEqualTo(1);
            assertThatThrownBy(() -> jdbc.sql("truncate " + table).update()).rootCause().hasMessageContaining("permission denied");
        } finally {
            owner().sql("drop table " + table).update();
        }
    }
}
