package io.moneytrail.access;

import io.moneytrail.database.DataDirectory;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

/**
 * The keys a serving instance starts with. Production configures them
 * ({@code MONEYTRAIL_SECRET_KEYS}: comma-separated, {@code key} for an admin key or
 * {@code role:key}); environment keys that are no longer configured are revoked. On the first
 * start of an empty database without configured keys, one admin key is generated and written
 * to {@code <data dir>/secret-key}, readable by the owner only.
 *
 * <p>Only a web application does this: a CLI command ({@code moneytrail keys}, {@code export})
 * may run without the service's environment and must not revoke its keys.
 */
@Component
@ConditionalOnWebApplication
class KeyBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(KeyBootstrap.class);
    static final String FILE_NAME = "secret-key";

    private final ApiKeys keys;
    private final DataDirectory dataDirectory;
    private final List<ConfiguredKey> configured;

    KeyBootstrap(ApiKeys keys, DataDirectory dataDirectory,
                 @Value("${moneytrail.api.secret-keys:}") List<String> configured) {
        this.keys = keys;
        this.dataDirectory = dataDirectory;
        this.configured = ConfiguredKey.parseAll(configured);
    }

    @Override
    public void run(ApplicationArguments args) {
        int revoked = keys.syncConfigured(configured);
        if (revoked > 0) {
            log.warn("Revoked {} API key(s) that MONEYTRAIL_SECRET_KEYS no longer lists", revoked);
        }
        if (configured.isEmpty() && keys.activeCount() == 0) {
            ApiKeys.NewKey key = keys.create("generated on first start", Role.ADMIN, ApiKeys.Origin.GENERATED);
            Path file = writeKeyFile(key.secret());
            log.info("Generated an admin API key; it is in {} (use it as 'Authorization: Bearer <key>')", file);
        }
    }

    private Path writeKeyFile(String key) {
        return OwnerOnlyFile.write(dataDirectory.resolve(FILE_NAME), key, "secret key");
    }
}
