package io.moneytrail.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Database settings: {@code MONEYTRAIL_DB_URL} (+ {@code _USER}, {@code _PASSWORD}) selects an
 * external PostgreSQL; without it the service runs its own under {@code <data dir>/postgres}.
 *
 * @param url             JDBC URL of an external PostgreSQL; empty for the embedded one
 * @param poolSize        connections in the service's pool
 * @param embeddedPort    port of the embedded server; 0 picks a free one
 * @param embeddedClean   wipe the embedded data directory at start (tests only)
 */
@ConfigurationProperties("moneytrail.db")
public record DatabaseProperties(String url, String user, String password, Integer poolSize, Integer embeddedPort,
                                 boolean embeddedClean) {

    public int poolSizeOrDefault() {
        return poolSize == null ? 16 : poolSize;
    }

    public boolean external() {
        return url != null && !url.isBlank();
    }

    static Path embeddedDirectory(Path dataDir) {
        return dataDir.resolve("postgres");
    }
}
