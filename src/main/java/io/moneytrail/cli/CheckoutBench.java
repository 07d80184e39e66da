package io.moneytrail.cli;

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
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Complete checkout lifecycles through the HTTP API: create order, create payment, pay on the
 * sandbox page, wait until the webhook made the order paid, refund. Against a service it
 * starts on a temporary embedded database, or against {@code --url} with {@code --key}.
 */
@Command(name = "checkout", description = "Run N checkout lifecycles and print lifecycles/s and latencies.",
        mixinStandardHelpOptions = true)
final class CheckoutBench implements Callable<Integer> {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern REDIRECT = Pattern.compile("\"redirect_url\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PAYMENT_STATUS = Pattern.compile("\"payment_status\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration PAID_WAIT_MAX = Duration.ofSeconds(30);

    @Option(names = "--lifecycles", description = "number of lifecycles (default ${DEFAULT-VALUE})")
    int lifecycles = 2000;

    @Option(names = "--concurrency", description = "concurrent customers (default ${DEFAULT-VALUE})")
    int concurrency = 16;

    @Option(names = "--warmup", description = "lifecycles run first and not counted (default ${DEFAULT-VALUE})")
    int warmup = 200;

    @Option(names = "--url", description = "a running Moneytrail; omitted: start one on a temporary embedded database")
    String url;

    @Option(names = "--key", description = "secret key for --url")
    String key;

    @Option(names = "--json", description = "print the figures as one JSON object on the last line")
    boolean json;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, List<Long>> latenciesNanos = new ConcurrentHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (lifecycles < 1 || concurrency < 1 || concurrency > 256) {
            System.err.println("--lifecycles must be >= 1 and --concurrency 1..256");
            return 2;
        }
        ConfigurableApplicationContext service = null;
        Path dataDir = null;
        try {
            if (url == null) {
                dataDir = Files.createTempDirectory("moneytrail-bench");
                System.out.println("starting Moneytrail on a temporary embedded database in " + dataDir);
                service = SpringApplication.run(Moneytrail.class, "--server.port=0",
                        "--moneytrail.data-dir=" + dataDir, "--logging.level.root=warn",
                        "--logging.level.io.moneytrail=warn");
                url = "http://localhost:" + service.getEnvironment().getProperty("local.server.port");
                key = Files.readString(dataDir.resolve("secret-key")).trim();
            } else if (key == null) {
                System.err.println("--url needs --key");
                return 2;
            }
            run(Math.max(0, warmup), "warm-up");
            latenciesNanos.clear();
            long started = System.nanoTime();
            int failures = run(lifecycles, "measured");
            double seconds = (System.nanoTime() - started) / 1e9;
            report(seconds, failures);
            return failures == 0 ? 0 : 1;
        } finally {
            if (service != null) {
                service.close();
            }
            if (dataDir != null) {
                deleteQuietly(dataDir);
            }
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
        call("sandbox_page", HttpRequest.newBuilder(URI.create(redirect))
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

    private void report(double seconds, int failures) {
        double rate = lifecycles / seconds;
        System.out.printf("lifecycles: %d in %.2f s = %.1f lifecycles/s (concurrency %d, failures %d)%n",
                lifecycles, seconds, rate, concurrency, failures);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("bench", "checkout");
        figures.put("lifecycles", lifecycles);
        figures.put("concurrency", concurrency);
        figures.put("seconds", round(seconds));
        figures.put("lifecycles_per_second", round(rate));
        figures.put("failures", failures);
        Map<String, Object> calls = new LinkedHashMap<>();
        for (String name : List.of("create_order", "create_payment", "sandbox_page", "get_order", "refund",
                "until_paid")) {
            List<Long> values = new ArrayList<>(latenciesNanos.getOrDefault(name, List.of()));
            if (values.isEmpty()) {
                continue;
            }
            Collections.sort(values);
            double p50 = percentile(values, 0.50);
            double p99 = percentile(values, 0.99);
            System.out.printf("  %-15s n=%-7d p50=%7.2f ms  p99=%7.2f ms%n", name, values.size(), p50, p99);
            calls.put(name, Map.of("n", values.size(), "p50_ms", round(p50), "p99_ms", round(p99)));
        }
        figures.put("calls", calls);
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
