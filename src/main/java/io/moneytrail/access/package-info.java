/**
 * Who may do what: API keys and their roles, the role × endpoint table, the authenticated
 * {@link io.moneytrail.access.Actor} of a request, and the audit log of everything that changed
 * state. The security filter chains live here; {@code docs/security.md} is the prose of it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Access",
        allowedDependencies = {"money", "database"})
package io.moneytrail.access;
