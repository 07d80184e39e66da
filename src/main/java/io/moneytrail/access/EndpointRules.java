package io.moneytrail.access;

import static io.moneytrail.access.Role.ACCOUNTANT;
import static io.moneytrail.access.Role.ADMIN;
import static io.moneytrail.access.Role.OPERATOR;
import static io.moneytrail.access.Role.STORE;
import static io.moneytrail.access.Role.VIEWER;

import jakarta.servlet.http.HttpServletRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The role × endpoint table: who may call what. The first rule that matches a request decides;
 * a request no rule names needs an admin key (deny by default). Paths are matched as Spring
 * MVC routes them (decoded, without {@code ;parameters}). {@code docs/security.md} ("Roles")
 * prints this same table, and a test holds the two together.
 */
final class EndpointRules {

    /** One row: a method ({@code null}: any) and a path pattern, and the roles that may call it (empty: no key needed). */
    record Rule(HttpMethod method, String pattern, Set<Role> roles, RequestMatcher matcher) {

        boolean isPublic() {
            return roles.isEmpty();
        }

        String endpoint() {
            return (method == null ? "any" : method.name()) + " " + pattern;
        }

        String rolesText() {
            return roles.stream().map(Role::wireName).collect(Collectors.joining(", "));
        }
    }

    private static final Set<Role> PUBLIC = EnumSet.noneOf(Role.class);
    private static final Set<Role> ADMIN_ONLY = EnumSet.of(ADMIN);
    /** Reads of orders, payments and refunds: everyone but the 1C exchange. */
    private static final Set<Role> READ = EnumSet.of(ADMIN, STORE, OPERATOR, ACCOUNTANT, VIEWER);
    /** What a shop backend does with orders and money at the provider. */
    private static final Set<Role> SHOP = EnumSet.of(ADMIN, STORE, OPERATOR);
    private static final Set<Role> SHOP_READ = EnumSet.of(ADMIN, STORE, OPERATOR, VIEWER);
    private static final Set<Role> OPERATIONS = EnumSet.of(ADMIN, OPERATOR);
    private static final Set<Role> OPERATIONS_READ = EnumSet.of(ADMIN, OPERATOR, VIEWER);
    private static final Set<Role> BOOKS = EnumSet.of(ADMIN, ACCOUNTANT);
    private static final Set<Role> BOOKS_READ = EnumSet.of(ADMIN, ACCOUNTANT, VIEWER);
    /** Fiscal receipts: retried by operations, corrected by operations or the books (fiscal, issue 14). */
    private static final Set<Role> FISCAL = EnumSet.of(ADMIN, OPERATOR, ACCOUNTANT);
    /** Reports (the checkout funnel): the books' readers, and the store that wants to know where it loses customers. */
    private static final Set<Role> REPORTS_READ = EnumSet.of(ADMIN, STORE, ACCOUNTANT, VIEWER);

