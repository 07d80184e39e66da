package io.moneytrail.database;

/**
 * Where the PostgreSQL server is: the embedded one this process started, or an external one
 * configured by URL. Other parts (the sandbox provider) open their own pools against it.
 */
public record DatabaseEndpoint(String jdbcUrl, String username, String password, boolean embedded) {
}
