package io.moneytrail.database;

/**
 * Where the PostgreSQL server is: the embedded one this process started, or an external one
 * configured by URL, and the two roles the service uses there. {@code username} is the role
 * the service runs as: it reads and writes rows and owns nothing, so it can neither change the
 * schema nor drop or disable the immutability triggers. Every pool that serves requests or
 * background work uses it. {@code ownerUsername} owns the schema and runs the migrations (the
 * core's and the sandbox's); nothing else connects as it.
 */
public record DatabaseEndpoint(String jdbcUrl, String username, String password, boolean embedded,
                               String ownerUsername, String ownerPassword) {

    /** An endpoint where one role both runs the service and owns the schema. */
    public DatabaseEndpoint(String jdbcUrl, String username, String password, boolean embedded) {
        this(jdbcUrl, username, password, embedded, username, password);
    }

    /** The same server, reached as the owner (for migrations and maintenance). */
    public DatabaseEndpoint owner() {
        return new DatabaseEndpoint(jdbcUrl, ownerUsername, ownerPassword, embedded);
    }

    /** Whether the service runs as a role of its own, apart from the owner. */
    public boolean separateOwner() {
        return ownerUsername != null && !ownerUsername.equals(username);
    }

    @Override
    public String toString() { // never the passwords
        return "DatabaseEndpoint[" + jdbcUrl + ", user " + username + ", owner " + ownerUsername + "]";
    }
}
