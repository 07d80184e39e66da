package io.moneytrail.api;

import io.moneytrail.access.Actor;
import io.moneytrail.access.Actors;
import io.moneytrail.access.ApiPaths;
import io.moneytrail.money.ErrorType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} on {@code POST /v1}: the first answer (status and body) is stored and
 * replayed for a repeat with the same key and the same request; the same key with a different
 * request is an {@code idempotency_error}. Keys are scoped by API key. Moving money
 * ({@code POST /v1/refunds}, {@code POST /v1/payments/{id}/capture}) requires a key
 * ({@code 400 idempotency_key_required}); elsewhere it is optional.
 *
 * <p>The key is claimed by a short committed row with a lease ({@link IdempotencyClaims}); no
 * connection or transaction is held while the request runs. A concurrent repeat finds the claim
 * in progress and waits for the answer (polling, up to the wait bound), then replays it; past
 * the bound it gets 409 {@code idempotency_key_in_use}. If the process dies mid-request, its
 * lease runs out and a retry takes the claim over. What the first run had already committed is
 * found again through the key ({@link #CREATION_KEY}), so a retry after a crash does not create
 * a second order, payment or refund.
 *
 * <p>A 2xx answer of a request that creates something under its creation key
 * ({@code POST /v1/orders}, {@code POST /v1/orders/{id}/payments}, {@code POST /v1/refunds}) is
 * stored a few milliseconds later, in a batch with others ({@link IdempotencyClaims#completeLater}):
 * this instance replays it from memory meanwhile; another instance sees the claim in progress and
 * waits for it (or gets 409 {@code idempotency_key_in_use} past the wait bound); after a crash
 * before the batch was written, a retry past the lease runs the request again and the creation
 * key returns what the first run created. Every other answer (errors, 502 outcome unknown, other
 * routes such as captures) is stored before it is sent, as before.
 *
 * <p>{@code POST /v1/refunds} makes no commit for its key: its claim is written in the refund
 * intent's transaction and its answer in the transaction that applies the provider's answer
 * ({@link IdempotencyClaims.Pending}; see {@link #runClaimingInTransaction}).
 *
 * <p>Every answer is stored except a 500 (an unexpected failure of ours: the client may
 * retry); a 502 "outcome unknown" is stored, so a retry cannot start a second provider call.
 * The filter decides on the normalised path (the one routing uses), never on the raw URI.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    /** Request attribute: the scoped key, for services that create objects. */
    static final String CREATION_KEY = IdempotencyFilter.class.getName() + ".creationKey";
    static final int KEY_LENGTH_MAX = 255;
    static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    /** Requests that move money: they take no chance of running twice. */
    private static final Pattern KEY_REQUIRED = Pattern.compile("/v1/refunds|/v1/payments/[^/]+/capture");
    /**
     * Requests whose service stores the scoped key on what it creates and returns that object
     * to a repeat (RefundActions.refund, PaymentActions.create, OrderService.create, Checkouts.create): their 2xx
     * answers may be stored late, because a re-run after a crash cannot create a second one.
     */
    private static final Pattern CREATES_UNDER_KEY = Pattern.compile(
            "/v1/refunds|/v1/orders|/v1/orders/[^/]+/payments|/v1/orders/[^/]+/checkout_sessions");
    /**
     * Requests whose service writes the claim in its first write transaction, the one that commits
     * its intent ({@link #PENDING_CLAIM}): the claim then costs no commit of its own.
     * RefundActions.refund joins it before it locks anything.
     */
    private static final Pattern CLAIMS_IN_TRANSACTION = Pattern.compile("/v1/refunds");
    /** Request attribute: the {@link IdempotencyClaims.Pending} claim the request's intent transaction writes. */
    static final String PENDING_CLAIM = IdempotencyFilter.class.getName() + ".pendingClaim";
    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

    private final IdempotencyClaims claims;
    private final ApiRequestFilter errors;
    private final Duration waitMax;

    IdempotencyFilter(IdempotencyClaims claims, ApiRequestFilter errors,
                      @Value("${moneytrail.api.idempotency-wait:10s}") Duration waitMax) {
        this.claims = claims;
        this.errors = errors;
        this.waitMax = waitMax;
    }

    /** Whose keys these are: the API key's id, or the id of whoever else authenticated. */
    private static String scope(HttpServletRequest request) {
        if (request.getAttribute(ApiRequestFilter.API_KEY_ATTRIBUTE) instanceof String keyId) {
            return keyId;
        }
        if (!(request.getAttribute(Actors.REQUEST_ATTRIBUTE) instanceof Actor actor)) {
            return null;
        }
        return actor.kind() == Actor.Kind.KEY ? actor.id() : actor.kindName() + ":" + actor.id();
    }

    static boolean keyRequired(String method, String path) {
        return "POST".equals(method) && KEY_REQUIRED.matcher(path).matches();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = ApiPaths.of(request);
        return !"POST".equals(request.getMethod()) || !path.startsWith("/v1/") || path.startsWith("/v1/webhooks/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        String path = ApiPaths.of(request);
        if (key == null) {
            if (keyRequired(request.getMethod(), path)) {
                errors.write(response, new ApiError(400, ErrorType.IDEMPOTENCY, "idempotency_key_required",
                        "this request moves money: send an " + HEADER + " header (a unique value per operation, "
                                + "e.g. a UUID) and send the same value when you retry it", HEADER));
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        if (key.isBlank() || key.length() > KEY_LENGTH_MAX) {
            errors.write(response, new ApiError(400, ErrorType.IDEMPOTENCY, "idempotency_key_invalid",
                    HEADER + " must be 1 to " + KEY_LENGTH_MAX + " characters", HEADER));
            return;
        }
        String apiKeyId = scope(request);
        if (apiKeyId == null || !(request instanceof ApiRequestFilter.CachedBodyRequest cached)) {
            chain.doFilter(request, response); // not authenticated, or a streamed upload: nothing to store
            return;
        }
        byte[] hash = hash(request.getMethod(), path, request.getQueryString(), cached.body());
        boolean createsUnderKey = CREATES_UNDER_KEY.matcher(path).matches();
        if (CLAIMS_IN_TRANSACTION.matcher(path).matches()) {
            Optional<IdempotencyClaims.Completed> here = claims.answeredHere(apiKeyId, key);
            if (here.isEmpty()) {
                runClaimingInTransaction(request, response, chain, apiKeyId, key, hash, createsUnderKey);
                return;
            }
        }
        claimAndRun(request, response, chain, apiKeyId, key, hash, createsUnderKey);
    }

    /**
     * Claims the key on its own (a short committed row), waiting for a live claim of the same
     * request, then replays a stored answer, refuses, or runs the request.
     */
    private void claimAndRun(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                             String apiKeyId, String key, byte[] hash, boolean createsUnderKey)
            throws ServletException, IOException {
        IdempotencyClaims.Found found = awaitClaim(apiKeyId, key, hash);
        if (answer(response, found, hash)) {
            return;
        }
        run(request, response, chain, apiKeyId, key, hash, createsUnderKey);
    }

    /** Claims the key, polling while a claim of the same request is live (up to the wait bound). */
    private IdempotencyClaims.Found awaitClaim(String apiKeyId, String key, byte[] hash) throws ServletException {
        long deadline = System.nanoTime() + waitMax.toNanos();
        IdempotencyClaims.Found found = claims.claim(apiKeyId, key, hash);
        while (found instanceof IdempotencyClaims.InProgress running && Arrays.equals(running.requestHash(), hash)
                && System.nanoTime() < deadline) {
            sleep(POLL_INTERVAL);
            found = claims.claim(apiKeyId, key, hash);
        }
        return found;
    }

    /** Writes the answer for a key someone else holds or answered; false when the claim is ours. */
    private boolean answer(HttpServletResponse response, IdempotencyClaims.Found found, byte[] hash)
            throws IOException {
        if (found instanceof IdempotencyClaims.Completed done) {
            if (!Arrays.equals(done.requestHash(), hash)) {
                errors.write(response, reused());
                return true;
            }
            response.setStatus(done.status());
            response.setContentType(done.contentType());
            response.setHeader("Idempotent-Replayed", "true");
            response.getOutputStream().write(done.body() == null ? new byte[0] : done.body());
            return true;
        }
        if (found instanceof IdempotencyClaims.InProgress running) {
            errors.write(response, Arrays.equals(running.requestHash(), hash) ? inProgress() : reused());
            return true;
        }
        return false;
    }

    /**
     * Runs a request whose service writes the claim in its intent transaction
     * ({@link IdempotencyClaims.Pending}). Afterwards: a claim that was written is completed as
     * in {@link #run}; an answer given without writing the claim (refused before or inside that
     * transaction, or the first run's object found again) is stored as completed unless another
     * request holds the key; if one does (its claim or answer stopped ours), our answer is
     * dropped and the key's own is awaited and replayed, as for a repeat. A request never calls
     * the provider before its claim committed, so a dropped answer had no effect.
     */
    private void runClaimingInTransaction(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                                          String apiKeyId, String key, byte[] hash, boolean createsUnderKey)
            throws ServletException, IOException {
        IdempotencyClaims.Pending pending = claims.pending(apiKeyId, key, hash);
        request.setAttribute(CREATION_KEY, apiKeyId + ":" + key);
        request.setAttribute(PENDING_CLAIM, pending);
        ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
        boolean ran = false;
        try {
            chain.doFilter(request, recorded);
            ran = true;
            int status = recorded.getStatus();
            if (pending.state() == IdempotencyClaims.Pending.State.WRITTEN) {
                complete(apiKeyId, key, hash, status, recorded, createsUnderKey);
                return;
            }
            IdempotencyClaims.Completed stored = pending.answered();
            if (stored != null) {
                // stored with the change it answers; what was sent is built from the same object, so it is the same
                if (stored.status() != status || !Arrays.equals(stored.body(), recorded.getContentAsByteArray())
                        || !java.util.Objects.equals(stored.contentType(), recorded.getContentType())) {
                    log.warn("idempotency key {} of {}: the answer stored with its change differs from the one sent;"
                            + " storing the one sent", key, apiKeyId);
                    claims.correct(apiKeyId, key, status, recorded.getContentAsByteArray(), recorded.getContentType());
                }
                return;
            }
            if (pending.state() != IdempotencyClaims.Pending.State.TAKEN
                    && (status == 500 || claims.storeUnclaimed(apiKeyId, key, hash, status,
                    recorded.getContentAsByteArray(), recorded.getContentType()))) {
                return; // a 500 is not stored (nothing was claimed); any other answer is now the key's
            }
            // another request holds the key or answered it: ours is dropped, the key's is awaited and replayed
            recorded.reset();
            IdempotencyClaims.Found found = awaitClaim(apiKeyId, key, hash);
            if (!answer(recorded, found, hash)) {
                // the other claim went away meanwhile (its request failed): ours now, but this run is over
                claims.release(apiKeyId, key);
                errors.write(recorded, inProgress());
            }
        } finally {
            if (!ran && pending.state() == IdempotencyClaims.Pending.State.WRITTEN) {
                claims.release(apiKeyId, key); // failed unexpectedly after its claim committed: the client may retry
            }
            recorded.copyBodyToResponse();
        }
    }

    /** Stores the answer of a request that holds its claim: late for a 2xx of a create, at once otherwise, none for a 500. */
    private void complete(String apiKeyId, String key, byte[] hash, int status, ContentCachingResponseWrapper recorded,
                          boolean createsUnderKey) {
        if (createsUnderKey && status >= 200 && status < 300) {
            claims.completeLater(apiKeyId, key, hash, status, recorded.getContentAsByteArray(),
                    recorded.getContentType());
        } else if (status != 500) {
            if (!claims.complete(apiKeyId, key, status, recorded.getContentAsByteArray(), recorded.getContentType())) {
                log.warn("idempotency key {} of {}: the claim was lost while the request ran; answer not stored",
                        key, apiKeyId);
            }
        } else {
            claims.release(apiKeyId, key);
        }
    }

    private void run(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String apiKeyId,
                     String key, byte[] hash, boolean createsUnderKey) throws ServletException, IOException {
        request.setAttribute(CREATION_KEY, apiKeyId + ":" + key);
        ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
        boolean stored = false;
        try {
            chain.doFilter(request, recorded);
            int status = recorded.getStatus();
            if (createsUnderKey && status >= 200 && status < 300) {
                claims.completeLater(apiKeyId, key, hash, status, recorded.getContentAsByteArray(),
                        recorded.getContentType());
                stored = true;
            } else if (status != 500) {
                if (!claims.complete(apiKeyId, key, recorded.getStatus(), recorded.getContentAsByteArray(),
                        recorded.getContentType())) {
                    log.warn("idempotency key {} of {}: the claim was lost while the request ran; answer not stored",
                            key, apiKeyId);
                }
                stored = true;
            }
        } finally {
            if (!stored) {
                claims.release(apiKeyId, key);
            }
            recorded.copyBodyToResponse();
        }
    }

    private static void sleep(Duration pause) throws ServletException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServletException("interrupted while waiting for a concurrent request with the same key", e);
        }
    }

    private static ApiError reused() {
        return new ApiError(400, ErrorType.IDEMPOTENCY, "idempotency_key_reused",
                "this Idempotency-Key was used with a different request; use a new key for a new request", HEADER);
    }

    private static ApiError inProgress() {
        return new ApiError(409, ErrorType.IDEMPOTENCY, "idempotency_key_in_use",
                "a request with this Idempotency-Key is still being processed; retry shortly", HEADER);
    }

    /** What makes two requests the same: method, normalised path, query and body. */
    static byte[] hash(String method, String path, String query, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + " " + path + "?" + (query == null ? "" : query) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
