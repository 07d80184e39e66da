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
}
