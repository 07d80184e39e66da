package io.moneytrail.webhook;

import io.moneytrail.access.AuditTrail;
import io.moneytrail.money.Check;
import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** The store's endpoints for outbound events. Each has its own signing secret. */
@Service
public class WebhookEndpoints {

    public static final String ID_PREFIX = "we_";
    public static final String SECRET_PREFIX = "whsec_";
    public static final int URL_LENGTH_MAX = 2000;
    /** Enabled endpoints at once: every event fans out to each of them. */
    public static final int ENABLED_MAX = 16;
    public static final int PAGE_SIZE_MAX = 100;

    /** Longest overlap of a rolled secret with its successor (Stripe's bound too). */
    public static final long ROLL_OVERLAP_SECONDS_MAX = 86_400;

    private static final String SELECT = """
            select id, url, secret, enabled, created_at, disabled_at,
                   case when previous_secret_expires_at > now() then previous_secret_expires_at end
                       as previous_secret_expires_at
            from webhook_endpoints""";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final EndpointAddressPolicy addresses;
    private final SecureRandom random = new SecureRandom();

    private final AuditTrail audit;
    private final TransactionTemplate tx;

    WebhookEndpoints(JdbcClient jdbc, Clock clock, EndpointAddressPolicy addresses, AuditTrail audit,
                     TransactionTemplate tx) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
        this.addresses = addresses;
        this.tx = tx;
    }

    /**
     * Registers an endpoint; it receives every event recorded from now on. Its URL must pass
     * {@link EndpointAddressPolicy} (400 {@code url_invalid} or {@code url_not_allowed}),
     * checked before the transaction: resolving the name holds no database connection.
     */
    public WebhookEndpoint create(String url) {
        validateUrl(url);
        return tx.execute(status -> insert(url));
    }

    private WebhookEndpoint insert(String url) {
        // serialises creations, so the bound on enabled endpoints holds under concurrency
        jdbc.sql("select pg_advisory_xact_lock(hashtext('webhook_endpoints'))").query().singleRow();
        long enabled = jdbc.sql("select count(*) from webhook_endpoints where enabled").query(Long.class).single();
        if (enabled >= ENABLED_MAX) {
            throw MoneytrailException.state("endpoint_limit_reached", "at most " + ENABLED_MAX
                    + " endpoints can be enabled at once; disable one first");
        }
        String id = Ids.next(ID_PREFIX);
        jdbc.sql("""
                insert into webhook_endpoints (id, url, secret, enabled, created_at)
                values (:id, :url, :secret, true, :now)
                """)
                .param("id", id).param("url", url).param("secret", newSecret())
                .param("now", Timestamp.from(clock.instant()))
                .update();
        audit.record("webhook_endpoint.create", "webhook_endpoint", id);
        return get(id);
    }

    /**
     * Gives the endpoint a new secret and answers it (the only time it is shown). The
     * previous secret keeps signing alongside it for {@code overlapSeconds} (0: it stops at
     * once), so a store can switch without refusing a delivery; a secret older than the
     * previous one stops at once. Deliveries already sent keep the signatures they had.
     */
    @Transactional
    public WebhookEndpoint rollSecret(String id, long overlapSeconds) {
        if (overlapSeconds < 0 || overlapSeconds > ROLL_OVERLAP_SECONDS_MAX) {
            throw MoneytrailException.invalid("parameter_invalid", "overlap_seconds",
                    "overlap_seconds must be from 0 to " + ROLL_OVERLAP_SECONDS_MAX);
        }
        Timestamp now = Timestamp.from(clock.instant());
        int rolled = jdbc.sql("""
                        update webhook_endpoints
                        set previous_secret = case when :overlap > 0 then secret end,
                            previous_secret_expires_at = case when :overlap > 0
                                then cast(:now as timestamptz) + :overlap * interval '1 second' end,
                            secret = :secret, secret_rolled_at = :now
                        where id = :id
                        """)
                .param("overlap", overlapSeconds).param("now", now).param("secret", newSecret()).param("id", id)
                .update();
        if (rolled == 0) {
            throw MoneytrailException.notFound("id", id);
        }
        audit.record("webhook_endpoint.roll_secret", "webhook_endpoint", id);
        return get(id);
    }

    private String newSecret() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return SECRET_PREFIX + HexFormat.of().formatHex(secret);
    }

    public Optional<WebhookEndpoint> find(String id) {
        return jdbc.sql(SELECT + " where id = :id").param("id", id).query(WebhookEndpoints::map).optional();
    }

    public WebhookEndpoint get(String id) {
        return find(id).orElseThrow(() -> MoneytrailException.notFound("id", id));
    }

    /** A page, newest first, after the cursor {@code startingAfter}. */
    public List<WebhookEndpoint> list(String startingAfter, int limit) {
        Check.that(limit >= 1 && limit <= PAGE_SIZE_MAX + 1, "page size within bounds");
        String sql = SELECT + (startingAfter == null ? "" : " where id < :after") + " order by id desc limit :limit";
        var spec = jdbc.sql(sql).param("limit", limit);
        if (startingAfter != null) {
            spec = spec.param("after", startingAfter);
        }
        return spec.query(WebhookEndpoints::map).list();
    }

    /**
     * Stops sending to the endpoint. Its deliveries still pending are parked as failed
     * ("endpoint disabled"), so nothing is silently dropped: they stay visible on their events.
     * Disabling a disabled endpoint changes nothing.
     */
    @Transactional
    public WebhookEndpoint disable(String id) {
        int changed = jdbc.sql("""
                        update webhook_endpoints set enabled = false, disabled_at = :now where id = :id and enabled
                        """)
                .param("id", id).param("now", Timestamp.from(clock.instant())).update();
        if (changed == 1) {
            jdbc.sql("""
                    update outbox_deliveries
                    set status = 'failed', last_error = 'endpoint disabled',
                        lease_until = null, lease_token = null, leased_by = null
                    where endpoint_id = :id and status = 'pending'
                    """)
                    .param("id", id).update();
        }
        WebhookEndpoint endpoint = get(id);
        audit.record("webhook_endpoint.disable", "webhook_endpoint", id);
        return endpoint;
    }

    private void validateUrl(String url) {
        if (url == null || url.isBlank()) {
            throw MoneytrailException.invalid("parameter_missing", "url", "url is required");
        }
        if (url.length() > URL_LENGTH_MAX) {
            throw MoneytrailException.invalid("url_invalid", "url", "url is longer than " + URL_LENGTH_MAX);
        }
        try {
            addresses.checkRegistration(url);
        } catch (EndpointAddressPolicy.UrlRefusedException e) {
            throw MoneytrailException.invalid(e.code(), "url", e.getMessage());
        }
    }

    private static WebhookEndpoint map(ResultSet rs, int row) throws SQLException {
        Timestamp disabled = rs.getTimestamp("disabled_at");
        Timestamp previousExpires = rs.getTimestamp("previous_secret_expires_at");
        return new WebhookEndpoint(rs.getString("id"), rs.getString("url"), rs.getString("secret"),
                rs.getBoolean("enabled"), rs.getTimestamp("created_at").toInstant(),
                disabled == null ? null : disabled.toInstant(),
                previousExpires == null ? null : previousExpires.toInstant());
    }
}
