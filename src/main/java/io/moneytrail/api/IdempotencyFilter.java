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
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} on every {@code POST /v1}: the first response (status and body) is
 * stored and replayed for a repeat with the same key and the same request; the same key
 * with a different request is an {@code idempotency_error}. The key is claimed with a unique
 * insert before the request runs, so two concurrent requests with one key produce one
 * effect: the second gets 409 until the first has finished. Keys are scoped by API key.
 * Every answer is stored except a 500 (an unexpected failure of ours: the client may retry);
 * a 502 "outcome unknown" is stored, so a retry cannot start a second provider call.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    static final int KEY_LENGTH_MAX = 255;
    /** A claim older than this is taken to be from a process that died mid-request. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);

    private final JdbcClient jdbc;
    private final ApiRequestFilter errors;
    private final Clock clock;

    IdempotencyFilter(JdbcClient jdbc, ApiRequestFilter errors, Clock clock) {
        this.jdbc = jdbc;
        this.errors = errors;
        this.clock = clock;
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
        if (!claim(apiKeyId, key, hash)) {
            Optional<Stored> stored = find(apiKeyId, key);
            if (stored.isEmpty()) { // released between our insert and our read: a 500 happened
                errors.write(response, inProgress());
                return;
            }
            Stored previous = stored.get();
            if (!Arrays.equals(previous.hash(), hash)) {
                errors.write(response, new ApiError(400, ErrorType.IDEMPOTENCY, "idempotency_key_reused",
                        "this Idempotency-Key was used with a different request; use a new key for a new request",
                        HEADER));
                return;
            }
            if (previous.status() == null) {
                errors.write(response, inProgress());
                return;
            }
            response.setStatus(previous.status());
            response.setContentType(previous.contentType());
            response.setHeader("Idempotent-Replayed", "true");
            response.getOutputStream().write(previous.body());
            return;
        }
        ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
        boolean completed = false;
        try {
            chain.doFilter(request, recorded);
            if (recorded.getStatus() != 500) {
                jdbc.sql("""
                        update idempotency_keys set status = 'completed', response_status = :status,
                               response_body = :body, response_type = :type, completed_at = now()
                        where api_key_id = :apiKey and key = :key
                        """)
                        .param("status", recorded.getStatus()).param("body", recorded.getContentAsByteArray())
                        .param("type", recorded.getContentType()).param("apiKey", apiKeyId).param("key", key)
                        .update();
                completed = true;
            }
        } finally {
            if (!completed) {
                release(apiKeyId, key);
            }
            recorded.copyBodyToResponse();
        }
    }

    private boolean claim(String apiKeyId, String key, byte[] hash) {
        int inserted = jdbc.sql("""
                        insert into idempotency_keys (api_key_id, key, request_hash, status)
                        values (:apiKey, :key, :hash, 'in_progress')
                        on conflict (api_key_id, key) do nothing
                        """)
                .param("apiKey", apiKeyId).param("key", key).param("hash", hash).update();
        if (inserted == 1) {
            return true;
        }
        // A claim left by a process that died mid-request is taken over rather than blocking forever.
        return jdbc.sql("""
                        update idempotency_keys set created_at = now()
                        where api_key_id = :apiKey and key = :key and status = 'in_progress'
                          and request_hash = :hash and created_at < :abandoned
                        """)
                .param("apiKey", apiKeyId).param("key", key).param("hash", hash)
                .param("abandoned", Timestamp.from(clock.instant().minus(ABANDONED_AFTER))).update() == 1;
    }

    private void release(String apiKeyId, String key) {
        jdbc.sql("delete from idempotency_keys where api_key_id = :apiKey and key = :key and status = 'in_progress'")
                .param("apiKey", apiKeyId).param("key", key).update();
    }

    private Optional<Stored> find(String apiKeyId, String key) {
        return jdbc.sql("""
                        select request_hash, response_status, response_body, response_type from idempotency_keys
                        where api_key_id = :apiKey and key = :key
                        """)
                .param("apiKey", apiKeyId).param("key", key)
                .query((rs, n) -> new Stored(rs.getBytes(1), (Integer) rs.getObject(2), rs.getBytes(3),
                        rs.getString(4)))
                .optional();
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

    private record Stored(byte[] hash, Integer status, byte[] body, String contentType) {
    }
}
