package io.moneytrail.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Secret API keys and their roles, stored as SHA-256 hashes. Keys are 256 random bits, so a
 * fast hash is enough (unlike passwords, they cannot be guessed from a dictionary); the secret
 * itself is shown once, when the key is created, and never stored.
 *
 * <p>Successful lookups are remembered for {@code moneytrail.api.key-cache-ttl} (5 s by
 * default), so a key revoked on another instance stops working within that delay; a key
 * revoked through this instance stops at once.
 */
@Component
public class ApiKeys {

    /** Where a key came from: {@code MONEYTRAIL_SECRET_KEYS}, the first start, the API, the CLI. */
    public enum Origin {
        ENVIRONMENT, GENERATED, API, CLI;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A key as listed: never its secret. */
    public record ApiKey(String id, String name, Role role, String origin, Instant created, Instant revoked) {
        public boolean active() {
            return revoked == null;
        }
    }

    /** A key just created, with its secret: the only time the secret is known. */
    public record NewKey(ApiKey key, String secret) {
    }

    static final String SECRET_PREFIX = "sk_";
    static final int NAME_LENGTH_MAX = 200;
    static final int SECRET_LENGTH_MAX = 512;
    static final int CACHE_SIZE_MAX = 1000;
    static final int LIST_SIZE_MAX = 1000;

    private final Cache<String, ApiKey> cache;
    private final JdbcClient jdbc;
    private final SecureRandom random = new SecureRandom();

    ApiKeys(JdbcClient jdbc, @Value("${moneytrail.api.key-cache-ttl:5s}") Duration cacheTtl) {
        this.jdbc = jdbc;
        // a negative TTL means no caching, as zero does (Caffeine refuses a negative one)
        this.cache = Caffeine.newBuilder().maximumSize(CACHE_SIZE_MAX)
                .expireAfterWrite(cacheTtl.isNegative() ? Duration.ZERO : cacheTtl).build();
    }

    /** Creates a key with a new random secret. */
    public NewKey create(String name, Role role, Origin origin) {
        String checkedName = checkName(name);
        if (role == null) {
            throw MoneytrailException.invalid("parameter_missing", "role", "role is required");
        }
        String secret = newSecret();
        String id = Ids.next(Ids.KEY);
        jdbc.sql("""
                insert into api_keys (id, name, key_sha256, role, origin)
                values (:id, :name, :hash, :role, :origin)""")
                .param("id", id).param("name", checkedName).param("hash", sha256(secret))
                .param("role", role.wireName()).param("origin", origin.wireName()).update();
        return new NewKey(find(id).orElseThrow(), secret);
    }

    /** Every key, active and revoked, newest first (at most {@value #LIST_SIZE_MAX}). */
    public List<ApiKey> list() {
        return jdbc.sql("select " + COLUMNS + " from api_keys order by id desc limit " + LIST_SIZE_MAX)
                .query((rs, n) -> key(rs)).list();
    }

    public Optional<ApiKey> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from api_keys where id = :id").param("id", id)
                .query((rs, n) -> key(rs)).optional();
    }

    /**
     * Revokes the key; revoking a revoked key is a no-op that answers the key as it is. Refuses
     * to revoke the last active admin key, which would lock everyone out of key management.
     */
    @Transactional
    public ApiKey revoke(String id) {
        ApiKey key = find(id).orElseThrow(() -> MoneytrailException.notFound("id", id));
        if (!key.active()) {
            return key;
        }
        if (key.role() == Role.ADMIN) {
            // serialises concurrent revocations of admin keys, so two cannot each leave the other
            jdbc.sql("select id from api_keys where role = 'admin' and revoked_at is null for update")
                    .query(String.class).list();
            long admins = jdbc.sql("select count(*) from api_keys where role = 'admin' and revoked_at is null")
                    .query(Long.class).single();
            if (admins <= 1) {
                throw MoneytrailException.state("last_admin_key",
                        "this is the last active admin key; create another admin key before revoking it");
            }
        }
        jdbc.sql("update api_keys set revoked_at = now() where id = :id and revoked_at is null").param("id", id)
                .update();
        cache.invalidateAll();
        return find(id).orElseThrow();
    }

    /**
     * The active key with this secret, if any. Failures are not cached (a wrong key costs a
     * query, which also bounds how fast keys can be guessed).
     */
    Optional<ApiKey> authenticate(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > SECRET_LENGTH_MAX) {
            return Optional.empty();
        }
        byte[] hash = sha256(secret);
        String cacheKey = HexFormat.of().formatHex(hash);
        ApiKey cached = cache.getIfPresent(cacheKey);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<ApiKey> key = jdbc.sql("select " + COLUMNS + " from api_keys where key_sha256 = :hash"
                        + " and revoked_at is null")
                .param("hash", hash).query((rs, n) -> key(rs)).optional();
        if (key.isPresent()) {
            cache.put(cacheKey, key.get());
        } else {
            cache.invalidate(cacheKey);
        }
        return key;
    }

    /**
     * Makes the keys of {@code MONEYTRAIL_SECRET_KEYS} exactly the active environment keys:
     * adds the new ones, updates their role, and revokes the environment keys that are no longer
     * configured. A configured key that was revoked (through the API or the CLI) stays revoked.
     *
     * @return how many environment keys were revoked because they are no longer configured
     */
    @Transactional
    int syncConfigured(List<ConfiguredKey> configured) {
        for (ConfiguredKey key : configured) {
            jdbc.sql("""
                    insert into api_keys (id, name, key_sha256, role, origin)
                    values (:id, 'configured', :hash, :role, 'environment')
                    on conflict (key_sha256) do update set role = excluded.role
                    where api_keys.origin = 'environment'""")
                    .param("id", Ids.next(Ids.KEY)).param("hash", sha256(key.secret()))
                    .param("role", key.role().wireName()).update();
        }
        List<byte[]> hashes = configured.stream().map(k -> sha256(k.secret())).toList();
        int revoked = jdbc.sql("""
                update api_keys set revoked_at = now()
                where origin = 'environment' and revoked_at is null
                  and not (key_sha256 = any (:hashes))""")
                .param("hashes", hashes.toArray(byte[][]::new)).update();
        cache.invalidateAll();
        return revoked;
    }

    long activeCount() {
        return jdbc.sql("select count(*) from api_keys where revoked_at is null").query(Long.class).single();
    }

    String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw MoneytrailException.invalid("parameter_missing", "name", "name is required");
        }
        String trimmed = name.strip();
        if (trimmed.length() > NAME_LENGTH_MAX || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw MoneytrailException.invalid("parameter_invalid", "name",
                    "name must be 1 to " + NAME_LENGTH_MAX + " printable characters");
        }
        return trimmed;
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String COLUMNS = "id, name, role, origin, created_at, revoked_at";

    private static ApiKey key(java.sql.ResultSet rs) throws java.sql.SQLException {
        OffsetDateTime revoked = rs.getObject("revoked_at", OffsetDateTime.class);
        return new ApiKey(rs.getString("id"), rs.getString("name"),
                Role.fromWire(rs.getString("role")).orElseThrow(), rs.getString("origin"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                revoked == null ? null : revoked.toInstant());
    }

}
