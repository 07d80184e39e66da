package io.moneytrail.api;

import io.moneytrail.money.ErrorType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import javax.sql.DataSource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} on every {@code POST /v1}: the first answer (status and body) is
 * stored and replayed for a repeat with the same key and the same request; the same key
 * with a different request is an {@code idempotency_error}. Keys are scoped by API key.
 *
 * <p>The key is claimed by inserting its row in a transaction of its own that stays open
 * while the request runs, and commits together with the stored answer. A concurrent repeat
 * waits on that uncommitted row (up to {@link #WAIT_MAX}), then replays the answer; past the
 * bound it gets 409 {@code idempotency_key_in_use}. If the process dies mid-request, its
 * connection dies and PostgreSQL rolls the claim back, so a retry is not locked out. What the
 * first run had already committed is found again through the key ({@link #CREATION_KEY}), so
 * a retry after a crash does not create a second order, payment or refund.
 *
 * <p>Every answer is stored except a 500 (an unexpected failure of ours: the client may
 * retry); a 502 "outcome unknown" is stored, so a retry cannot start a second provider call.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    /** Request attribute: the scoped key, for services that create objects. */
    static final String CREATION_KEY = IdempotencyFilter.class.getName() + ".creationKey";
    static final int KEY_LENGTH_MAX = 255;
    static final Duration WAIT_MAX = Duration.ofSeconds(10);

    private final DataSource claims;
    private final ApiRequestFilter errors;

    IdempotencyFilter(IdempotencyClaims claims, ApiRequestFilter errors) {
        this.claims = claims.dataSource();
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
                || !request.getRequestURI().startsWith("/v1/") || request.getRequestURI().startsWith("/v1/webhooks/")
                || !(request instanceof ApiRequestFilter.CachedBodyRequest);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (key.isBlank() || key.length() > KEY_LENGTH_MAX) {
            errors.write(response, new ApiError(400, ErrorType.IDEMPOTENCY, "idempotency_key_invalid",
                    HEADER + " must be 1 to " + KEY_LENGTH_MAX + " characters", HEADER));
            return;
        }
        String apiKeyId = (String) request.getAttribute(ApiRequestFilter.API_KEY_ATTRIBUTE);
        byte[] hash = hash(request, ((ApiRequestFilter.CachedBodyRequest) request).body());
        try (Connection claim = claims.getConnection()) {
            claim.setAutoCommit(false);
            try {
                if (!claim(claim, apiKeyId, key, hash)) {
                    replay(claim, apiKeyId, key, hash, response);
                    claim.commit();
                    return;
                }
                request.setAttribute(CREATION_KEY, apiKeyId + ":" + key);
                ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
                try {
                    chain.doFilter(request, recorded);
                    if (recorded.getStatus() != 500) {
                        store(claim, apiKeyId, key, recorded);
                        claim.commit();
                    } else {
                        claim.rollback();
                    }
                } finally {
                    recorded.copyBodyToResponse();
                }
            } catch (SQLException | RuntimeException | ServletException | IOException e) {
                rollbackQuietly(claim);
                if (e instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
                    errors.write(response, inProgress());
                    return;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new ServletException("idempotency store unavailable", e);
        }
    }

    /** Inserts the claim (uncommitted); false when the key is already stored (after waiting for a twin). */
    private static boolean claim(Connection claim, String apiKeyId, String key, byte[] hash) throws SQLException {
        try (Statement timeout = claim.createStatement()) {
            timeout.execute("set local lock_timeout = '" + WAIT_MAX.toMillis() + "ms'");
        }
        try (PreparedStatement insert = claim.prepareStatement("""
                insert into idempotency_keys (api_key_id, key, request_hash, status)
                values (?, ?, ?, 'completed')
                on conflict (api_key_id, key) do nothing""")) {
            insert.setString(1, apiKeyId);
            insert.setString(2, key);
            insert.setBytes(3, hash);
            return insert.executeUpdate() == 1;
        }
    }

    private void replay(Connection claim, String apiKeyId, String key, byte[] hash, HttpServletResponse response)
            throws SQLException, IOException {
        try (PreparedStatement select = claim.prepareStatement("""
                select request_hash, response_status, response_body, response_type from idempotency_keys
                where api_key_id = ? and key = ?""")) {
            select.setString(1, apiKeyId);
            select.setString(2, key);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next() || rs.getObject(2) == null) {
                    errors.write(response, inProgress());
                    return;
                }
                if (!Arrays.equals(rs.getBytes(1), hash)) {
                    errors.write(response, new ApiError(400, ErrorType.IDEMPOTENCY, "idempotency_key_reused",
                            "this Idempotency-Key was used with a different request; use a new key for a new request",
                            HEADER));
                    return;
                }
                response.setStatus(rs.getInt(2));
                response.setContentType(rs.getString(4));
                response.setHeader("Idempotent-Replayed", "true");
                response.getOutputStream().write(rs.getBytes(3));
            }
        }
    }

    private static void store(Connection claim, String apiKeyId, String key, ContentCachingResponseWrapper recorded)
            throws SQLException {
        try (PreparedStatement update = claim.prepareStatement("""
                update idempotency_keys set response_status = ?, response_body = ?, response_type = ?,
                       completed_at = now()
                where api_key_id = ? and key = ?""")) {
            update.setInt(1, recorded.getStatus());
            update.setBytes(2, recorded.getContentAsByteArray());
            update.setString(3, recorded.getContentType());
            update.setString(4, apiKeyId);
            update.setString(5, key);
            update.executeUpdate();
        }
    }

    private static void rollbackQuietly(Connection claim) {
        try {
            claim.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: PostgreSQL has rolled back already
        }
    }

    private static ApiError inProgress() {
        return new ApiError(409, ErrorType.IDEMPOTENCY, "idempotency_key_in_use",
                "a request with this Idempotency-Key is still being processed; retry shortly", HEADER);
    }

    private static byte[] hash(HttpServletRequest request, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((request.getMethod() + " " + request.getRequestURI() + "?"
                    + (request.getQueryString() == null ? "" : request.getQueryString()) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
