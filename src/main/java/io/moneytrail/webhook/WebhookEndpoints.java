package io.moneytrail.webhook;

import io.moneytrail.access.AuditTrail;
import io.moneytrail.money.Check;
import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import java.net.URI;
import java.net.URISyntaxException;
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

/** The store's endpoints for outbound events. Each has its own signing secret. */
@Service
public class WebhookEndpoints {

    public static final String ID_PREFIX = "we_";
    public static final String SECRET_PREFIX = "whsec_";
    public static final int URL_LENGTH_MAX = 2000;
    /** Enabled endpoints at once: every event fans out to each of them. */
    public static final int ENABLED_MAX = 16;
    public static final int PAGE_SIZE_MAX = 100;

    private static final String SELECT = "select id, url, secret, enabled, created_at, disabled_at from webhook_endpoints";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    private final AuditTrail audit;

    WebhookEndpoints(JdbcClient jdbc, Clock clock, AuditTrail audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Registers an endpoint; it receives every event recorded from now on. */
    @Transactional
    public WebhookEndpoint create(String url) {
        validateUrl(url);
        // serialises creations, so the bound on enabled endpoints holds under concurrency
        jdbc.sql("select pg_advisory_xact_lock(hashtext('webhook_endpoints'))").query().singleRow();
        long enabled = jdbc.sql("select count(*) from webhook_endpoints where enabled").query(Long.class).single();
        if (enabled >= ENABLED_MAX) {
            throw MoneytrailException.state("endpoint_limit_reached", "at most " + ENABLED_MAX
                    + " endpoints can be enabled at once; disable one first");
        }
        String id = Ids.next(ID_PREFIX);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        jdbc.sql("""
                insert into webhook_endpoints (id, url, secret, enabled, created_at)
                values (:id, :url, :secret, true, :now)
                """)
                .param("id", id).param("url", url).param("secret", SECRET_PREFIX + HexFormat.of().formatHex(secret))
                .param("now", Timestamp.from(clock.instant()))
                .update();
        audit.record("webhook_endpoint.create", "webhook_endpoint", id);
        return get(id);
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

    private static void validateUrl(String url) {
        if (url == null || url.isBlank()) {
            throw MoneytrailException.invalid("parameter_missing", "url", "url is required");
        }
        if (url.length() > URL_LENGTH_MAX) {
            throw MoneytrailException.invalid("url_invalid", "url", "url is longer than " + URL_LENGTH_MAX);
        }
        try {
            URI uri = new URI(url);
            boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getFragment() != null) {
                throw MoneytrailException.invalid("url_invalid", "url",
                        "url must be an absolute http(s) URL with a host and no fragment");
            }
        } catch (URISyntaxException e) {
            throw MoneytrailException.invalid("url_invalid", "url", "url is not a valid URL");
        }
    }

    private static WebhookEndpoint map(ResultSet rs, int row) throws SQLException {
        Timestamp disabled = rs.getTimestamp("disabled_at");
        return new WebhookEndpoint(rs.getString("id"), rs.getString("url"), rs.getString("secret"),
                rs.getBoolean("enabled"), rs.getTimestamp("created_at").toInstant(),
                disabled == null ? null : disabled.toInstant());
    }
}
