package io.moneytrail.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The embedded PostgreSQL's processes. {@code pg_ctl} starts the postmaster in a session of
 * its own, so the postmaster's pid is also its process group, which its backends share. A
 * killed process stays a zombie until its parent (init, after {@code pg_ctl} has exited)
 * reaps it; a zombie is dead here, although {@link ProcessHandle#isAlive()} says otherwise and
 * PostgreSQL would still see its pid as taken.
 */
public final class ProcessGroup {

    private static final Path PROC = Path.of("/proc");

    private ProcessGroup() {
    }

    /** Whether the process runs (is neither gone nor a zombie). */
    public static boolean alive(long pid) {
        Optional<String[]> stat = stat(pid);
        if (stat.isPresent()) {
            return !stat.get()[0].equals("Z") && !stat.get()[0].equals("X");
        }
        if (Files.isDirectory(PROC)) {
            return false;
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Whether any process of the group still runs (Linux; elsewhere: whether its leader runs). */
    public static boolean anyAlive(long pgid) {
        if (!Files.isDirectory(PROC)) {
            return alive(pgid);
        }
        try (Stream<Path> entries = Files.list(PROC)) {
            return entries.map(p -> p.getFileName().toString()).filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).map(ProcessGroup::stat).flatMap(Optional::stream)
                    .anyMatch(fields -> Long.parseLong(fields[2]) == pgid && !fields[0].equals("Z")
                            && !fields[0].equals("X"));
        } catch (IOException e) {
            return alive(pgid);
        }
    }

    /** Sends SIGKILL to every process of the group ({@code kill -KILL -- -pgid}). */
    public static void kill(long pgid) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IOException("kill -KILL -- -" + pgid + " exited with " + exit);
        }
    }

    /** Waits until no process of the group runs; false if some still does after {@code max}. */
    public static boolean awaitGone(long pgid, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (anyAlive(pgid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** The pid in a data directory's {@code postmaster.pid}, if it names one. */
    public static Optional<Long> postmaster(Path dataDirectory) {
        try {
            Path pidFile = dataDirectory.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return Optional.of(Long.parseLong(first));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** State, parent and process group from {@code /proc/<pid>/stat}; empty if there is none. */
    private static Optional<String[]> stat(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new String[] {fields[0], fields[1], fields[2]});
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
