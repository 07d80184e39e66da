package io.moneytrail.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The embedded server's {@code pg_hba.conf}: password (SCRAM) for every connection, local or
 * over the loopback, and no {@code trust}. Written after {@code initdb}, and over the file of
 * a data directory made by an older version (which trusted every local connection).
 */
final class HostBasedAccess {

    static final String FILE = "pg_hba.conf";

    static final String CLOSED = """
            # Written by Moneytrail: every connection needs a password (scram-sha-256); nothing is trusted.
            # The superuser's password is in <data dir>/postgres-password (mode 0600); see docs/security.md,
            # "The embedded database". Moneytrail replaces this file at start if it finds a "trust" line.
            # TYPE  DATABASE     USER  ADDRESS        METHOD
            local   all          all                  scram-sha-256
            host    all          all   127.0.0.1/32   scram-sha-256
            host    all          all   ::1/128        scram-sha-256
            local   replication  all                  scram-sha-256
            host    replication  all   127.0.0.1/32   scram-sha-256
            host    replication  all   ::1/128        scram-sha-256
            """;

    private HostBasedAccess() {
    }

    /** Whether a rule of the file (comments aside) trusts a connection. */
    static boolean trusts(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(FILE);
        if (!Files.exists(file)) {
            return false;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int comment = line.indexOf('#');
            String rule = (comment < 0 ? line : line.substring(0, comment)).trim();
            for (String token : rule.split("\\s+")) {
                if (token.toLowerCase(Locale.ROOT).equals("trust")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Replaces the file with {@link #CLOSED}; the server reads it on its next reload or start. */
    static void close(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(FILE);
        Path next = dataDirectory.resolve(FILE + ".new");
        Files.writeString(next, CLOSED, StandardCharsets.UTF_8);
        SecretFile.restrict(next);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