    static final List<Rule> RULES = List.of(
            // provider webhooks authenticate by the provider's signature, not by our keys
            rule(null, "/v1/webhooks/**", PUBLIC),
            rule(HttpMethod.POST, "/v1/orders", SHOP),
            rule(HttpMethod.GET, "/v1/orders", READ),
            rule(HttpMethod.GET, "/v1/orders/{id}", READ),
            rule(HttpMethod.GET, "/v1/orders/{id}/timeline", READ),
            rule(HttpMethod.GET, "/v1/orders/{id}/ledger", BOOKS_READ),
            rule(HttpMethod.GET, "/v1/orders/{id}/receipts", READ),
            rule(HttpMethod.POST, "/v1/orders/{id}/payments", SHOP),
            // checkout (issue 13): the store opens a hosted checkout session for an order
            rule(HttpMethod.POST, "/v1/orders/{id}/checkout_sessions", SHOP),
            rule(HttpMethod.GET, "/v1/checkout_sessions/{id}", READ),
            rule(HttpMethod.POST, "/v1/orders/{id}/fulfill", SHOP),
            rule(HttpMethod.POST, "/v1/orders/{id}/cancel", SHOP),
            rule(HttpMethod.GET, "/v1/payments/{id}", READ),
            rule(HttpMethod.POST, "/v1/payments/{id}/capture", SHOP),
            rule(HttpMethod.POST, "/v1/payments/{id}/cancel", SHOP),
            rule(HttpMethod.POST, "/v1/payments/{id}/recheck", OPERATIONS),
            rule(HttpMethod.POST, "/v1/refunds", SHOP),
            rule(HttpMethod.GET, "/v1/refunds/{id}", READ),
            rule(HttpMethod.GET, "/v1/reviews", OPERATIONS_READ),
            rule(HttpMethod.GET, "/v1/inbound_webhooks", OPERATIONS_READ),
            // fiscal receipts (issue 14)
            rule(HttpMethod.GET, "/v1/receipts/**", READ),
            rule(HttpMethod.POST, "/v1/receipts/{id}/retry", OPERATIONS),
            rule(HttpMethod.POST, "/v1/receipts/corrections", FISCAL),
            rule(HttpMethod.GET, "/v1/events/**", SHOP_READ),
            rule(HttpMethod.POST, "/v1/events/{id}/redeliver", SHOP),
            rule(HttpMethod.GET, "/v1/webhook_endpoints/**", SHOP_READ),
            rule(HttpMethod.POST, "/v1/webhook_endpoints/**", SHOP),
            rule(HttpMethod.GET, "/v1/ledger/**", BOOKS_READ),
            rule(HttpMethod.POST, "/v1/ledger/adjustments", BOOKS),
            rule(HttpMethod.POST, "/v1/ledger/adjustments/{id}/approve", BOOKS),
            rule(HttpMethod.POST, "/v1/ledger/adjustments/{id}/reject", BOOKS),
            rule(HttpMethod.GET, "/v1/reconciliation/**", BOOKS_READ),
            rule(HttpMethod.POST, "/v1/reconciliation/**", BOOKS),
            // funnel (issue 13): the checkout funnel report
            rule(HttpMethod.GET, "/v1/reports/funnel", REPORTS_READ),
            rule(null, "/v1/api_keys/**", ADMIN_ONLY),
            rule(null, "/v1/users/**", ADMIN_ONLY),
            rule(HttpMethod.GET, "/v1/audit_log", ADMIN_ONLY),
            rule(null, "/v1/**", ADMIN_ONLY),
            // health shows its status to anyone, its details to an admin (or on the management port)
            rule(HttpMethod.GET, "/actuator/health", PUBLIC),
            rule(null, "/actuator/**", ADMIN_ONLY),
            // the sandbox provider checks its own key on its API; its payment page is the customer's
            rule(null, "/sandbox/**", PUBLIC),
            // checkout (issue 13): the customer's hosted page; its unguessable token is the credential
            rule(null, "/checkout/**", PUBLIC),
            rule(HttpMethod.GET, "/docs/**", PUBLIC),
            rule(HttpMethod.GET, "/swagger-ui/**", PUBLIC),
            rule(HttpMethod.GET, "/v3/api-docs/**", PUBLIC),
            rule(null, "/error", PUBLIC),
            rule(null, "/**", ADMIN_ONLY));

    private EndpointRules() {
    }

    /** The first rule that matches; the table ends with a catch-all, so there always is one. */
    static Rule ruleFor(HttpServletRequest request) {
        for (Rule rule : RULES) {
            if (rule.matcher().matches(request)) {
                return rule;
            }
        }
        throw new IllegalStateException("the role table ends with a catch-all rule");
    }

    private static Rule rule(HttpMethod method, String pattern, Set<Role> roles) {
        Set<Role> copy = java.util.Collections.unmodifiableSet(roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles));
        return new Rule(method, pattern, copy, PathPatternRequestMatcher.withDefaults().matcher(method, pattern));
    }
}
