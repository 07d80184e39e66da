/**
 * The sandbox payment provider: a fake PSP that is nevertheless a real HTTP service, with its
 * own schema, its own connection pool, a hosted payment page, signed webhooks and injectable
 * faults. Moneytrail's provider adapter talks to it over HTTP only, exactly as it would talk
 * to a real acquirer, so the sandbox shares no code or state with the core: it depends only
 * on where the database is ({@code database}) and on the id generator ({@code money}).
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"database", "money"})
package io.moneytrail.sandbox;
