package io.moneytrail.access;

import io.moneytrail.money.MoneytrailException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The back office's users: a user name, one role, a password kept as a delegating encoder's hash
 * ({@code {bcrypt}…}, so that a later encoder can take over without a reset). Passwords are
 * generated here and shown once, when the user is created; users are disabled, never deleted, so
 * the audit log keeps its actors.
 */
@Component
public class Users {

    /** The roles a person may hold; {@code store} and {@code onec} are machines' roles (API keys only). */
    public static final Set<Role> ROLES = EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.ACCOUNTANT, Role.VIEWER);
    public static final int LIST_SIZE_MAX = 1000;
    /** 20 characters of a 57-character alphabet: about 117 bits. */
    static final int PASSWORD_LENGTH = 20;
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** A user as listed: never its password. */
    public record User(String username, Role role, Instant created, Instant disabled) {
        public boolean active() {
            return disabled == null;
        }
    }

    /** A user just created, with its password: the only time the password is known. */
    public record NewUser(User user, String password) {
    }

    /** What logging in checks. */
    record Credentials(User user, String passwordHash) {
    }

    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final SecureRandom random = new SecureRandom();

    Users(JdbcClient jdbc, AuditTrail audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** Creates a user with a new random password; a taken name is {@code 409 user_exists}. */
    @Transactional
    public NewUser create(String username, Role role) {
        String name = checkUsername(username);
        if (role == null) {
            throw MoneytrailException.invalid("parameter_missing", "role", "role is required");
        }
        if (!ROLES.contains(role)) {
            throw MoneytrailException.invalid("parameter_invalid", "role",
                    "a user's role is one of " + ROLES.stream().map(Role::wireName).toList());
        }
        String password = newPassword();
        int inserted = jdbc.sql("""
                insert into users (username, role, password_hash) values (:username, :role, :hash)
                on conflict (username) do nothing""")
                .param("username", name).param("role", role.wireName()).param("hash", encoder.encode(password))
                .update();
        if (inserted == 0) {
            throw MoneytrailException.state("user_exists", "a user named " + name + " exists (users are disabled,"
                    + " never deleted: choose another name)");
        }
        audit.record("user.create", "user", name, AuditTrail.Outcome.SUCCEEDED, null,
                java.util.Map.of("role", role.wireName()));
        return new NewUser(find(name).orElseThrow(), password);
    }

    /** Every user, active and disabled, by name (at most {@value #LIST_SIZE_MAX}). */
    public List<User> list() {
        return jdbc.sql("select " + COLUMNS + " from users order by username limit " + LIST_SIZE_MAX)
                .query((rs, n) -> user(rs)).list();
    }

    public Optional<User> find(String username) {
        if (username == null) {
            return Optional.empty();
        }
        return jdbc.sql("select " + COLUMNS + " from users where username = :username")
                .param("username", username.toLowerCase(Locale.ROOT)).query((rs, n) -> user(rs)).optional();
    }

    /**
     * Disables the user: it can no longer log in, and its open sessions end at their next
     * request. Disabling a disabled user answers it as it is. Refuses to disable the last active
     * admin, which would leave nobody to manage users in the back office.
     */
    @Transactional
    public User disable(String username) {
        User user = find(username).orElseThrow(() -> MoneytrailException.notFound("username", username));
        if (!user.active()) {
            return user;
        }
        if (user.role() == Role.ADMIN) {
            jdbc.sql("select username from users where role = 'admin' and disabled_at is null for update")
                    .query(String.class).list();
            long admins = jdbc.sql("select count(*) from users where role = 'admin' and disabled_at is null")
                    .query(Long.class).single();
            if (admins <= 1) {
                throw MoneytrailException.state("last_admin_user",
                        "this is the last active admin user; create another admin before disabling it");
            }
        }
        jdbc.sql("update users set disabled_at = now() where username = :username and disabled_at is null")
                .param("username", user.username()).update();
        audit.record("user.disable", "user", user.username());
        return find(user.username()).orElseThrow();
    }

    long count() {
        return jdbc.sql("select count(*) from users").query(Long.class).single();
    }

    Optional<Credentials> credentials(String username) {
        if (username == null) {
            return Optional.empty();
        }
        return jdbc.sql("select " + COLUMNS + ", password_hash from users where username = :username")
                .param("username", username.strip().toLowerCase(Locale.ROOT))
                .query((rs, n) -> new Credentials(user(rs), rs.getString("password_hash"))).optional();
    }

    PasswordEncoder encoder() {
        return encoder;
    }

    String newPassword() {
        StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }

    static String checkUsername(String username) {
        if (username == null || username.isBlank()) {
            throw MoneytrailException.invalid("parameter_missing", "username", "username is required");
        }
        String name = username.strip().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(name).matches()) {
            throw MoneytrailException.invalid("parameter_invalid", "username",
                    "username is 1 to 64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
        }
        return name;
    }

    private static final String COLUMNS = "username, role, created_at, disabled_at";

    private static User user(java.sql.ResultSet rs) throws java.sql.SQLException {
        OffsetDateTime disabled = rs.getObject("disabled_at", OffsetDateTime.class);
        return new User(rs.getString("username"), Role.fromWire(rs.getString("role")).orElseThrow(),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                disabled == null ? null : disabled.toInstant());
    }
}
