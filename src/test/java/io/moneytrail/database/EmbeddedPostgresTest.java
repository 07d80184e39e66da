package io.moneytrail.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

class EmbeddedPostgresTest {

    @TempDir
    Path dataDir;

    private static JdbcClient connect(DatabaseEndpoint endpoint) {
        return JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), endpoint.jdbcUrl(),
                endpoint.username(), endpoint.password()));
    }

    @Test
    void data_in_the_data_directory_survives_a_restart() throws Exception {
        DatabaseConfiguration configuration = new DatabaseConfiguration();
        DatabaseProperties properties = new DatabaseProperties(null, null, null, null, null, false, null, null);
        DataDirectory directory = new DataDirectory(dataDir);
        try (var server = configuration.postgresServer(properties, directory)) {
            assertThat(server.endpoint().embedded()).isTrue();
            connect(server.endpoint().owner()).sql("create table kept (value text)").update();
            connect(server.endpoint().owner()).sql("insert into kept values ('still here')").update();
        }
        assertThat(Files.exists(dataDir.resolve("postgres/PG_VERSION"))).isTrue();
        try (var server = configuration.postgresServer(properties, directory)) {
            assertThat(connect(server.endpoint().owner()).sql("select value from kept").query(String.class).single())
                    .isEqualTo("still here");
        }
    }

    @Test
    void an_external_url_starts_no_embedded_server() throws Exception {
        DatabaseProperties properties = new DatabaseProperties("jdbc:postgresql://db.example:5432/moneytrail", "u", "p",
                null, null, false, null, null);
        try (var server = new DatabaseConfiguration().postgresServer(properties, new DataDirectory(dataDir))) {
            assertThat(server.embedded()).isNull();
            assertThat(server.endpoint().jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5432/moneytrail");
            assertThat(server.endpoint().embedded()).isFalse();
            assertThat(server.endpoint().separateOwner()).as("migrations run as the runtime user by default").isFalse();
            assertThat(server.endpoint().owner().username()).isEqualTo("u");
        }
        assertThat(Files.exists(dataDir.resolve("postgres"))).isFalse();
    }

    @Test
    void an_external_database_may_have_a_separate_migration_user() throws Exception {
        DatabaseProperties properties = new DatabaseProperties("jdbc:postgresql://db.example:5432/moneytrail", "app",
                "p1", null, null, false, "owner", "p2");
        try (var server = new DatabaseConfiguration().postgresServer(properties, new DataDirectory(dataDir))) {
            assertThat(server.endpoint().username()).isEqualTo("app");
            assertThat(server.endpoint().owner().username()).isEqualTo("owner");
            assertThat(server.endpoint().owner().password()).isEqualTo("p2");
            assertThat(server.endpoint().separateOwner()).isTrue();
        }
    }

    @Test
    void a_data_directory_of_an_older_version_that_trusts_local_connections_is_closed_at_start() throws Exception {
        Path directory = dataDir.resolve("postgres");
        // what older versions did: the library's defaults, initdb -A trust, no password anywhere
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(directory)
                .setCleanDataDirectory(false).start()) {
            try (var c = old.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
                s.execute("create table kept (value text)");
                s.execute("insert into kept values ('from the old version')");
            }
        }
        assertThat(HostBasedAccess.trusts(directory)).isTrue();

        DatabaseProperties properties = new DatabaseProperties(null, null, null, null, null, false, null, null);
        try (var server = new DatabaseConfiguration().postgresServer(properties, new DataDirectory(dataDir))) {
            assertThat(HostBasedAccess.trusts(directory)).isFalse();
            assertThat(Files.readString(directory.resolve("pg_hba.conf"))).doesNotContainPattern("(?m)^[^#]*trust");
            Path passwordFile = dataDir.resolve(EmbeddedServer.PASSWORD_FILE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
            assertThatThrownBy(() -> DriverManager.getConnection(server.endpoint().jdbcUrl(), "postgres", null).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password");
            assertThat(connect(server.endpoint().owner()).sql("select value from kept").query(String.class).single())
                    .isEqualTo("from the old version");
        }
        // and it opens with the kept password at the next start
        try (var server = new DatabaseConfiguration().postgresServer(properties, new DataDirectory(dataDir))) {
            assertThat(connect(server.endpoint().owner()).sql("select count(*) from kept").query(Long.class).single())
                    .isEqualTo(1);
        }
    }

    @Test
    void a_database_server_killed_with_its_backends_is_restarted_and_keeps_every_commit() throws Exception {
        DatabaseProperties properties = new DatabaseProperties(null, null, null, null, null, false, null, null);
        try (var server = new DatabaseConfiguration().postgresServer(properties, new DataDirectory(dataDir))) {
            JdbcClient owner = connect(server.endpoint().owner());
            owner.sql("create table committed (n int)").update();
            owner.sql("grant select on committed to moneytrail_app").update();
            for (int round = 1; round <= 2; round++) {
                owner.sql("insert into committed values (:n)").param("n", round).update();
                long pid = server.embedded().postmasterPid();
                ProcessGroup.kill(pid); // the postmaster and every backend, at once
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (server.embedded().restarts() < round) {
                    assertThat(System.nanoTime()).as("restarted within two minutes").isLessThan(deadline);
                    Thread.sleep(100);
                }
                assertThat(server.embedded().postmasterPid()).isNotEqualTo(pid);
                assertThat(connect(server.endpoint()).sql("select count(*) from committed").query(Long.class).single())
                        .isEqualTo(round);
            }
            assertThat(connect(server.endpoint()).sql("show fsync").query(String.class).single()).isEqualTo("on");
        }
    }

    /** Started in a child JVM that is then killed with SIGKILL, leaving its PostgreSQL orphaned. */
    public static final class StartAndHang {
        public static void main(String[] args) throws Exception {
            DatabaseConfiguration configuration = new DatabaseConfiguration();
            var server = configuration.postgresServer(new DatabaseProperties(null, null, null, null, null, false, null, null),
                    new DataDirectory(Path.of(args[0])));
            connect(server.endpoint().owner()).sql("create table survived (value text)").update();
            connect(server.endpoint().owner()).sql("insert into survived values ('committed before kill -9')").update();
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    @Test
    void after_kill_9_the_orphaned_embedded_server_is_stopped_and_committed_data_is_kept() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StartAndHang.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
            String line;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while ((line = out.readLine()) != null && !line.contains("READY")) {
                assertThat(System.nanoTime()).as("child started its database").isLessThan(deadline);
            }
            assertThat(line).as("child output").isNotNull();
        }
        child.destroyForcibly().waitFor(); // kill -9: the JVM dies, its PostgreSQL does not
        long orphanPid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
        assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive)).contains(true);

        try (var server = new DatabaseConfiguration().postgresServer(
                new DatabaseProperties(null, null, null, null, null, false, null, null), new DataDirectory(dataDir))) {
            assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(connect(server.endpoint().owner()).sql("select value from survived").query(String.class).single())
                    .isEqualTo("committed before kill -9");
        }
    }
}
