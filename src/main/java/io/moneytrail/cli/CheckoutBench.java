package io.moneytrail.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.moneytrail.Moneytrail;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Complete checkout lifecycles through the HTTP API: create order, create payment, pay on the
 * sandbox page, poll the order until the webhook made it paid, refund.
 * <p>
 * By default it starts Moneytrail in this process on a temporary embedded database (fsync and
 * {@code synchronous_commit} on, as the service always runs it; the data directory under
 * {@code java.io.tmpdir} or {@code --work-dir}, whose file system it prints) and the sandbox
 * provider as a process of its own. It counts the statements and commits of Moneytrail's own
 * pool ({@link StatementCounting}), per call, measures the database's raw durable commit ceiling
 * at the same concurrency ({@link CommitCeiling}) and prints the lifecycle rate as a ratio to
 * what that ceiling allows at the measured commits per lifecycle. Against {@code --url} with
 * {@code --key} it measures latencies and the rate only.
 */
@Command(name = "checkout", description = "Run N checkout lifecycles; print lifecycles/s, latencies, statements and "
        + "commits per lifecycle and per call, and the database's durable commit ceiling.",
        mixinStandardHelpOptions = true)
final class CheckoutBench implements Callable<Integer> {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern REDIRECT = Pattern.compile("\"redirect_url\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PAYMENT_STATUS = Pattern.compile("\"payment_status\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration PAID_WAIT_MAX = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final Duration QUIET_MAX = Duration.ofSeconds(10);
    private static final List<String> CALLS = List.of("create_order", "create_payment", "pay_page", "until_paid",
            "get_order", "refund");
    private static final int HISTOGRAM_ROWS = Integer.getInteger("moneytrail.bench.histogram-rows", 40);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    enum SandboxPlace { process, in_process }

    @Option(names = "--lifecycles", description = "number of measured lifecycles (default ${DEFAULT-VALUE})")
    int lifecycles = 2000;

    @Option(names = "--concurrency", description = "concurrent customers (default ${DEFAULT-VALUE})")
    int concurrency = 16;

    @Option(names = "--warmup", description = "lifecycles run first and not counted (default ${DEFAULT-VALUE})")
    int warmup = 200;

    @Option(names = "--sandbox", description = "where the sandbox provider runs: ${COMPLETION-CANDIDATES}"
            + " (default ${DEFAULT-VALUE}); in_process shares this JVM's CPU and heap with Moneytrail")
    SandboxPlace sandbox = SandboxPlace.process;

    @Option(names = "--ceiling-seconds", description = "how long the commit-ceiling loop runs; 0 skips it"
            + " (default ${DEFAULT-VALUE})")
    double ceilingSeconds = 3;

    @Option(names = "--sql-histogram", description = "print the most frequent statement texts per lifecycle, by call")
    boolean sqlHistogram;

    @Option(names = "--work-dir", description = "where the temporary data directories go (default: java.io.tmpdir);"
            + " put it on the disk you mean to measure, not on tmpfs")
    Path workDir;

    @Option(names = "--url", description = "a running Moneytrail; omitted: start one on a temporary embedded database")
    String url;

    @Option(names = "--key", description = "secret key for --url")
    String key;

    @Option(names = "--json", description = "print the figures as one JSON object on the last line")
    boolean json;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, List<Long>> latenciesNanos = new ConcurrentHashMap<>();

    /** What the bench learned about the service it started; all null against --url. */
    private StatementCounter counter;
    private String synchronousCommit;
    private String fsync;
    private String dataDirectory;
    private String fileSystem;
    private Long sandboxPid;
    private CpuMeter cpu;

    @Override
    public Integer call() throws Exception {
        if (lifecycles < 1 || warmup < 0 || concurrency < 1 || concurrency > 256 || ceilingSeconds < 0) {
            System.err.println("--lifecycles must be >= 1, --warmup >= 0, --concurrency 1..256, --ceiling-seconds >= 0");
            return 2;
        }
        if (url != null && key == null) {
            System.err.println("--url needs --key");
            return 2;
        }
        ConfigurableApplicationContext service = null;
        SandboxProcess sandboxProcess = null;
        Path work = null;
        try {
            if (url == null) {
                work = workDir == null ? Files.createTempDirectory("moneytrail-bench")
                        : Files.createTempDirectory(Files.createDirectories(workDir), "moneytrail-bench");
                fileSystem = Files.getFileStore(work).type();
                int port = SandboxProcess.freePort();
                List<String> args = new ArrayList<>(List.of("--server.port=" + port,
                        "--moneytrail.data-dir=" + work.resolve("moneytrail"), "--logging.level.root=warn",
                        "--logging.level.io.moneytrail=warn", "--spring.main.log-startup-info=false",
                        "--" + StatementCounting.ENABLED + "=true", "--" + StatementCounting.HISTOGRAM + "=" + sqlHistogram));
                if (sandbox == SandboxPlace.process) {
                    sandboxProcess = SandboxProcess.start(Files.createDirectories(work.resolve("sandbox")),
                            "http://localhost:" + port + "/v1/webhooks/sandbox");
                    sandboxPid = sandboxProcess.pid();
                    args.add("--moneytrail.sandbox.enabled=false");
                    args.add("--moneytrail.provider.sandbox.base-url=" + sandboxProcess.baseUrl());
                } else {
                    args.add("--moneytrail.sandbox.enabled=true");
                }
                System.out.println("starting Moneytrail on a temporary embedded database in " + work + " (" + fileSystem
                        + ")" + (sandboxProcess == null ? ", the sandbox in this process"
                        : ", the sandbox as process " + sandboxProcess.pid()));
                service = SpringApplication.run(Moneytrail.class, args.toArray(String[]::new));
                if (sandboxProcess != null) {
                    sandboxProcess.awaitHealthy(http);
                }
                url = "http://localhost:" + port;
                key = Files.readString(work.resolve("moneytrail").resolve("secret-key")).trim();
                counter = service.getBean(StatementCounter.class);
                cpu = new CpuMeter();
                cpu.addThisJvm("moneytrail_and_client_jvm");
                cpu.addPostgres("postgres", work.resolve("moneytrail").resolve("postgres"));
                if (sandboxProcess != null) {
                    cpu.addProcess("sandbox_jvm", sandboxProcess.handle());
                    cpu.addPostgres("sandbox_postgres", work.resolve("sandbox").resolve("data").resolve("postgres"));
                }
                DataSource pool = service.getBean(DataSource.class); // the service's own, counted (before the reset)
                synchronousCommit = CommitCeiling.show(pool, "synchronous_commit");
                fsync = CommitCeiling.show(pool, "fsync");
                if ("tmpfs".equals(fileSystem)) {
                    System.out.println("WARNING: the database is on tmpfs: commits are not durable and the ceiling is"
                            + " not a disk's; use --work-dir on a real disk");
                }
            }
            run(warmup, "warm-up");
            awaitQuiet();
            if (counter != null) {
                counter.reset();
                cpu.begin();
            }
            latenciesNanos.clear();
            long started = System.nanoTime();
            int failures = run(lifecycles, "measured");
            double seconds = (System.nanoTime() - started) / 1e9;
            awaitQuiet(); // the last refunds' webhooks belong to the measured lifecycles
            Map<String, Double> cpuMs = cpu == null ? null : cpu.since();
            Map<String, StatementCounter.Snapshot> counted = counter == null ? null : counter.snapshot();
            List<Map.Entry<String, Long>> histogram = counter == null || !sqlHistogram ? null : counter.histogram();
            Double ceiling = null;
            if (service != null && ceilingSeconds > 0) {
                try (HikariDataSource owner = DatabaseContext.ownerPool(service, "bench-ceiling", concurrency)) {
                    dataDirectory = CommitCeiling.show(owner, "data_directory");
                    ceiling = CommitCeiling.measure(owner, concurrency, Duration.ofMillis((long) (ceilingSeconds * 1000)));
                }
            }
            report(seconds, failures, counted, histogram, ceiling, cpuMs);
            return failures == 0 ? 0 : 1;
        } finally {
            if (service != null) {
                service.close();
            }
            if (sandboxProcess != null) {
                sandboxProcess.close();
            }
            if (work != null) {
                deleteQuietly(work);
            }
        }
    }

    /** Waits until no request has run a statement for a moment (bounded): webhooks still on their way. */
    private void awaitQuiet() throws InterruptedException {
        if (counter == null) {
            return;
        }
        long deadline = System.nanoTime() + QUIET_MAX.toNanos();
        long seen = counter.activity();
        while (System.nanoTime() < deadline) {
            Thread.sleep(QUIET.toMillis());
            long now = counter.activity();
            if (now == seen) {
                return;
            }
            seen = now;
        }
    }

    private int run(int count, String phase) throws InterruptedException {
        if (count == 0) {
            return 0;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                while (next.getAndIncrement() < count) {
                    try {
                        lifecycle();
                    } catch (Exception e) {
                        if (failures.incrementAndGet() <= 5) {
                            System.err.println(phase + " lifecycle failed: " + e.getMessage());
                        }
                    }
                }
            }));
        }
        pool.shutdown();
        long started = System.nanoTime();
        while (!pool.awaitTermination(PROGRESS_EVERY.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
            int begun = Math.min(count, next.get());
            System.out.printf("  %s: %d of %d lifecycles begun after %.0f s%n", phase, begun, count,
                    (System.nanoTime() - started) / 1e9);
        }
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (java.util.concurrent.ExecutionException e) {
                failures.incrementAndGet();
            }
        }
        return failures.get();
    }

    private void lifecycle() throws IOException, InterruptedException {
        String order = call("create_order", post("/v1/orders", """
                {"currency":"EUR","reference":"bench","customer":{"email":"bench@example.com"},
                 "lines":[{"sku":"SKU-1","name":"Thing","quantity":2,"unit_amount":1250,"vat_rate":22}]}"""));
        String orderId = match(ID, order);
        String payment = call("create_payment", post("/v1/orders/" + orderId + "/payments",
                "{\"provider\":\"sandbox\",\"capture_method\":\"automatic\"}"));
        String paymentId = match(ID, payment);
        String redirect = match(REDIRECT, payment);
        call("pay_page", HttpRequest.newBuilder(URI.create(redirect))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("outcome=" + URLEncoder.encode("succeeded",
                        StandardCharsets.UTF_8))).build());
        long waitStarted = System.nanoTime();
        long pauseMs = 5;
        while (true) {
            String current = call("get_order", authorized("/v1/orders/" + orderId).GET().build());
            if ("paid".equals(match(PAYMENT_STATUS, current))) {
                break;
            }
            if (System.nanoTime() - waitStarted > PAID_WAIT_MAX.toNanos()) {
                throw new IOException("order " + orderId + " not paid within " + PAID_WAIT_MAX);
            }
            Thread.sleep(pauseMs);
            pauseMs = Math.min(50, pauseMs * 2); // a store polls politely; the poll must not be the load
        }
        record("until_paid", System.nanoTime() - waitStarted);
        // a refund moves money: it needs an Idempotency-Key, one per refund (reused only to retry it)
        call("refund", authorized("/v1/refunds").header("Content-Type", "application/json")
                .header("Idempotency-Key", "bench-refund-" + paymentId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"payment\":\"" + paymentId + "\",\"amount\":1000}"))
                .build());
    }

    private HttpRequest post(String path, String body) {
        return authorized(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key);
    }

    private String call(String name, HttpRequest request) throws IOException, InterruptedException {
        long started = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        record(name, System.nanoTime() - started);
        if (response.statusCode() >= 400) {
            throw new IOException(name + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private void record(String name, long nanos) {
        latenciesNanos.computeIfAbsent(name, n -> Collections.synchronizedList(new ArrayList<>())).add(nanos);
    }

    // ------------------------------------------------------------------ report

    private void report(double seconds, int failures, Map<String, StatementCounter.Snapshot> counted,
                        List<Map.Entry<String, Long>> histogram, Double ceiling, Map<String, Double> cpuMs) {
        double rate = lifecycles / seconds;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("bench", "checkout");
        figures.put("lifecycles", lifecycles);
        figures.put("concurrency", concurrency);
        figures.put("seconds", round(seconds));
        figures.put("lifecycles_per_second", round(rate));
        figures.put("failures", failures);
        figures.put("sandbox", counter == null ? "unknown" : sandbox.name());
        figures.put("synchronous_commit", synchronousCommit == null ? "unknown" : synchronousCommit);
        figures.put("fsync", fsync == null ? "unknown" : fsync);
        figures.put("data_dir_file_system", fileSystem == null ? "unknown" : fileSystem);
        System.out.println();
        System.out.printf("lifecycles: %d in %.2f s = %.1f lifecycles/s (concurrency %d, failures %d)%n",
                lifecycles, seconds, rate, concurrency, failures);
        if (counter != null) {
            System.out.printf("database: embedded PostgreSQL in %s (%s), fsync=%s, synchronous_commit=%s;"
                            + " sandbox: %s%n", dataDirectory == null ? "?" : dataDirectory, fileSystem, fsync,
                    synchronousCommit, sandboxPid == null ? "in this process" : "own process (pid " + sandboxPid + ")");
        }

        System.out.println("latencies (client side):");
        Map<String, Object> calls = new LinkedHashMap<>();
        for (String name : CALLS) {
            List<Long> values = new ArrayList<>(latenciesNanos.getOrDefault(name, List.of()));
            if (values.isEmpty()) {
                continue;
            }
            Collections.sort(values);
            double p50 = percentile(values, 0.50);
            double p99 = percentile(values, 0.99);
            System.out.printf("  %-15s n=%-7d p50=%7.2f ms  p99=%7.2f ms%n", name, values.size(), p50, p99);
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("n", values.size());
            call.put("p50_ms", round(p50));
            call.put("p99_ms", round(p99));
            calls.put(name, call);
        }
        figures.put("calls", calls);

        if (counted == null) {
            System.out.println("statements and commits: not counted: the service at --url runs in another process,"
                    + " whose connections this bench cannot see (run without --url to count them)");
            figures.put("counted", false);
            figures.put("statements_per_lifecycle", null);
            figures.put("commits_per_lifecycle", null);
        } else {
            long statements = 0;
            long commits = 0;
            long readOnly = 0;
            long rollbacks = 0;
            long batchItems = 0;
            for (StatementCounter.Snapshot s : counted.values()) {
                statements += s.statements();
                commits += s.commits();
                readOnly += s.readOnlyCommits();
                rollbacks += s.rollbacks();
                batchItems += s.batchItems();
            }
            figures.put("counted", true);
            figures.put("statements_per_lifecycle", round((double) statements / lifecycles));
            figures.put("commits_per_lifecycle", round((double) commits / lifecycles));
            figures.put("read_only_transactions_per_lifecycle", round((double) readOnly / lifecycles));
            figures.put("rollbacks_per_lifecycle", round((double) rollbacks / lifecycles));
            figures.put("batch_items_per_lifecycle", round((double) batchItems / lifecycles));
            System.out.printf("Moneytrail's own pool, per lifecycle: %.2f statements (a batch counts once; %.2f batch"
                            + " items), %.2f commits (read-write transactions), %.2f read-only transactions,"
                            + " %.2f rollbacks%n", (double) statements / lifecycles, (double) batchItems / lifecycles,
                    (double) commits / lifecycles, (double) readOnly / lifecycles, (double) rollbacks / lifecycles);
            System.out.println("by call (server side; 'background' = the service's own threads, not a request):");
            System.out.printf("  %-34s %9s %8s %9s %9s %9s %9s %9s %9s%n", "call", "requests", "per_lc", "stmts/req",
                    "stmts/lc", "commit/lc", "ro-tx/lc", "p50_ms", "p99_ms");
            Map<String, Object> byCall = new LinkedHashMap<>();
            for (Map.Entry<String, StatementCounter.Snapshot> e : counted.entrySet()) {
                StatementCounter.Snapshot s = e.getValue();
                List<Long> nanos = new ArrayList<>(s.serverNanos());
                Collections.sort(nanos);
                double p50 = nanos.isEmpty() ? Double.NaN : percentile(nanos, 0.5);
                double p99 = nanos.isEmpty() ? Double.NaN : percentile(nanos, 0.99);
                System.out.printf("  %-34s %9d %8.2f %9s %9.2f %9.2f %9.2f %9.2f %9.2f%n", e.getKey(), s.requests(),
                        (double) s.requests() / lifecycles,
                        s.requests() == 0 ? "-" : String.format("%.2f", (double) s.statements() / s.requests()),
                        (double) s.statements() / lifecycles, (double) s.commits() / lifecycles,
                        (double) s.readOnlyCommits() / lifecycles, p50, p99);
                Map<String, Object> call = new LinkedHashMap<>();
                call.put("requests", s.requests());
                call.put("statements", s.statements());
                call.put("statements_per_request", s.requests() == 0 ? null : round((double) s.statements() / s.requests()));
                call.put("statements_per_lifecycle", round((double) s.statements() / lifecycles));
                call.put("commits_per_lifecycle", round((double) s.commits() / lifecycles));
                call.put("read_only_transactions_per_lifecycle", round((double) s.readOnlyCommits() / lifecycles));
                if (!nanos.isEmpty()) {
                    call.put("server_p50_ms", round(p50));
                    call.put("server_p99_ms", round(p99));
                }
                byCall.put(e.getKey(), call);
            }
            figures.put("statements_by_call", byCall);
        }

        figures.put("commit_ceiling_per_second", ceiling == null ? null : round(ceiling));
        Object commitsPerLifecycle = figures.get("commits_per_lifecycle");
        if (ceiling != null && commitsPerLifecycle instanceof Double c && c > 0) {
            double allowed = ceiling / c;
            double ratio = rate / allowed;
            figures.put("ratio_to_ceiling", Math.round(ratio * 1000) / 1000.0);
            System.out.printf("durable commit ceiling at concurrency %d: %.0f commits/s (single-row inserts);"
                            + " at %.2f commits per lifecycle that allows %.0f lifecycles/s; measured %.1f = %.3f of it%n",
                    concurrency, ceiling, c, allowed, rate, ratio);
        } else {
            figures.put("ratio_to_ceiling", null);
            if (ceiling != null) {
                System.out.printf("durable commit ceiling at concurrency %d: %.0f commits/s%n", concurrency, ceiling);
            }
        }

        if (cpuMs != null) {
            Map<String, Object> perLifecycle = new LinkedHashMap<>();
            double total = 0;
            StringBuilder line = new StringBuilder();
            for (Map.Entry<String, Double> e : cpuMs.entrySet()) {
                double ms = e.getValue() / lifecycles;
                total += ms;
                perLifecycle.put(e.getKey(), round(ms));
                line.append(String.format(" %s %.2f,", e.getKey(), ms));
            }
            perLifecycle.put("total", round(total));
            int cores = Runtime.getRuntime().availableProcessors();
            figures.put("cpu_ms_per_lifecycle", perLifecycle);
            figures.put("cpu_bound_lifecycles_per_second", total > 0 ? round(cores * 1000 / total) : null);
            System.out.printf("CPU per lifecycle (ms, measured window incl. webhooks to the end):%s total %.2f"
                    + " -> %d cores allow at most %.0f lifecycles/s%n", line, total, cores, cores * 1000 / total);
        }
        if (histogram != null) {
            System.out.println("most frequent statements (per lifecycle, call, normalized SQL):");
            histogram.stream().limit(HISTOGRAM_ROWS).forEach(row -> System.out.printf("  %6.2f  %s%n",
                    (double) row.getValue() / lifecycles, row.getKey().replace("\t", "  ")));
        }
        if (json) {
            System.out.println(new tools.jackson.databind.json.JsonMapper().writeValueAsString(figures));
        }
    }

    private static double percentile(List<Long> sorted, double q) {
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static String match(Pattern pattern, String body) throws IOException {
        Matcher matcher = pattern.matcher(body);
        if (!matcher.find()) {
            throw new IOException("unexpected answer: " + body);
        }
        return matcher.group(1);
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
