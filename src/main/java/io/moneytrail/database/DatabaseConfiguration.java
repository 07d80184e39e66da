package io.moneytrail.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.api.callback.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The service's PostgreSQL: an external server when {@code moneytrail.db.url} is set,
 * otherwise an embedded one (zonky) whose data lives in the data directory and survives
 * restarts. The pool serves the role the service runs as; Flyway connects as the owner.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseProperties.class)
class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    @Bean
    DataDirectory dataDirectory(@Value("${moneytrail.data-dir:./data}") String dataDir) {
        return new DataDirectory(Path.of(dataDir));
    }

    @Bean(destroyMethod = "close")
    PostgresServer postgresServer(DatabaseProperties properties, DataDirectory dataDirectory) throws IOException {
        if (properties.external()) {
            log.info("Using external PostgreSQL at {}", properties.url());
            return new PostgresServer(null, new DatabaseEndpoint(properties.url(), properties.user(),
                    properties.password(), false, properties.ownerUser(), properties.ownerPassword()));
        }
        EmbeddedServer server = startEmbedded(properties, dataDirectory);
        return new PostgresServer(server, server.endpoint());
    }

    /** Depends on the server bean, so pools built on it close before the embedded server stops. */
    @Bean
    DatabaseEndpoint databaseEndpoint(PostgresServer server) {
        return server.endpoint();
    }

    @Bean(destroyMethod = "close")
    @Primary
    DataSource dataSource(DatabaseEndpoint endpoint, DatabaseProperties properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("moneytrail");
        config.setJdbcUrl(endpoint.jdbcUrl());
        config.setUsername(endpoint.username());
        config.setPassword(endpoint.password());
        config.setMaximumPoolSize(properties.poolSizeOrDefault());
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        return new HikariDataSource(config);
    }

    private static EmbeddedServer startEmbedded(DatabaseProperties properties, DataDirectory dataDirectory)
            throws IOException {
        Path directory = DatabaseProperties.embeddedDirectory(dataDirectory.path());
        if (properties.embeddedClean()) {
            deleteRecursively(directory);
            Files.deleteIfExists(dataDirectory.resolve(EmbeddedServer.PASSWORD_FILE));
        }
        Files.createDirectories(directory);
        OrphanedServer.stopIfPresent(directory);
        return EmbeddedServer.start(directory, dataDirectory.path(), properties.embeddedPort());
    }

    /** Flyway connects as the owner, not as the role the service runs as. */
    @Bean
    FlywayConnectionDetails flywayConnectionDetails(DatabaseEndpoint endpoint) {
        DatabaseEndpoint owner = endpoint.owner();
        return new FlywayConnectionDetails() {
            @Override
            public String getJdbcUrl() {
                return owner.jdbcUrl();
            }

            @Override
            public String getUsername() {
                return owner.username();
            }

            @Override
            public String getPassword() {
                return owner.password();
            }
        };
    }

    /** After every migration, the runtime role may read and write the rows of every table. */
    @Bean
    Callback runtimeGrantsAfterMigrate(DatabaseEndpoint endpoint) {
        return RuntimeGrants.afterMigrate(endpoint, null, "runtime-grants");
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The embedded server, if this process started one, and where to reach PostgreSQL. */
    record PostgresServer(EmbeddedServer embedded, DatabaseEndpoint endpoint) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
