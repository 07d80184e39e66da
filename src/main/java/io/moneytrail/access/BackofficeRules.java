package io.moneytrail.access;

import static io.moneytrail.access.Role.ACCOUNTANT;
import static io.moneytrail.access.Role.ADMIN;
import static io.moneytrail.access.Role.OPERATOR;
import static io.moneytrail.access.Role.VIEWER;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The role × page table of the back office ({@code /admin}), as {@link EndpointRules} is the
 * API's: the first rule that matches decides, and a page no rule names is for admins only. The
 * roles follow the API's table for the same data (an operator moves money and rechecks but reads
 * no ledger; an accountant reads and corrects the books but moves no money; a viewer reads).
 * Pages ask {@link #allows} to show only the actions a user may take; the security chain asks it
 * again on the server. {@code docs/backoffice.md} prints this table.
 */
public final class BackofficeRules {

    /** One row: a method ({@code null}: any) and a path pattern, and the roles that may (empty: anyone). */
    public record Rule(String method, String pattern, Set<Role> roles) {

        boolean isPublic() {
            return roles.isEmpty();
        }

        public String rolesText() {
            return roles.stream().map(Role::wireName).collect(Collectors.joining(", "));
        }
    }

    private static final Set<Role> PUBLIC = EnumSet.noneOf(Role.class);
    private static final Set<Role> STAFF = EnumSet.of(ADMIN, OPERATOR, ACCOUNTANT, VIEWER);
    private static final Set<Role> ADMIN_ONLY = EnumSet.of(ADMIN);
    private static final Set<Role> OPERATIONS = EnumSet.of(ADMIN, OPERATOR);
    private static final Set<Role> OPERATIONS_READ = EnumSet.of(ADMIN, OPERATOR, VIEWER);
    private static final Set<Role> BOOKS = EnumSet.of(ADMIN, ACCOUNTANT);
    private static final Set<Role> BOOKS_READ = EnumSet.of(ADMIN, ACCOUNTANT, VIEWER);

    public static final List<Rule> RULES = List.of(
            rule(null, "/admin/login", PUBLIC),
            rule("GET", "/admin/assets/**", PUBLIC),
            rule("GET", "/admin", STAFF),
            rule("GET", "/admin/denied", STAFF),
            rule("GET", "/admin/orders", STAFF),
            rule("GET", "/admin/orders/{id}", STAFF),
            rule("GET", "/admin/orders/{id}/timeline", STAFF),
            rule("GET", "/admin/orders/{id}/ledger", BOOKS_READ),
            rule("GET", "/admin/orders/{id}/actions/{action}", OPERATIONS),
            rule("POST", "/admin/orders/{id}/actions/{action}", OPERATIONS),
            rule("GET", "/admin/reviews", OPERATIONS_READ),
            rule("GET", "/admin/events/**", OPERATIONS_READ),
            rule("POST", "/admin/events/**", OPERATIONS),
            rule("GET", "/admin/ledger/**", BOOKS_READ),
            rule("POST", "/admin/ledger/**", BOOKS),
            rule("GET", "/admin/reconciliation/**", BOOKS_READ),
            rule("POST", "/admin/reconciliation/**", BOOKS),
            rule("GET", "/admin/reports/**", BOOKS_READ),
            rule("GET", "/admin/audit-log", ADMIN_ONLY),
            rule(null, "/admin/settings/**", ADMIN_ONLY),
            rule(null, "/admin/**", ADMIN_ONLY));

    private static final List<PathPattern> PATTERNS = RULES.stream()
            .map(rule -> PathPatternParser.defaultInstance.parse(rule.pattern())).toList();

    private BackofficeRules() {
    }

    /** The first rule that matches; the table ends with a catch-all for {@code /admin/**}. */
    public static Rule ruleFor(String method, String path) {
        PathContainer container = PathContainer.parsePath(path);
        for (int i = 0; i < RULES.size(); i++) {
            Rule rule = RULES.get(i);
            if ((rule.method() == null || rule.method().equals(method)) && PATTERNS.get(i).matches(container)) {
                return rule;
            }
        }
        return RULES.get(RULES.size() - 1);
    }

    /** Whether {@code role} may {@code method} {@code path} (a page shows only what its user may do). */
    public static boolean allows(Role role, String method, String path) {
        Rule rule = ruleFor(method, path);
        return rule.isPublic() || role != null && rule.roles().contains(role);
    }

    private static Rule rule(String method, String pattern, Set<Role> roles) {
        return new Rule(method, pattern, Collections.unmodifiableSet(
                roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles)));
    }
}
