package io.moneytrail.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Database settings: {@code MONEYTRAIL_DB_URL} (+ {@code _USER}, {@code _PASSWORD}) selects an
 * external PostgreSQL; without it the service runs its own under {@code <data dir>/postgres}.
 *
 * @param url               JDBC URL of an external PostgreSQL; empty for the embedded one
 * @param user              the role the service runs as (external database)
 * @param password          its password
 * @param poolSize          connections in the service's pool
 * @param embeddedPort      port of the embedded server; 0 picks a free one
 * @param embeddedClean     wipe the embedded data directory at start (tests only)
 * @param migrationUser     the role that owns the schema and runs the migrations (external database;
 *                          empty: the same as {@code user})
 * @param migrationPassword its password
 */
@ConfigurationProperties("moneytrail.db")
public record DatabaseProperties(String url, String user, String password, Integer poolSize, Integer embeddedPort,
                                 boolean embeddedClean, String migrationUser, String migrationPassword) {

    public int poolSizeOrDefault() {
        return poolSize == null ? 16 : poolSize;
    }

    public boolean external() {
        return url != null && !url.isBlank();
    }

    /** The external database's owner role: the migration user if one is set, else the runtime user. */
    String ownerUser() {
        return migrationUser == null || migrationUser.isBlank() ? user : migrationUser;
    }

    String ownerPassword() {
        return migrationUser == null || migrationUser.isBlank() ? password : migrationPassword;
    }

    static Path embeddedDirectory(Path dataDir) {
        return dataDir.resolve("postgres");
    }
}
