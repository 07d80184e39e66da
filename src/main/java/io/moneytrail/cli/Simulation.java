package io.moneytrail.cli;

import com.sun.net.httpserver.HttpServer;
import io.moneytrail.database.ProcessGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fault-injection simulation. It starts the sandbox provider and Moneytrail as two
 * separate processes on temporary embedded databases, runs simulated customers and
 * operators against them while the sandbox drops, duplicates, delays and reorders webhooks
 * and times out or fails API calls, kills Moneytrail with SIGKILL and restarts it, kills its
 * PostgreSQL server (postmaster and backends, as a process group) for Moneytrail to restart, then heals
 * the provider, waits for the workers to settle, and checks that no minor unit was lost or
 * counted twice. Every random choice comes from the seed.
 */
final class Simulation {

    record Settings(int customers, long seed, int restarts, int databaseKills, int concurrency, List<String> launcher,
                    Path workDir, Duration settleMax, PrintStream out, SimulatedProvider provider, String fiscal) {

        /** With the provider's default receipts ({@link SimulatedProvider#defaultFiscal()}). */
        Settings(int customers, long seed, int restarts, int databaseKills, int concurrency, List<String> launcher,
                 Path workDir, Duration settleMax, PrintStream out, SimulatedProvider provider) {
            this(customers, seed, restarts, databaseKills, concurrency, launcher, workDir, settleMax, out, provider,
                    provider.defaultFiscal());
        }
    }

    private static final JsonMapper JSON = new JsonMapper();
    private static final int SANDBOX_ATTEMPTS_MAX = 4;
    private static final Duration CALL_RETRY_MAX = Duration.ofSeconds(600); // as long as a restart may take (START_MAX)
    private static final Duration START_MAX = Duration.ofSeconds(600); // a loaded machine starts slowly

    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();
    private final Set<String> eventsReceived = ConcurrentHashMap.newKeySet();
    private final Set<String> faultedProviderPayments = ConcurrentHashMap.newKeySet();
    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> checked = new LinkedHashMap<>();

    private int sandboxPort;
    private int servicePort;
    private int databasePort;
    private Process sandbox;
    private volatile Process service;
    private String key;
    private final AtomicInteger restartsDone = new AtomicInteger();
    private final AtomicInteger databaseKillsDone = new AtomicInteger();
    private static final Duration DATABASE_BACK_MAX = Duration.ofSeconds(180);

    Simulation(Settings settings) {
        this.settings = settings;
    }

    /** Runs the simulation; the report's "violations" is zero when every invariant held. */
    Map<String, Object> run() throws Exception {
        long started = System.nanoTime();
        sandboxPort = freePort();
        servicePort = freePort();
        databasePort = freePort();
        HttpServer receiver = startReceiver();
        try {
            sandbox = start(sandboxCommand(), "sandbox.log");
            waitHealthy(sandboxPort);
            service = start(serviceCommand(), "moneytrail.log");
            waitHealthy(servicePort);
            key = secretKey();
            boolean endpoint = registerEndpoint(receiver.getAddress().getPort());
            say("sandbox on :" + sandboxPort + ", moneytrail on :" + servicePort + ", store endpoint "
                    + (endpoint ? "registered" : "not available"));

            Thread killer = new Thread(this::restartRandomly, "simulation-restarts");
            killer.start();
            Thread weather = new Thread(this::atolWeather, "simulation-atol-faults");
            if (settings.fiscal().equals("atol")) {
                weather.start();
            }
            runCustomers();
            killer.join();
            weather.interrupt();
            weather.join();
            say("customers done after " + seconds(started) + " s; healing the provider and letting the workers settle");
            heal();
            boolean settled = settle() && retryFailedReceipts();
            check(endpoint);
            Map<String, Object> reconciliation = reconcileMonth(started);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("provider", settings.provider().wire());
            report.put("customers", settings.customers());
            report.put("seed", settings.seed());
            report.put("restarts", restartsDone.get());
            report.put("database_kills", databaseKillsDone.get());
            report.put("wall_seconds", seconds(started));
            report.put("settled", settled);
            Map<String, Long> faults = new java.util.TreeMap<>();
            injected.forEach((kind, count) -> faults.put(kind, count.get()));
            report.put("injected", faults);
            report.put("checked", checked);
            report.put("reconciliation", reconciliation);
            report.put("fiscal", settings.fiscal());
            report.put("receipts", receiptsByState());
            report.put("violations", violations.size());
            report.put("violation_examples", violations.stream().limit(20).toList());
            return report;
        } finally {
            receiver.stop(0);
            stop(service);
            stop(sandbox);
        }
    }

    // ------------------------------------------------------------------ processes

