package io.moneytrail.api;

import io.moneytrail.database.DataDirectory;
import io.moneytrail.money.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Secret API keys, stored as SHA-256 hashes. Keys are 256 random bits, so a fast hash is
 * enough (unlike passwords, they cannot be guessed from a dictionary). Production configures
 * keys ({@code MONEYTRAIL_SECRET_KEYS}, comma-separated); on the first start of an empty
 * database without configured keys, one is generated and written to
 * {@code <data dir>/secret-key}, readable by the owner only.
 */
@Component
class SecretKeys implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SecretKeys.class);
    static final String FILE_NAME = "secret-key";
    static final java.time.Duration CACHE_TTL = java.time.Duration.ofSeconds(60);
    static final int CACHE_SIZE_MAX = 1000;

    private final java.util.Map<String, CachedKey> cache = new java.util.concurrent.ConcurrentHashMap<>();

    private final JdbcClient jdbc;
    private final DataDirectory dataDirectory;
    private final List<String> configured;
    private final SecureRandom random = new SecureRandom();

    SecretKeys(JdbcClient jdbc, DataDirectory dataDirectory,
               @Value("${moneytrail.api.secret-keys:}") List<String> configured) {
        this.jdbc = jdbc;
        this.dataDirectory = dataDirectory;
        this.configured = configured.stream().map(String::trim).filter(k -> !k.isEmpty()).toList();
    }

    @Override
    public void run(ApplicationArguments args) {
        for (String key : configured) {
            store("configured", key);
        }
        if (configured.isEmpty() && count() == 0) {
            String key = "sk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
            store("generated on first start", key);
            Path file = writeKeyFile(key);
            log.info("Generated a secret API key; it is in {} (use it as 'Authorization: Bearer <key>')", file);
        }
    }

    /**
     * The id of the active key with this secret, if any. Successful lookups are remembered for
     * {@link #CACHE_TTL}, so a revoked key stops working within that time; failures are not
     * cached (a wrong key costs a query, which also bounds how fast keys can be guessed).
     */
    Optional<String> authenticate(String presented) {
        String hash = java.util.HexFormat.of().formatHex(sha256(presented));
        CachedKey cached = cache.get(hash);
        long now = System.nanoTime();
        if (cached != null && now - cached.loadedNanos() < CACHE_TTL.toNanos()) {
            return Optional.of(cached.id());
        }
        Optional<String> id = jdbc.sql("select id from api_keys where key_sha256 = :hash and revoked_at is null")
                .param("hash", sha256(presented)).query(String.class).optional();
        if (id.isPresent()) {
            if (cache.size() >= CACHE_SIZE_MAX) {
                cache.clear();
            }
            cache.put(hash, new CachedKey(id.get(), now));
        } else {
            cache.remove(hash);
        }
        return id;
    }

    private record CachedKey(String id, long loadedNanos) {
    }

    private long count() {
        return jdbc.sql("select count(*) from api_keys where revoked_at is null").query(Long.class).single();
    }

    private void store(String name, String key) {
        jdbc.sql("insert into api_keys (id, name, key_sha256) values (:id, :name, :hash) on conflict do nothing")
                .param("id", Ids.next(Ids.KEY)).param("name", name).param("hash", sha256(key)).update();
    }

    private Path writeKeyFile(String key) {
        Path file = dataDirectory.resolve(FILE_NAME);
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, key + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the generated secret key to " + file, e);
        }
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return bytes;
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
