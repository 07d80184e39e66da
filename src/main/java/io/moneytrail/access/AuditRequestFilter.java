package io.moneytrail.access;

import io.moneytrail.money.Ids;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Gives every {@code /v1} request an id ({@code req_…}, answered as the {@code Request-Id}
 * header) and writes the audit row of every state-changing request (POST, PUT, PATCH, DELETE
 * under {@code /v1}, except the providers' webhooks) that no service recorded in its own
 * transaction: refused ones (4xx), failed ones (5xx), and those that changed nothing worth a
 * row of their own. The row is written once the answer is known, in a transaction of its own.
 *
 * <p>Requests without an authenticated actor (401) are not written: an append-only log that is
 * never purged must not be fillable by anyone on the network. Replayed idempotent answers are
 * not written again either: the first answer's row stands for them.
 *
 * <p>Outermost of the API's filters, so that it sees what authentication, the idempotency store
 * and the role checks refuse. It decides on the normalised path (the one routing uses).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class AuditRequestFilter extends OncePerRequestFilter {

    static final String HEADER = "Request-Id";
    static final String REQUEST_ID_PREFIX = "req_";
    /** Longer paths are kept cut (none of ours is near it). */
    static final int PATH_CHARS_MAX = 500;
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Logger log = LoggerFactory.getLogger(AuditRequestFilter.class);

    /** What a route does: its action and the type of the object its {@code {id}} names. */
    record Route(String action, String objectType) {
    }

    /** Method and route pattern to action; a route not listed is {@code http.<method>} with its path. */
    static final Map<String, Route> ROUTES = Map.ofEntries(
            Map.entry("POST /v1/orders", new Route("order.create", "order")),
            Map.entry("POST /v1/orders/{id}/payments", new Route("payment.create", "order")),
            Map.entry("POST /v1/orders/{id}/fulfill", new Route("order.fulfill", "order")),
            Map.entry("POST /v1/orders/{id}/cancel", new Route("order.cancel", "order")),
            Map.entry("POST /v1/payments/{id}/capture", new Route("payment.capture", "payment")),
            Map.entry("POST /v1/payments/{id}/cancel", new Route("payment.cancel", "payment")),
            Map.entry("POST /v1/payments/{id}/recheck", new Route("payment.recheck", "payment")),
            Map.entry("POST /v1/refunds", new Route("refund.create", "refund")),
            Map.entry("POST /v1/ledger/adjustments", new Route("ledger.adjustment.create", "journal_entry")),
            Map.entry("POST /v1/ledger/adjustments/{id}/approve",
                    new Route("ledger.adjustment.approve", "ledger_adjustment")),
            Map.entry("POST /v1/ledger/adjustments/{id}/reject",
                    new Route("ledger.adjustment.reject", "ledger_adjustment")),
            Map.entry("POST /v1/reconciliation/files", new Route("reconciliation.file.upload", "reconciliation_file")),
            Map.entry("POST /v1/reconciliation/runs", new Route("reconciliation.run.create", "reconciliation_run")),
            Map.entry("POST /v1/reconciliation/exceptions/{id}/acknowledge",
                    new Route("reconciliation.exception.acknowledge", "reconciliation_exception")),
            Map.entry("POST /v1/reconciliation/exceptions/{id}/resolve",
                    new Route("reconciliation.exception.resolve", "reconciliation_exception")),
            Map.entry("POST /v1/reconciliation/exceptions/{id}/ignore",
                    new Route("reconciliation.exception.ignore", "reconciliation_exception")),
            Map.entry("POST /v1/webhook_endpoints", new Route("webhook_endpoint.create", "webhook_endpoint")),
            Map.entry("POST /v1/webhook_endpoints/{id}/disable",
                    new Route("webhook_endpoint.disable", "webhook_endpoint")),
            Map.entry("POST /v1/webhook_endpoints/{id}/roll_secret",
                    new Route("webhook_endpoint.roll_secret", "webhook_endpoint")),
            Map.entry("POST /v1/events/{id}/redeliver", new Route("event.redeliver", "event")),
            Map.entry("POST /v1/api_keys", new Route("api_key.create", "api_key")),
            Map.entry("DELETE /v1/api_keys/{id}", new Route("api_key.revoke", "api_key")),
            Map.entry("POST /v1/users", new Route("user.create", "user")),
            Map.entry("POST /v1/users/{id}/disable", new Route("user.disable", "user")));

    private record Matcher(String method, PathPattern pattern, Route route) {
    }

    /**
     * The routes as patterns, matched here rather than read from what the dispatcher matched,
     * so that a request refused before it reaches a controller (401, 403, a missing
     * {@code Idempotency-Key}) is named by its action and target too.
     */
    private static final List<Matcher> MATCHERS = ROUTES.entrySet().stream().map(entry -> {
        String[] methodAndPattern = entry.getKey().split(" ", 2);
        return new Matcher(methodAndPattern[0], PathPatternParser.defaultInstance.parse(methodAndPattern[1]),
                entry.getValue());
    }).toList();

    private final AuditTrail trail;

    AuditRequestFilter(AuditTrail trail) {
        this.trail = trail;
    }

    /** The routed path ({@link ApiPaths}), cut to what a row keeps. */
    static String normalisedPath(HttpServletRequest request) {
        String path = ApiPaths.of(request);
        return path.length() > PATH_CHARS_MAX ? path.substring(0, PATH_CHARS_MAX) : path;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !ApiPaths.isApi(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = Ids.next(REQUEST_ID_PREFIX);
        request.setAttribute(AuditTrail.REQUEST_ID_ATTRIBUTE, requestId);
        response.setHeader(HEADER, requestId);
        String path = normalisedPath(request);
        if (!STATE_CHANGING.contains(request.getMethod()) || path.startsWith("/v1/webhooks/")) {
            chain.doFilter(request, response);
            return;
        }
        boolean threw = true;
        try {
            chain.doFilter(request, response);
            threw = false;
        } finally {
            recordUnlessRecorded(request, response, path, requestId, threw);
        }
    }

    private void recordUnlessRecorded(HttpServletRequest request, HttpServletResponse response, String path,
                                      String requestId, boolean threw) {
        if (request.getAttribute(AuditTrail.RECORDED_ATTRIBUTE) != null
                || "true".equals(response.getHeader("Idempotent-Replayed"))) {
            return;
        }
        if (!(request.getAttribute(Actors.REQUEST_ATTRIBUTE) instanceof Actor actor)) {
            return; // unauthenticated: see the class comment
        }
        int status = threw && response.getStatus() < 500 ? 500 : response.getStatus();
        AuditTrail.Outcome outcome = status >= 500 ? AuditTrail.Outcome.FAILED
                : status >= 400 ? AuditTrail.Outcome.REFUSED : AuditTrail.Outcome.SUCCEEDED;
        Route route = null;
        String objectId = null;
        PathContainer container;
        try {
            container = PathContainer.parsePath(path);
        } catch (IllegalArgumentException undecodable) {
            // the path is already decoded; parsePath decodes once more, and "%zz" (sent as %25zz)
            // is no escape: no route of ours has such a path, so the row names no route
            container = null;
        }
        for (Matcher matcher : MATCHERS) {
            PathPattern.PathMatchInfo match = container != null && matcher.method().equals(request.getMethod())
                    ? matcher.pattern().matchAndExtract(container) : null;
            if (match != null) {
                route = matcher.route();
                objectId = match.getUriVariables().get("id");
                break;
            }
        }
        String action = route == null ? "http." + request.getMethod().toLowerCase(java.util.Locale.ROOT)
                : route.action();
        try {
            trail.insert(actor, action, route == null ? null : route.objectType(), objectId, requestId,
                    request.getMethod(), path, status, outcome, null, Map.of());
        } catch (RuntimeException e) {
            log.error("audit row of {} {} ({}) not written", request.getMethod(), path, requestId, e);
        }
    }
}
