package io.moneytrail.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox provider as a process of its own ({@code moneytrail sandbox}, from the jar or the
 * class path this JVM runs), with its own data directory and embedded PostgreSQL, so that its
 * work (the payment page, its API, its webhooks and its database) is neither counted nor served
 * by the process under measurement. Stopped (SIGTERM, so that it stops its PostgreSQL) by
 * {@link #close()}, or by a shutdown hook if the bench is interrupted.
 */
final class SandboxProcess implements AutoCloseable {

    private static final Duration START_MAX = Duration.ofSeconds(180);
    private static final Duration STOP_MAX = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path log;
    private final Thread stopOnExit;

    private SandboxProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.stopOnExit = new Thread(this::stop, "bench-sandbox-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Starts it on a free port, sending its webhooks to {@code webhookUrl}; does not wait for it. */
    static SandboxProcess start(Path dataDir, String webhookUrl) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(launcher());
        command.addAll(List.of("sandbox", "--server.port=" + port,
                "--moneytrail.data-dir=" + dataDir.resolve("data"),
                "--moneytrail.sandbox.webhook-url=" + webhookUrl,
                "--moneytrail.sandbox.public-url=http://localhost:" + port + "/sandbox",
                // the sandbox process also carries Moneytrail's background jobs, on its own empty database
                "--moneytrail.scheduling.enabled=false",
                "--logging.level.root=warn"));
        Path log = dataDir.resolve("sandbox.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new SandboxProcess(process, port, log);
    }

    /** {@code java -jar <jar>} when this JVM runs the jar, else the same class path and main class. */
    static List<String> launcher() {
        String classPath = System.getProperty("java.class.path");
        String javaBinary = SimulateCommand.javaBinary();
        return classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)
                ? List.of(javaBinary, "-jar", classPath)
                : List.of(javaBinary, "-cp", classPath, Main.class.getName());
    }

    /** The base URL Moneytrail's sandbox provider calls. */
    String baseUrl() {
        return "http://localhost:" + port + "/sandbox";
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    void awaitHealthy(HttpClient http) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_MAX.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the sandbox process ended (exit " + process.exitValue() + "); see " + log);
            }
            try {
                HttpResponse<Void> health = http.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/actuator/health")).timeout(Duration.ofSeconds(5))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IOException("the sandbox process did not become healthy within " + START_MAX + "; see " + log);
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_MAX.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
