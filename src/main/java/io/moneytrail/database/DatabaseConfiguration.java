package io.moneytrail.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The service's PostgreSQL: an external server when {@code moneytrail.db.url} is set,
 * otherwise an embedded one (zonky) whose data lives in the data directory and survives
 * restarts.
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
            return new PostgresServer(null,
                    new DatabaseEndpoint(properties.url(), properties.user(), properties.password(), false));
        }
        EmbeddedPostgres postgres = startEmbedded(properties, dataDirectory);
        return new PostgresServer(postgres,
                new DatabaseEndpoint(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", true));
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

    private static EmbeddedPostgres startEmbedded(DatabaseProperties properties, DataDirectory dataDirectory)
            throws IOException {
        Path directory = DatabaseProperties.embeddedDirectory(dataDirectory.path());
        if (properties.embeddedClean()) {
            deleteRecursively(directory);
        }
        Files.createDirectories(directory);
        OrphanedServer.stopIfPresent(directory);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200");
        if (properties.embeddedPort() != null && properties.embeddedPort() > 0) {
            builder.setPort(properties.embeddedPort());
        }
        EmbeddedPostgres postgres = builder.start();
        log.info("Started embedded PostgreSQL on port {} with data in {}", postgres.getPort(), directory);
        return postgres;
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
    record PostgresServer(EmbeddedPostgres embedded, DatabaseEndpoint endpoint) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