    private List<String> sandboxCommand() {
        List<String> command = new ArrayList<>(settings.launcher());
        command.addAll(List.of("sandbox", "--server.port=" + sandboxPort,
                "--moneytrail.data-dir=" + settings.workDir().resolve("sandbox"),
                "--moneytrail.sandbox.webhook-url=http://localhost:" + servicePort + "/v1/webhooks/sandbox",
                "--moneytrail.sandbox.webhook-base-url=http://localhost:" + servicePort + "/v1/webhooks",
                "--moneytrail.sandbox.public-url=http://localhost:" + sandboxPort + "/sandbox",
                "--logging.level.root=warn"));
        command.addAll(settings.provider().sandboxArguments());
        return command;
    }

    private List<String> serviceCommand() {
        List<String> command = new ArrayList<>(settings.launcher());
        command.addAll(List.of("--server.port=" + servicePort,
                "--moneytrail.data-dir=" + settings.workDir().resolve("moneytrail"),
                "--moneytrail.db.embedded-port=" + databasePort,
                "--moneytrail.sandbox.enabled=false",
                "--moneytrail.provider.sandbox.base-url=http://localhost:" + sandboxPort + "/sandbox",
                "--moneytrail.provider.sandbox.read-timeout-ms=2000",
                "--moneytrail.payments.worker-interval-ms=300",
                "--moneytrail.payments.resolver.schedule=1s,2s,4s",
                "--moneytrail.payments.expire-after=20s",
                "--moneytrail.payments.compensation.delay=1s",
                "--moneytrail.webhooks.retry-interval-ms=1000",
                "--moneytrail.webhooks.retry-backoff-max=5s",
                // the store's endpoint is this process's receiver, on localhost
                "--moneytrail.outbound.allow-private=true",
                "--logging.level.root=warn"));
        command.addAll(settings.provider().serviceArguments(sandboxPort));
        command.addAll(SimulatedProvider.fiscalArguments(settings.fiscal(), sandboxPort));
        return command;
    }

    /**
     * The admin key Moneytrail generates on its first start. Health answers before the start-up
     * runners finish, so the file may come a little later (16 s seen on a loaded machine).
     */
    private String secretKey() throws IOException, InterruptedException {
        Path file = settings.workDir().resolve("moneytrail/secret-key");
        long deadline = System.nanoTime() + START_MAX.toNanos();
        while (System.nanoTime() < deadline) {
            String key = Files.exists(file) ? Files.readString(file).trim() : "";
            if (!key.isEmpty()) {
                return key;
            }
            Thread.sleep(200);
        }
        throw new IOException("Moneytrail wrote no secret key to " + file + " within " + START_MAX);
    }

    private Process start(List<String> command, String log) throws IOException {
        Path logFile = settings.workDir().resolve(log);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    }

