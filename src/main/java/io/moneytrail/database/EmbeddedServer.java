package io.moneytrail.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL (zonky's binaries), durable and closed:
 * <ul>
 * <li>fsync and synchronous commit on. The library starts the server with {@code -F} (fsync
 * off) and {@code synchronous_commit=off}; later {@code -c} settings on the same command line
 * override both, as {@code postmaster.opts} shows.</li>
 * <li>Password authentication only. {@code initdb} gets {@code --auth=scram-sha-256} and the
 * superuser's password (after the library's {@code -A trust}, so ours wins); the password is
 * generated once and kept in {@code <data dir>/postgres-password} (0600). A data directory
 * made by an older version, which trusted every local connection, is closed at start: the
 * superuser gets the password, {@code pg_hba.conf} is rewritten, the server reloads it.</li>
 * <li>Two roles. {@code postgres} owns the schema and runs the migrations; the service runs as
 * {@code moneytrail_app}, which owns nothing and may only read and write rows
 * ({@link RuntimeGrants}). Its password is new at every start and never written to disk.</li>
 * <li>Supervised. If the server dies (killed, out of memory), a watchdog restarts it on the
 * same port and data; it recovers from its write-ahead log and the pools reconnect.</li>
 * </ul>
 */
final class EmbeddedServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

    static final String SUPERUSER = "postgres";
    static final String RUNTIME_ROLE = "moneytrail_app";
    static final String DATABASE = "postgres";
    /** In the service's data directory, next to the secret key (not in PostgreSQL's). */
    static final String PASSWORD_FILE = "postgres-password";
    static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    static final Duration WATCH_INTERVAL = Duration.ofMillis(500);
    static final Duration DEAD_SERVER_WAIT = Duration.ofSeconds(30);

    private final Path directory;
    private final Path passwordFile;
    private final int port;
    private final String ownerPassword;
    private final String runtimePassword = SecretFile.generate();
    private final Object lock = new Object();
    private final AtomicInteger restarts = new AtomicInteger();
    private final Thread watchdog;
    private EmbeddedPostgres postgres; // guarded by lock
    private volatile long postmasterPid;
    private volatile boolean closed;

    private EmbeddedServer(Path directory, Path passwordFile, int port, String ownerPassword) {
        this.directory = directory;
        this.passwordFile = passwordFile;
        this.port = port;
        this.ownerPassword = ownerPassword;
        this.watchdog = new Thread(this::watch, "embedded-postgres-watchdog");
        this.watchdog.setDaemon(true);
        Thread exit = new Thread(() -> closed = true, "embedded-postgres-exit");
        Runtime.getRuntime().addShutdownHook(exit);
    }

    /** Starts the server in {@code directory}, with its password in the service's data directory. */
    static EmbeddedServer start(Path directory, Path serviceDataDirectory, Integer port) throws IOException {
        Path passwordFile = serviceDataDirectory.resolve(PASSWORD_FILE);
        String password = SecretFile.readOrCreate(passwordFile);
        EmbeddedServer server = new EmbeddedServer(directory, passwordFile,
                port == null || port <= 0 ? freePort() : port, password);
        boolean fresh = !Files.exists(directory.resolve("postgresql.conf"));
        server.startPostgres();
        try {
            server.closeAccess(fresh);
            server.prepareRuntimeRole();
        } catch (IOException | SQLException | RuntimeException e) {
            server.close();
            throw e instanceof IOException io ? io : new IOException("cannot prepare the embedded PostgreSQL: "
                    + e.getMessage(), e);
        }
        server.watchdog.start();
        return server;
    }

    /** The runtime role's endpoint, with the owner's credentials for migrations. */
    DatabaseEndpoint endpoint() {
        return new DatabaseEndpoint(jdbcUrl(), RUNTIME_ROLE, runtimePassword, true, SUPERUSER, ownerPassword);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    Path directory() {
        return directory;
    }

    int port() {
        return port;
    }

    long postmasterPid() {
        return postmasterPid;
    }

    /** Times the watchdog restarted a server that had died. */
    int restarts() {
        return restarts.get();
    }

    private void startPostgres() throws IOException {
        synchronized (lock) {
            clearDeadPostmaster();
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setPort(port)
                    // durability: override the library's -F and synchronous_commit=off
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "localhost")
                    // TCP on the loopback only: no socket file in /tmp whose lock a dead server would keep
                    .setServerConfig("unix_socket_directories", "''")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("max_connections", "200")
                    // initdb: these come after the library's "-A trust" and replace it
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString())
                    // the library's own readiness check logs in as postgres
                    .setConnectConfig("password", ownerPassword)
                    .start();
            postmasterPid = ProcessGroup.postmaster(directory).orElse(-1L);
        }
        log.info("Started embedded PostgreSQL (pid {}) on port {} with data in {}", postmasterPid, port, directory);
    }

    /**
     * A postmaster killed with its backends leaves {@code postmaster.pid}; PostgreSQL clears it
     * itself unless the pid is still taken, as it is while the dead postmaster is a zombie. If
     * no process of its group runs, the file is stale and goes.
     */
    private void clearDeadPostmaster() throws IOException {
        var pid = ProcessGroup.postmaster(directory);
        if (pid.isEmpty() || ProcessGroup.alive(pid.get())) {
            return;
        }
        try {
            if (!ProcessGroup.awaitGone(pid.get(), DEAD_SERVER_WAIT)) {
                throw new IOException("processes of the dead PostgreSQL (group " + pid.get() + ") still run");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (ProcessHandle.of(pid.get()).isPresent()) { // a zombie not reaped yet
            Files.deleteIfExists(directory.resolve("postmaster.pid"));
        }
    }

    /**
     * Closes access: a fresh directory's {@code pg_hba.conf} is rewritten to ours; one that still
     * trusts (made by an older version, or reopened by an operator to recover a lost password)
     * first gets the superuser's password set, then is closed and reloaded.
     */
    private void closeAccess(boolean fresh) throws IOException, SQLException {
        boolean trusting = HostBasedAccess.trusts(directory);
        if (!fresh && !trusting) {
            return;
        }
        if (trusting) {
            log.warn("pg_hba.conf in {} trusts local connections; setting the superuser's password (kept in {})"
                    + " and closing it", directory, passwordFile);
            try (Connection c = owner()) {
                c.unwrap(PGConnection.class).alterUserPassword(SUPERUSER, ownerPassword.toCharArray(), "scram-sha-256");
            }
        }
        HostBasedAccess.close(directory);
        try (Connection c = owner(); Statement s = c.createStatement()) {
            s.execute("select pg_reload_conf()");
        }
        awaitPasswordRequired();
    }

    /** The reload is asynchronous: wait until a login without a password is refused. */
    private void awaitPasswordRequired() throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Connection ignored = DriverManager.getConnection(jdbcUrl(), SUPERUSER, null)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the embedded PostgreSQL still admits a login without password");
                }
            } catch (SQLException refused) {
                // 28P01, 28000: refused by the server; 08004: the server asked for a password we had not
                if (java.util.Set.of("28P01", "28000", "08004").contains(refused.getSQLState())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw refused;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The role the service runs as: a login that owns nothing; a new password at every start. */
    private void prepareRuntimeRole() throws SQLException {
        try (Connection c = owner(); Statement s = c.createStatement()) {
            s.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + RUNTIME_ROLE + "') then"
                    + " create role " + RUNTIME_ROLE + "; end if; end $$");
            s.execute("alter role " + RUNTIME_ROLE + " login nosuperuser nocreatedb nocreaterole noreplication"
                    + " nobypassrls");
            c.unwrap(PGConnection.class).alterUserPassword(RUNTIME_ROLE, runtimePassword.toCharArray(), "scram-sha-256");
            // PostgreSQL 15 already keeps PUBLIC from creating in schema public; a directory made otherwise may not
            s.execute("revoke create on schema public from public");
        }
    }

    private Connection owner() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), SUPERUSER, ownerPassword);
    }

    private void watch() {
        while (!closed) {
            try {
                Thread.sleep(WATCH_INTERVAL.toMillis());
                if (!closed && !ProcessGroup.alive(postmasterPid)) {
                    restart();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                log.error("Could not restart the embedded PostgreSQL; trying again", e);
            }
        }
    }

    /** After the server died: wait for its processes to end, then start it again on the same port. */
    private void restart() throws IOException, InterruptedException {
        synchronized (lock) {
            if (closed || ProcessGroup.alive(postmasterPid) || shuttingDown()) {
                return; // stopped on purpose (the JVM's exit stops it through the library's own hook)
            }
            log.error("Embedded PostgreSQL (pid {}) died; restarting it on port {}", postmasterPid, port);
            if (!ProcessGroup.awaitGone(postmasterPid, DEAD_SERVER_WAIT)) {
                log.warn("processes of the dead PostgreSQL (group {}) still run", postmasterPid);
            }
            if (ProcessHandle.of(postmasterPid).isPresent() && !ProcessGroup.anyAlive(postmasterPid)) {
                Files.deleteIfExists(directory.resolve("postmaster.pid")); // a zombie, not reaped yet
            }
            stopQuietly(); // releases the library's lock on the directory; there is no server left to stop
            // a failed start leaves the library's lock held by a handle it never returned: a new file
            Files.deleteIfExists(directory.resolve(OrphanedServer.OWNER_LOCK));
            startPostgres();
            restarts.incrementAndGet();
        }
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    private void stopQuietly() {
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException | RuntimeException e) {
            log.debug("stopping the dead server's handle", e);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        watchdog.interrupt();
        synchronized (lock) {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
