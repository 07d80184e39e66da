package io.moneytrail.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
        DatabaseProperties properties = new DatabaseProperties(null, null, null, null, null, false);
        DataDirectory directory = new DataDirectory(dataDir);
        try (var server = configuration.postgresServer(properties, directory)) {
            assertThat(server.endpoint().embedded()).isTrue();
            connect(server.endpoint()).sql("create table kept (value text)").update();
            connect(server.endpoint()).sql("insert into kept values ('still here')").update();
        }
        assertThat(Files.exists(dataDir.resolve("postgres/PG_VERSION"))).isTrue();
        try (var server = configuration.postgresServer(properties, directory)) {
            assertThat(connect(server.endpoint()).sql("select value from kept").query(String.class).single())
                    .isEqualTo("still here");
        }
    }

    @Test
    void an_external_url_starts_no_embedded_server() throws Exception {
        DatabaseProperties properties = new DatabaseProperties("jdbc:postgresql://db.example:5432/moneytrail", "u", "p",
                null, null, false);
        try (var server = new DatabaseConfiguration().postgresServer(properties, new DataDirectory(dataDir))) {
            assertThat(server.embedded()).isNull();
            assertThat(server.endpoint().jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5432/moneytrail");
            assertThat(server.endpoint().embedded()).isFalse();
        }
        assertThat(Files.exists(dataDir.resolve("postgres"))).isFalse();
    }

    /** Started in a child JVM that is then killed with SIGKILL, leaving its PostgreSQL orphaned. */
    public static final class StartAndHang {
        public static void main(String[] args) throws Exception {
            DatabaseConfiguration configuration = new DatabaseConfiguration();
            var server = configuration.postgresServer(new DatabaseProperties(null, null, null, null, null, false),
                    new DataDirectory(Path.of(args[0])));
            connect(server.endpoint()).sql("create table survived (value text)").update();
            connect(server.endpoint()).sql("insert into survived values ('committed before kill -9')").update();
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
                new DatabaseProperties(null, null, null, null, null, false), new DataDirectory(dataDir))) {
            assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(connect(server.endpoint()).sql("select value from survived").query(String.class).single())
                    .isEqualTo("committed before kill -9");
        }
    }
}