    private void waitHealthy(int port) throws InterruptedException {
        long deadline = System.nanoTime() + START_MAX.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health")).timeout(Duration.ofSeconds(5))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("process on port " + port + " did not become healthy within " + START_MAX
                + "; see the logs in " + settings.workDir());
    }

    /**
     * The kills, spread over the run: R times Moneytrail (SIGKILL, then started again on the same
     * data) and K times its PostgreSQL server (SIGKILL to the postmaster's process group, so every
     * backend dies with it; Moneytrail's watchdog restarts it). The i-th of the R+K kills, in an
     * order drawn from the seed, comes at a random moment after i/(R+K+1) of the customers are done.
     */
    private void restartRandomly() {
        Random random = new Random(settings.seed() ^ 0x5EED);
        List<Boolean> plan = new ArrayList<>();
        for (int i = 0; i < settings.restarts(); i++) {
            plan.add(false);
        }
        for (int i = 0; i < settings.databaseKills(); i++) {
            plan.add(true);
        }
        java.util.Collections.shuffle(plan, random);
        for (int i = 0; i < plan.size(); i++) {
            try {
                int threshold = (int) ((long) settings.customers() * (i + 1) / (plan.size() + 1));
                while (completed.get() < threshold) {
                    Thread.sleep(100);
                }
                Thread.sleep(random.nextInt(2_000));
                if (completed.get() >= settings.customers()) {
                    return;
                }
                if (plan.get(i)) {
                    killDatabase();
                    continue;
                }
                service.destroyForcibly().waitFor();
                restartsDone.incrementAndGet();
                count("process_killed");
                service = start(serviceCommand(), "moneytrail.log");
                waitHealthy(servicePort);
                say("restart " + restartsDone.get() + " done");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                violations.add("kill " + (i + 1) + " failed: " + e.getMessage());
                return;
            }
        }
    }

    /** SIGKILL to the embedded PostgreSQL's process group; then waits for Moneytrail to have restarted it. */
    private void killDatabase() throws IOException, InterruptedException {
        Path data = databaseDirectory();
        long pid = ProcessGroup.postmaster(data).filter(ProcessGroup::alive)
                .orElseThrow(() -> new IOException("no running PostgreSQL in " + data));
        ProcessGroup.kill(pid);
        databaseKillsDone.incrementAndGet();
        count("database_killed");
        long deadline = System.nanoTime() + DATABASE_BACK_MAX.toNanos();
        while (true) {
            var now = ProcessGroup.postmaster(data);
            if (now.isPresent() && now.get() != pid && ProcessGroup.alive(now.get())) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("Moneytrail did not restart its PostgreSQL within " + DATABASE_BACK_MAX);
            }
            Thread.sleep(100);
        }
        waitHealthy(servicePort);
        say("database kill " + databaseKillsDone.get() + " done (postmaster " + pid + " and its backends)");
    }

    private Path databaseDirectory() {
        return settings.workDir().resolve("moneytrail/postgres");
    }

    private static void stop(Process process) {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ customers

    private final AtomicInteger completed = new AtomicInteger();

    private void runCustomers() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency());
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < settings.customers(); i++) {
            int customer = i;
            futures.add(pool.submit(() -> {
                try {
                    customer(customer, new Random(settings.seed() * 1_000_003L + customer));
                } catch (Exception e) {
                    violations.add("customer " + customer + " could not complete a request: " + e.getMessage());
                } finally {
                    int done = completed.incrementAndGet();
                    if (done % Math.max(1, settings.customers() / 10) == 0) {
                        say(done + " / " + settings.customers() + " customers");
                    }
                }
            }));
        }
        pool.shutdown();
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                violations.add("customer task failed: " + e.getCause());
            }
        }
    }

    private void customer(int n, Random random) throws Exception {
        long unit = 100 + random.nextInt(20_000);
        long quantity = 1 + random.nextInt(3);
        JsonNode order = call("POST", "/v1/orders", """
                {"currency":"%s","reference":"sim-%d","customer":{"email":"customer-%d@example.com"},
                 "lines":[{"sku":"S%d","name":"Item","quantity":%d,"unit_amount":%d,"vat_rate":22}]}"""
                        .formatted(settings.provider().currency, n, n, n, quantity, unit),
                "c" + n + "-order").body;
        String orderId = order.path("id").asText();
        if (random.nextInt(100) < 3) {
            count("operator_cancel_before_payment");
            call("POST", "/v1/orders/" + orderId + "/cancel", null, "c" + n + "-cancel0");
            return;
        }
        boolean manual = random.nextInt(100) < 30;
        Reply payment = call("POST", "/v1/orders/" + orderId + "/payments",
                "{\"provider\":\"" + settings.provider().wire() + "\",\"capture_method\":\""
                        + (manual ? "manual" : "automatic") + "\",\"return_url\":\"https://store.example/return\"}",
                "c" + n + "-pay");
        if (payment.status != 200) {
            return; // e.g. the order expired meanwhile
        }
        String paymentId = payment.body.path("id").asText();
        JsonNode current = waitFor(paymentId, p -> !p.path("status").asText().equals("unknown"), Duration.ofSeconds(30));
        String redirect = current.path("next_action").path("redirect_url").asText(null);
        String providerId = current.path("provider_payment_id").asText(null);
        if (redirect == null || providerId == null) {
            return;
        }
        String sandboxId = sandboxPaymentId(paymentId, providerId);
        boolean notificationsLost = injectFaults(sandboxId, random);
        if (random.nextInt(100) < 10) {
            count("customer_never_returned");
            return;
        }
        int roll = random.nextInt(100);
        String outcome = roll < 70 ? "succeeded" : roll < 80 ? "3ds_succeeded" : roll < 90 ? "declined" : "3ds_failed";
        count("outcome_" + outcome);
        page(redirect.replace("localhost:" + servicePort, "localhost:" + sandboxPort), outcome);
        if (!outcome.endsWith("succeeded")) {
            return;
        }
        if (manual) {
            JsonNode authorized = waitFor(paymentId, p -> !p.path("status").asText().equals("requires_action"),
                    Duration.ofSeconds(30));
            if (authorized.path("status").asText().equals("authorized")) {
                long amount = authorized.path("amount").asLong();
                long capture = random.nextBoolean() ? amount : Math.max(1, amount / 2);
                count(capture < amount ? "partial_capture" : "full_capture");
                call("POST", "/v1/payments/" + paymentId + "/capture", "{\"amount\":" + capture + "}",
                        "c" + n + "-capture");
                if (capture < amount && random.nextBoolean()) {
                    count("void_rest");
                    call("POST", "/v1/payments/" + paymentId + "/cancel", null, "c" + n + "-void");
                }
            }
        }
        int operator = random.nextInt(100);
        if (operator < 15) {
            JsonNode now = waitFor(paymentId, p -> p.path("amount_captured").asLong() > 0, Duration.ofSeconds(20));
            long refundable = now.path("amount_captured").asLong() - now.path("amount_refunded").asLong();
            if (refundable > 0) {
                count("operator_refund");
                long amount = 1 + (long) (random.nextDouble() * refundable);
                call("POST", "/v1/refunds", "{\"payment\":\"" + paymentId + "\",\"amount\":" + amount + "}",
                        "c" + n + "-refund");
            }
        } else if (operator < 20) {
            count("operator_cancel");
            call("POST", "/v1/orders/" + orderId + "/cancel", null, "c" + n + "-cancel");
        } else if (operator < 30) {
            // a store ships once the money is in (the order's fulfilment is refused before it is paid)
            waitFor(paymentId, p -> p.path("amount_captured").asLong() > 0, Duration.ofSeconds(20));
            count("fulfilment");
            call("POST", "/v1/orders/" + orderId + "/fulfill", null, "c" + n + "-fulfil");
        } else if (operator < 33 && !notificationsLost) {
            // someone refunds a third of it in the provider's dashboard, not through Moneytrail, which must find it
            // (from the provider's notification: one lost for good, as "drop" loses them, leaves it to
            // reconciliation) and book it once; its amount takes no draw, so a seed's other choices stay as they were
            JsonNode now = waitFor(paymentId, p -> p.path("amount_captured").asLong() > 0, Duration.ofSeconds(20));
            long refundable = now.path("amount_captured").asLong() - now.path("amount_refunded").asLong();
            if (refundable > 0) {
                count("dashboard_refund");
                sandboxCall("POST", "/refunds", "{\"payment\":\"" + sandboxId + "\",\"amount\":"
                        + Math.max(1, refundable / 3) + "}");
            }
        }
    }

    /** Sets this payment's faults, drawn from the seed; answers whether its notifications are dropped. */
    private boolean injectFaults(String providerId, Random random) {
        int roll = random.nextInt(100);
        String fault = null;
        if (roll < 8) {
            fault = "{\"payment\":\"" + providerId + "\",\"webhook\":\"drop\"}";
            count("webhook_dropped");
        } else if (roll < 16) {
            fault = "{\"payment\":\"" + providerId + "\",\"webhook\":\"duplicate\"}";
            count("webhook_duplicated");
        } else if (roll < 24) {
            fault = "{\"payment\":\"" + providerId + "\",\"webhook\":\"delay\",\"delay_ms\":1500}";
            count("webhook_delayed");
        } else if (roll < 30) {
            fault = "{\"payment\":\"" + providerId + "\",\"webhook\":\"reorder\",\"delay_ms\":1500}";
            count("webhook_reordered");
        } else if (roll < 34) {
            fault = "{\"payment\":\"" + providerId + "\",\"api\":\"timeout\",\"api_timeout_ms\":2500}";
            count("api_timeout");
        } else if (roll < 38) {
            fault = "{\"payment\":\"" + providerId + "\",\"api\":\"error_500\"}";
            count("api_error_500");
        }
        if (fault != null) {
            faultedProviderPayments.add(providerId);
            sandboxCall("POST", "/faults", fault);
        }
        return roll < 8;
    }

    /**
     * The sandbox's id of our payment, on which its faults are set. A dialect's ids may differ
     * from what Moneytrail holds (Stripe's session comes before its PaymentIntent), so it is
     * looked up by our payment id, which every dialect keeps as the merchant reference.
     */
    private String sandboxPaymentId(String paymentId, String providerId) {
        if (settings.provider() == SimulatedProvider.SANDBOX) {
            return providerId;
        }
        JsonNode found = sandboxCall("GET", "/payments?merchant_reference=" + paymentId, null).path("data");
        return found.isEmpty() ? providerId : found.get(0).path("id").asText();
    }

    /**
     * With ATOL receipts, the sandbox's ATOL dialect misbehaves in spells of one to three seconds
     * while customers pay, drawn from the seed: a registration that is done but answered after our
     * read timeout (2 s), ATOL's error 50, a long {@code wait} (8 s), and a register that fails the
     * document ({@code driver -20}, no answer from the device), which sends the receipt to the
     * review queue for the operator's retry ({@link #retryFailedReceipts}).
     */
    private void atolWeather() {
        Random random = new Random(settings.seed() ^ 0xA70L);
        Map<String, String> spells = new LinkedHashMap<>();
        spells.put("atol_registration_timeout", "{\"api\":\"timeout\",\"api_timeout_ms\":2500}");
        spells.put("atol_error_50", "{\"api\":\"error_500\"}");
        spells.put("atol_long_wait", "{\"wait_ms\":8000}");
        spells.put("atol_document_failed", "{\"outcome\":\"fail\",\"error_type\":\"driver\",\"error_code\":-20}");
        List<String> kinds = new ArrayList<>(spells.keySet());
        try {
            while (completed.get() < settings.customers()) {
                Thread.sleep(3_000 + random.nextInt(4_000));
                String kind = kinds.get(random.nextInt(kinds.size()));
                sandboxCall("POST", "/atol/faults", spells.get(kind));
                count(kind);
                try {
                    Thread.sleep(1_000 + random.nextInt(2_000));
                } finally {
                    sandboxCall("DELETE", "/atol/faults", null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            violations.add("could not set the ATOL dialect's faults: " + e);
        }
    }

    /**
     * What the operator does with the review queue once the provider is healthy: every failed
     * receipt is sent again ({@code POST /v1/receipts/{id}/retry}), and the workers settle again.
     * A receipt that fails once more is left failed, for the month's reconciliation to report.
     */
    private boolean retryFailedReceipts() throws Exception {
        if (settings.fiscal().equals("none")) {
            return true;
        }
        List<String> failed = new ArrayList<>();
        String after = null;
        while (true) {
            JsonNode page = call("GET", "/v1/receipts?status=failed&limit=100"
                    + (after == null ? "" : "&starting_after=" + after), null, null).body;
            for (JsonNode receipt : page.path("data")) {
                failed.add(receipt.path("id").asText());
                after = receipt.path("id").asText();
            }
            if (!page.path("has_more").asBoolean()) {
                break;
            }
        }
        for (String receipt : failed) {
            Reply retried = call("POST", "/v1/receipts/" + receipt + "/retry", null, "retry-" + receipt);
            if (retried.status != 200) {
                violations.add("the operator's retry of receipt " + receipt + " was refused: HTTP " + retried.status
                        + " " + retried.body);
            }
        }
        checked.put("receipts_retried_by_operator", (long) failed.size());
        return failed.isEmpty() || settle();
    }

    private void heal() {
        sandboxCall("DELETE", "/faults", null);
        if (settings.fiscal().equals("atol")) {
            sandboxCall("DELETE", "/atol/faults", null);
        }
        for (String providerId : faultedProviderPayments) {
            sandboxCall("DELETE", "/faults?payment=" + providerId, null);
        }
    }

    // ------------------------------------------------------------------ settling and checks

    private boolean settle() throws Exception {
        long deadline = System.nanoTime() + settings.settleMax().toNanos();
        while (System.nanoTime() < deadline) {
            long open = queryLong("""
                    select (select count(*) from payments where status in ('unknown','processing'))
                         + (select count(*) from refunds where status in ('pending','unknown'))
                         + (select count(*) from payments p join orders o on o.id = p.order_id
                            where p.status = 'requires_action' and o.status = 'open')
                         + (select count(*) from compensations where status = 'scheduled')
                         + (select count(*) from orders o where o.status = 'open' and not exists
                              (select 1 from payment_transactions t where t.order_id = o.id and t.kind = 'capture'))
                         + (select count(*) from webhook_inbox where status in ('received','failed') and attempts < 10)
                    """);
            long outbound = tableExists("outbox_deliveries")
                    ? queryLong("select count(*) from outbox_deliveries where status = 'pending'") : 0;
            // a receipt still being sent or asked about (the worker retries; nothing here may be lost)
            long receipts = tableExists("receipts") ? queryLong("select count(*) from receipts where status = 'pending'") : 0;
            if (open == 0 && outbound == 0 && receipts == 0) {
                return true;
            }
            Thread.sleep(1000);
        }
        violations.add("did not settle within " + settings.settleMax());
        return false;
    }

    private void check(boolean endpoint) throws Exception {
        Map<String, JsonNode> provider = new HashMap<>();
        String after = null;
        while (true) {
            JsonNode page = sandboxCall("GET", "/payments?limit=100" + (after == null ? "" : "&starting_after=" + after),
                    null);
            for (JsonNode payment : page.path("data")) {
                provider.put(payment.path("merchant_reference").asText(), payment);
                after = payment.path("id").asText();
            }
            if (!page.path("has_more").asBoolean()) {
                break;
            }
        }
        try (Connection db = database()) {
            Map<String, long[]> ours = new HashMap<>();   // payment -> captured, refunded
            Map<String, String[]> states = new HashMap<>(); // payment -> state, order status, order id
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("""
                    select p.id, p.status, o.status, o.id,
                           coalesce(sum(t.amount_minor) filter (where t.kind = 'capture'), 0),
                           coalesce(sum(t.amount_minor) filter (where t.kind = 'refund'), 0), p.provider_payment_id
                    from payments p join orders o on o.id = p.order_id
                    left join payment_transactions t on t.payment_id = p.id
                    group by p.id, o.id""")) {
                while (rs.next()) {
                    ours.put(rs.getString(1), new long[] {rs.getLong(5), rs.getLong(6)});
                    states.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(7)});
                }
            }
            long compared = 0;
            for (Map.Entry<String, JsonNode> entry : provider.entrySet()) {
                JsonNode theirs = entry.getValue();
                long[] sums = ours.get(entry.getKey());
                compared++;
                if (sums == null) {
                    violations.add("provider payment " + theirs.path("id").asText() + " for " + entry.getKey()
                            + " is unknown to Moneytrail");
                    continue;
                }
                if (sums[0] != theirs.path("amount_captured").asLong()) {
                    violations.add(entry.getKey() + ": captured " + sums[0] + " here, "
                            + theirs.path("amount_captured").asLong() + " at the provider");
                }
                if (sums[1] != theirs.path("amount_refunded").asLong()) {
                    violations.add(entry.getKey() + ": refunded " + sums[1] + " here, "
                            + theirs.path("amount_refunded").asLong() + " at the provider");
                }
                String expected = expectedState(theirs);
                if (!expected.equals(states.get(entry.getKey())[0])) {
                    violations.add(entry.getKey() + ": " + states.get(entry.getKey())[0] + " here, " + expected
                            + " by the provider's records");
                }
                String lifecycle = states.get(entry.getKey())[1];
                if ((lifecycle.equals("cancelled") || lifecycle.equals("expired")) && sums[0] - sums[1] > 0) {
                    long held = queryLong("select count(*) from compensations where payment_id = '" + entry.getKey()
                            + "' and status = 'held'");
                    if (held == 0) {
                        violations.add(entry.getKey() + ": order " + lifecycle + " still holds " + (sums[0] - sums[1]));
                    }
                }
            }
            checked.put("payments_compared_with_provider", compared);
            for (Map.Entry<String, String[]> entry : states.entrySet()) {
                if (entry.getValue()[3] != null && !provider.containsKey(entry.getKey())) {
                    violations.add(entry.getKey() + " has provider id " + entry.getValue()[3] + " the provider lacks");
                }
            }
            checked.put("orders_paid_twice", violationsOf(db, "orders paid twice", """
                    select order_id from payments p where exists (select 1 from payment_transactions t
                      where t.payment_id = p.id and t.kind = 'capture')
                    group by order_id having count(*) > 1"""));
            checked.put("refunds_above_capture", violationsOf(db, "refunds above capture", """
                    select payment_id from payment_transactions group by payment_id
                    having coalesce(sum(amount_minor) filter (where kind = 'refund'), 0)
                         > coalesce(sum(amount_minor) filter (where kind = 'capture'), 0)"""));
            checked.put("refunds_applied_twice", violationsOf(db, "refund applied twice", """
                    select refund_id from payment_transactions where kind = 'refund' and refund_id is not null
                    group by refund_id having count(*) > 1"""));
            checked.put("ledger_disagrees_with_facts", violationsOf(db, "provider balance of order differs from facts", """
                    select o.id from orders o
                    join order_money m on m.order_id = o.id
                    left join lateral (select coalesce(sum(l.amount_minor), 0) as psp from journal_lines l
                                       join journal_entries e on e.id = l.entry_id
                                       where e.order_id = o.id and l.account_code like 'assets:psp:%') j on true
                    where j.psp <> m.amount_captured - m.amount_refunded"""));
            checked.put("unfulfilled_advances_differ", violationsOf(db, "advances differ from net captured", """
                    select o.id from orders o
                    join order_money m on m.order_id = o.id
                    left join lateral (select coalesce(-sum(l.amount_minor), 0) as adv from journal_lines l
                                       join journal_entries e on e.id = l.entry_id
                                       where e.order_id = o.id and l.account_code = 'liabilities:customer_advances') j on true
                    where o.status <> 'fulfilled' and j.adv <> m.amount_captured - m.amount_refunded"""));
            checked.put("trial_balance_off", violationsOf(db, "trial balance not zero",
                    "select currency from journal_lines group by currency having sum(amount_minor) <> 0"));
            checked.put("payments_unsettled", violationsOf(db, "payment left unsettled",
                    "select id from payments where status in ('unknown','processing','needs_review')"));
            checked.put("orders", queryLong("select count(*) from orders"));
            if (endpoint && tableExists("outbox_events")) {
                List<String> expected = new ArrayList<>();
                try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("select id from outbox_events")) {
                    while (rs.next()) {
                        expected.add(rs.getString(1));
                    }
                }
                long missing = expected.stream().filter(id -> !eventsReceived.contains(id)).count();
                checked.put("events_expected", (long) expected.size());
                checked.put("events_not_delivered", missing);
                if (missing > 0) {
                    violations.add(missing + " outbound events never reached the store's endpoint");
                }
            }
        }
    }

    /** What our state must be, given the provider's record (the adapter's mapping, restated). */
    private static String expectedState(JsonNode theirs) {
        String status = theirs.path("status").asText();
        long captured = theirs.path("amount_captured").asLong();
        String reason = theirs.path("cancellation_reason").asText("");
        switch (status) {
            case "pending":
                return "requires_action";
            case "waiting_for_capture":
                return captured > 0 ? "partially_captured" : "authorized";
            case "succeeded":
                return "captured";
            default:
                return reason.equals("voided") ? "voided" : reason.equals("expired") ? "expired" : "failed";
        }
    }

    private long violationsOf(Connection db, String what, String sql) throws SQLException {
        long found = 0;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                found++;
                violations.add(what + ": " + rs.getString(1));
            }
        }
        return found;
    }

    /** As the owner, with the password Moneytrail generated (the checks read every table). */
    private Connection database() throws SQLException {
        String password;
        try {
            password = Files.readString(settings.workDir().resolve("moneytrail/postgres-password")).trim();
        } catch (IOException e) {
            throw new SQLException("cannot read the embedded database's password: " + e.getMessage(), e);
        }
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + databasePort + "/postgres", "postgres",
                password);
    }

    /** The receipts issued, by type, purpose and status (empty without receipts). */
    private Map<String, Long> receiptsByState() throws SQLException {
        Map<String, Long> counted = new java.util.TreeMap<>();
        if (!tableExists("receipts")) {
            return counted;
        }
        try (Connection db = database(); Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "select type || ':' || purpose || ':' || status, count(*) from receipts group by 1")) {
            while (rs.next()) {
                counted.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counted;
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection db = database(); Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private boolean tableExists(String table) throws SQLException {
        return queryLong("select count(*) from information_schema.tables where table_name = '" + table + "'") > 0;
    }

    /**
     * Reconciles the run's days as a store would close a month: the provider's own report, as the
     * sandbox writes it in that provider's format, is uploaded and reconciled against what
     * Moneytrail recorded. Every discrepancy is a violation.
     */
    private Map<String, Object> reconcileMonth(long startedNanos) throws Exception {
        java.time.LocalDate first = java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                .minusDays(1 + (long) (seconds(startedNanos) / 86_400));
        java.time.LocalDate last = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        Map<String, Object> result = new LinkedHashMap<>();
        List<String> fileIds = new ArrayList<>();
        long rows = 0;
        long rejected = 0;
        String format = null;
        for (String part : settings.provider().reportParts()) {
            HttpRequest download = HttpRequest.newBuilder(URI.create("http://localhost:" + sandboxPort + "/sandbox/api"
                            // a provider's days may be local (YooKassa's are Moscow's, UTC+3): one day more each side
                            + settings.provider().reportPath + "?from=" + first + "&to=" + last.plusDays(2) + part))
                    .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer sk_sandbox_local").GET().build();
            HttpResponse<byte[]> report = sendRetryingStaleConnections(download, HttpResponse.BodyHandlers.ofByteArray());
            if (report.statusCode() != 200) {
                violations.add("the sandbox served no " + settings.provider().wire() + " report" + part + ": HTTP "
                        + report.statusCode());
                return result;
            }
            HttpRequest upload = HttpRequest.newBuilder(URI.create("http://localhost:" + servicePort
                            + "/v1/reconciliation/files?kind=provider&name=simulation-" + settings.provider().wire()
                            + fileIds.size()))
                    .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(report.body())).build();
            HttpResponse<String> file = http.send(upload, HttpResponse.BodyHandlers.ofString());
            if (file.statusCode() != 200) {
                violations.add("the " + settings.provider().wire() + " report" + part + " was refused: " + file.body());
                return result;
            }
            JsonNode uploaded = JSON.readTree(file.body());
            fileIds.add(uploaded.path("id").asText());
            format = uploaded.path("format").asText();
            rows += uploaded.path("rows").asLong();
            rejected += uploaded.path("rows_rejected").asLong();
        }
        result.put("report_format", format);
        result.put("report_files", fileIds.size());
        result.put("report_rows", rows);
        result.put("report_rows_rejected", rejected);
        Reply run = call("POST", "/v1/reconciliation/runs", JSON.writeValueAsString(Map.of("from", first.toString(),
                "to", last.toString(), "provider_files", fileIds)), null);
        long discrepancies = run.body.path("counts").path("discrepancies").asLong(-1);
        result.put("run", run.body.path("id").asText());
        result.put("status", run.body.path("status").asText());
        result.put("matched_rate", run.body.path("matched_rate").asDouble());
        result.put("discrepancies", discrepancies);
        result.put("by_class", run.body.path("counts").path("by_class"));
        JsonNode receipted = run.body.path("counts").path("receipts");
        result.put("receipts_checked", receipted);
        if (!settings.fiscal().equals("none")) {
            // receipts must not pass by being absent: the run checked them, found captures to check, and
            // none still in flight (the run's grace is 0 here: the workers have settled)
            if (receipted.path("checked").asLong() != 1 || receipted.path("payments_checked").asLong() == 0) {
                violations.add("receipt reconciliation checked nothing (fiscal " + settings.fiscal() + "): " + receipted);
            }
            if (receipted.path("receipts_in_flight").asLong() != 0) {
                violations.add("receipts still in flight after settling: " + receipted);
            }
        }
        if (discrepancies > 0) {
            JsonNode listed = call("GET", "/v1/reconciliation/runs/" + run.body.path("id").asText()
                    + "/discrepancies?limit=5", null, null).body.path("data");
            for (JsonNode discrepancy : listed) {
                violations.add("reconciliation: " + discrepancy.path("discrepancy_class").asText() + " on order "
                        + discrepancy.path("order").asText() + ": " + discrepancy.path("evidence"));
            }
        }
        if (run.status != 200 || discrepancies != 0 || rejected != 0) {
            violations.add("the month reconciled against the " + settings.provider().wire() + " report with "
                    + discrepancies + " discrepancies and " + rejected
                    + " rejected rows (run " + run.body.path("id").asText() + ", HTTP " + run.status + ")");
        }
        return result;
    }

    // ------------------------------------------------------------------ HTTP

    private record Reply(int status, JsonNode body) {
    }

    /**
     * Calls Moneytrail; while it is down (killed, restarting) the same request is retried with
     * the same idempotency key, as a careful store would.
     */
    private Reply call(String method, String path, String body, String idempotencyKey) throws Exception {
        long deadline = System.nanoTime() + CALL_RETRY_MAX.toNanos();
        long pauseMs = 100;
        while (true) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + servicePort + path))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key);
            if (method.equals("POST")) {
                request.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
                if (idempotencyKey != null) {
                    request.header("Idempotency-Key", idempotencyKey);
                }
            } else {
                request.GET();
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                boolean retry = response.statusCode() == 500 || response.statusCode() == 503
                        || response.body().contains("idempotency_key_in_use");
                if (!retry) {
                    JsonNode parsed = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
                    return new Reply(response.statusCode(), parsed);
                }
            } catch (IOException down) {
                // connection refused or reset: the service is restarting
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(method + " " + path + " got no answer within " + CALL_RETRY_MAX);
            }
            Thread.sleep(pauseMs);
            pauseMs = Math.min(2_000, pauseMs * 2);
        }
    }

    private JsonNode waitFor(String paymentId, java.util.function.Predicate<JsonNode> condition, Duration max)
            throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        JsonNode current = call("GET", "/v1/payments/" + paymentId, null, null).body;
        while (!condition.test(current) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            current = call("GET", "/v1/payments/" + paymentId, null, null).body;
        }
        return current;
    }

    private void page(String url, String outcome) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("outcome=" + outcome)).build();
        sendRetryingStaleConnections(request, HttpResponse.BodyHandlers.discarding());
    }

    /**
     * The sandbox's page and API are a second process that is never killed; an IOException here
     * is a pooled keep-alive connection the server had just closed ("header parser received no
     * bytes"), seen on a loaded machine. The JDK client retries only idempotent methods by
     * itself, so this retries any method, a bounded number of times: a customer pressing the
     * sandbox's button twice is harmless, the sandbox answers the second press with the payment's
     * state.
     */
    private <T> HttpResponse<T> sendRetryingStaleConnections(HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return http.send(request, body);
            } catch (IOException e) {
                if (attempt >= SANDBOX_ATTEMPTS_MAX) {
                    throw e;
                }
                Thread.sleep(100L * attempt);
            }
        }
    }

    private JsonNode sandboxCall(String method, String path, String body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + sandboxPort + "/sandbox/api" + path))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer sk_sandbox_local")
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> response = sendRetryingStaleConnections(request, HttpResponse.BodyHandlers.ofString());
            return response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean registerEndpoint(int receiverPort) throws Exception {
        Reply reply = call("POST", "/v1/webhook_endpoints", "{\"url\":\"http://localhost:" + receiverPort + "/events\"}",
                "simulation-endpoint");
        return reply.status == 200;
    }

    /** The store's endpoint for our outbound events: records every event id it receives. */
    private HttpServer startReceiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/events", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
                eventsReceived.add(JSON.readTree(body).path("id").asText());
            } catch (RuntimeException ignored) {
                // not JSON: counted as not delivered
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }

    private void count(String kind) {
        injected.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    private void say(String line) {
        settings.out().println(line);
    }

    static double seconds(long startedNanos) {
        return Math.round((System.nanoTime() - startedNanos) / 1e7) / 100.0;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
