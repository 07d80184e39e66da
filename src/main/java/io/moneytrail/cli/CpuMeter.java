package io.moneytrail.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * CPU time spent by the processes a checkout lifecycle runs on: this JVM (Moneytrail and the
 * bench's HTTP client), the sandbox's JVM, and the two embedded PostgreSQL servers (each
 * postmaster and its live children: backends, WAL writer, checkpointer). On a shared machine
 * the rate swings with other people's load, CPU time per lifecycle hardly does, and cores
 * divided by it bounds the rate this machine can reach.
 * A PostgreSQL child that ends during the window takes its CPU time with it. The pools keep
 * their connections, so this is small.
 */
final class CpuMeter {

    private final Map<String, Supplier<Duration>> processes = new LinkedHashMap<>();
    private Map<String, Duration> start = Map.of();

    void addThisJvm(String name) {
        processes.put(name, () -> ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO));
    }

    void addProcess(String name, ProcessHandle process) {
        processes.put(name, () -> process.info().totalCpuDuration().orElse(Duration.ZERO));
    }

    /** A PostgreSQL server by its data directory: the postmaster named in {@code postmaster.pid}, and its children. */
    void addPostgres(String name, Path dataDirectory) {
        processes.put(name, () -> postmaster(dataDirectory)
                .map(pm -> Stream.concat(Stream.of(pm), pm.children())
                        .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                        .reduce(Duration.ZERO, Duration::plus))
                .orElse(Duration.ZERO));
    }

    private static Optional<ProcessHandle> postmaster(Path dataDirectory) {
        try {
            String first = Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).strip();
            return ProcessHandle.of(Long.parseLong(first));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void begin() {
        start = sample();
    }

    /** CPU milliseconds each process spent since {@link #begin()}. */
    Map<String, Double> since() {
        Map<String, Duration> end = sample();
        Map<String, Double> spent = new LinkedHashMap<>();
        end.forEach((name, cpu) -> spent.put(name, cpu.minus(start.getOrDefault(name, Duration.ZERO)).toNanos() / 1e6));
        return spent;
    }

    private Map<String, Duration> sample() {
        Map<String, Duration> sample = new LinkedHashMap<>();
        processes.forEach((name, cpu) -> sample.put(name, cpu.get()));
        return sample;
    }
}
