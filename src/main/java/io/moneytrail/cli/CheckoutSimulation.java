package io.moneytrail.cli;

import io.moneytrail.checkout.DeclineReason;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The seeded generator of customer behaviour ({@code simulate --checkout}). It starts Moneytrail
 * in its own process on a temporary embedded database, with the sandbox and the dialects of
 * Stripe, YooKassa and T-Bank in that process, and with short checkout times (abandonment and
 * session lifetime); then plays customers over real HTTP: the store creates an order and a
 * checkout session, the customer opens the page on a device (its User-Agent), chooses a
 * provider, pays, is declined (the sandbox's test cards: plain, insufficient funds, card expired,
 * do not honor; 3-D Secure failed), retries with the same or another provider, closes the tab at
 * the provider or after paying, or leaves; some sessions are never opened; some orders are paid
 * through the API without a session. Every choice comes from the seed. What each customer did is
 * kept; when every session has ended (paid, or expired after its abandonment) the funnel report
 * for the run's days is fetched and compared, step by step, with what the generator produced.
 */
final class CheckoutSimulation {

    record Settings(int customers, long seed, int concurrency, List<String> providers, Duration abandonAfter,
                    Duration sessionLifetime, List<String> launcher, Path workDir, PrintStream out) {
    }

    static final List<String> STEPS = List.of("viewed", "provider_chosen", "redirected", "returned", "authorized",
            "paid", "declined", "abandoned", "expired");
    private static final JsonMapper JSON = new JsonMapper();
    private static final Duration START_MAX = Duration.ofSeconds(600);
    private static final Pattern PROVIDER_BUTTON = Pattern.compile("name=\"provider\"[^>]*value=\"([a-z0-9_]+)\"");
    private static final Map<String, String> AGENTS = Map.of(
            "desktop", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " Chrome/126.0.0.0 Safari/537.36",
            "mobile", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
                    + " Version/17.5 Mobile/15E148 Safari/604.1",
            "tablet", "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
                    + " Version/17.5 Mobile/15E148 Safari/604.1");
    /** The sandbox's test cards for declines ({@code null}: a plain decline). */
    private static final List<String> SANDBOX_DECLINES = Arrays.asList(null, "insufficient_funds", "card_expired",
            "do_not_honor");

    /** What one customer did, and so which steps its journey must show. */
    static final class Journey {
        final int customer;
        String kind; // session, unopened, api
        String device = "unknown";
        String orderId;
        String sessionId;
        String sessionUrl;
        boolean viewed;
        boolean chosen;
        boolean redirected;
        boolean returned;
        boolean paid;
        boolean abandoned;
        boolean expired;
        /** Reason classes of the attempts that failed. */
        final List<String> declines = new ArrayList<>();
        final List<String> providers = new ArrayList<>();
        /** Where a customer who left stopped: viewed, redirected (at the provider), declined (after a decline). */
        String leftAfter;
        String failure;

        Journey(int customer) {
            this.customer = customer;
        }

        /** The furthest step of the path reached: as the report reads it (a decline happens at the provider). */
        int rank() {
            int rank = viewed ? 0 : -1;
            if (chosen) {
                rank = 1;
            }
            if (redirected || !declines.isEmpty()) {
                rank = 2;
            }
            if (returned) {
                rank = 3;
            }
            if (paid) {
                rank = 5;
            }
            return rank;
        }
    }

    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    private int port;
    private String base;
    private String key;
    private Process service;

    CheckoutSimulation(Settings settings) {
        this.settings = settings;
    }

    /** Runs the customers, waits for every session to end, and answers the comparison with the funnel report. */
    Map<String, Object> run() throws Exception {
        long started = System.nanoTime();
        port = Simulation.freePort();
        base = "http://localhost:" + port;
        LocalDate firstDay = LocalDate.now(ZoneOffset.UTC);
        service = new ProcessBuilder(serviceCommand(Simulation.freePort())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.workDir().resolve("moneytrail.log").toFile()))
                .start();
        try {
            waitHealthy();
            key = secretKey();
            say("moneytrail on :" + port + " (sandbox and dialects in the same process); abandonment after "
                    + settings.abandonAfter().toSeconds() + " s, sessions live " + settings.sessionLifetime().toSeconds()
                    + " s; work directory " + settings.workDir());
            List<Journey> journeys = runCustomers();
            say("customers done after " + Simulation.seconds(started) + " s; waiting for every session to end");
            boolean settled = settle(journeys);
            LocalDate lastDay = LocalDate.now(ZoneOffset.UTC);
            JsonNode report = call("GET", "/v1/reports/funnel?from=" + firstDay + "&to=" + lastDay, null, null).body();
            Map<String, Object> result = compare(journeys, report);
            result.put("seed", settings.seed());
            result.put("customers", settings.customers());
            result.put("providers", settings.providers());
            result.put("settled", settled);
            result.put("wall_seconds", Simulation.seconds(started));
            result.put("report_period", firstDay + ".." + lastDay);
            return result;
        } finally {
            stop(service);
        }
    }

    private List<String> serviceCommand(int databasePort) {
        List<String> command = new ArrayList<>(settings.launcher());
        command.addAll(List.of("--server.port=" + port,
                "--moneytrail.data-dir=" + settings.workDir().resolve("moneytrail"),
                "--moneytrail.db.embedded-port=" + databasePort,
                "--moneytrail.payments.worker-interval-ms=300",
                "--moneytrail.payments.resolver.schedule=1s,2s,4s",
                "--moneytrail.checkout.abandon-after=" + settings.abandonAfter().toMillis() + "ms",
                "--moneytrail.checkout.session-lifetime=" + settings.sessionLifetime().toMillis() + "ms",
                "--moneytrail.checkout.sweep-interval=1s",
                "--moneytrail.checkout.redirect-delay=0s",
                "--moneytrail.checkout.wait-before-choice=1s",
                "--moneytrail.sandbox.stripe.session-ttl-seconds=" + Math.max(30, settings.sessionLifetime().toSeconds()),
                "--logging.level.root=warn"));
        if (settings.providers().contains("stripe")) {
            command.addAll(List.of("--moneytrail.stripe.secret-key=sk_test_moneytrail_sandbox",
                    "--moneytrail.stripe.webhook-secret=whsec_moneytrail_sandbox",
                    "--moneytrail.stripe.api-base=/sandbox/stripe"));
        }
        if (settings.providers().contains("yookassa")) {
            command.addAll(List.of("--moneytrail.yookassa.shop-id=100500",
                    "--moneytrail.yookassa.secret-key=test_sandbox_yookassa_local",
                    "--moneytrail.yookassa.trusted-networks=127.0.0.1/32,::1/128",
                    "--moneytrail.yookassa.api-base=/sandbox/yookassa"));
        }
        if (settings.providers().contains("tbank")) {
            command.addAll(List.of("--moneytrail.tbank.terminal-key=SandboxTerminalDEMO",
                    "--moneytrail.tbank.password=sandbox_tbank_local",
                    "--moneytrail.tbank.api-base=/sandbox/tbank"));
        }
        return command;
    }

    // ------------------------------------------------------------------ customers

    private List<Journey> runCustomers() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency());
        List<Journey> journeys = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < settings.customers(); i++) {
            Journey journey = new Journey(i);
            journeys.add(journey);
            futures.add(pool.submit(() -> {
                try {
                    customer(journey, new Random(settings.seed() * 1_000_003L + journey.customer));
                } catch (Exception e) {
                    journey.failure = e.toString();
                }
            }));
        }
        pool.shutdown();
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        List<Journey> sorted = new ArrayList<>(journeys);
        sorted.sort(java.util.Comparator.comparingInt(j -> j.customer));
        return sorted;
    }

    private void customer(Journey j, Random random) throws Exception {
        boolean roubles = !settings.providers().contains("sandbox") && !settings.providers().contains("stripe")
                || (settings.providers().contains("yookassa") || settings.providers().contains("tbank"))
                && random.nextInt(100) < 35;
        long unit = 500 + random.nextInt(20_000);
        JsonNode order = call("POST", "/v1/orders", """
                {"currency":"%s","reference":"funnel-%d","customer":{"email":"c%d@example.com"},
                 "lines":[{"sku":"F%d","name":"Item","quantity":1,"unit_amount":%d,"vat_rate":20}]}"""
                .formatted(roubles ? "RUB" : "EUR", j.customer, j.customer, j.customer, unit), "o" + j.customer).body();
        j.orderId = order.path("id").asText();
        int kind = random.nextInt(100);
        if (kind < 8 && settings.providers().contains("sandbox")) {
            apiCustomer(j, random);
            return;
        }
        JsonNode session = call("POST", "/v1/orders/" + j.orderId + "/checkout_sessions",
                "{\"return_url\":\"https://store.example/thanks\",\"cancel_url\":\"https://store.example/cart\"}",
                "s" + j.customer).body();
        j.sessionId = session.path("id").asText();
        j.sessionUrl = session.path("url").asText();
        if (kind < 13) {
            j.kind = "unopened"; // the customer never opens the link; the session expires unviewed
            j.expired = true;
            return;
        }
        j.kind = "session";
        int deviceRoll = random.nextInt(100);
        j.device = deviceRoll < 52 ? "desktop" : deviceRoll < 88 ? "mobile" : deviceRoll < 96 ? "tablet" : "unknown";
        String userAgent = AGENTS.get(j.device);
        HttpResponse<String> page = page("GET", j.sessionUrl, null, userAgent);
        j.viewed = true;
        if (random.nextInt(100) < 12) {
            leave(j, "viewed");
            return;
        }
        List<String> offered = new ArrayList<>();
        Matcher buttons = PROVIDER_BUTTON.matcher(page.body());
        while (buttons.find()) {
            if (settings.providers().contains(buttons.group(1))) {
                offered.add(buttons.group(1));
            }
        }
        if (offered.isEmpty()) {
            throw new IllegalStateException("the page of " + j.sessionId + " offers none of " + settings.providers());
        }
        String provider = offered.get(random.nextInt(offered.size()));
        for (int attempt = 1; attempt <= 3; attempt++) {
            HttpResponse<String> choice = page("POST", j.sessionUrl + "/pay", "provider=" + provider, userAgent);
            String providerPage = location(choice);
            if (providerPage == null || providerPage.startsWith(j.sessionUrl)) {
                throw new IllegalStateException(j.sessionId + ": choosing " + provider + " led to " + providerPage);
            }
            j.chosen = true;
            j.redirected = true;
            j.providers.add(provider);
            if (attempt == 1 && random.nextInt(100) < 8) {
                leave(j, "redirected"); // closes the provider's page without paying
                return;
            }
            int roll = random.nextInt(100);
            String outcome = roll < 62 ? "succeeded" : roll < 72 ? "3ds_succeeded" : roll < 90 ? "declined" : "3ds_failed";
            String declineCode = outcome.equals("declined") && provider.equals("sandbox")
                    ? SANDBOX_DECLINES.get(random.nextInt(SANDBOX_DECLINES.size())) : null;
            HttpResponse<String> answer = page("POST", providerPage, "outcome=" + outcome
                    + (declineCode == null ? "" : "&decline_code=" + declineCode), userAgent);
            String back = location(answer);
            boolean paid = outcome.endsWith("succeeded");
            if (paid) {
                j.paid = true;
                if (back != null && random.nextInt(100) < 90) {
                    followReturn(j, back, userAgent);
                }
                return; // or closed the tab after paying: the money still arrives
            }
            j.declines.add(reasonClass(provider, outcome, declineCode));
            if (back != null) {
                followReturn(j, back, userAgent); // the provider sends the customer back to our page
            } else {
                page("GET", j.sessionUrl, null, userAgent); // Stripe keeps them; they come back to our page
            }
            if (attempt == 3 || random.nextInt(100) >= 55) {
                leave(j, "declined");
                return;
            }
            if (provider.equals("stripe") || random.nextBoolean()) {
                List<String> others = new ArrayList<>(offered);
                others.remove(provider);
                if (!others.isEmpty()) {
                    provider = others.get(random.nextInt(others.size()));
                } else if (provider.equals("stripe")) {
                    leave(j, "declined"); // Stripe continues its own attempt: this model never retries it
                    return;
                }
            }
        }
    }

    /** A customer who left: the session is abandoned (no step for a while) and later expires. */
    private static void leave(Journey j, String after) {
        j.abandoned = true;
        j.expired = true;
        j.leftAfter = after;
    }

    private void followReturn(Journey j, String location, String userAgent) throws Exception {
        HttpResponse<String> returned = page("GET", location, null, userAgent);
        if (location.startsWith(j.sessionUrl)) {
            j.returned = true;
        }
        String next = location(returned);
        if (next != null) {
            page("GET", next, null, userAgent);
        }
    }

    /** An order paid through the API without a session: its funnel starts at payment_started. */
    private void apiCustomer(Journey j, Random random) throws Exception {
        j.kind = "api";
        JsonNode payment = call("POST", "/v1/orders/" + j.orderId + "/payments",
                "{\"provider\":\"sandbox\",\"capture_method\":\"automatic\"}", "p" + j.customer).body();
        String redirect = payment.path("next_action").path("redirect_url").asText(null);
        j.chosen = true;
        j.providers.add("sandbox");
        if (redirect == null) {
            throw new IllegalStateException("API payment of " + j.orderId + " has no redirect: " + payment);
        }
        boolean pays = random.nextInt(100) < 80;
        page("POST", redirect, "outcome=" + (pays ? "succeeded" : "declined"), null);
        if (pays) {
            j.paid = true;
        } else {
            j.declines.add(reasonClass("sandbox", "declined", null));
        }
    }

    /** The report's reason class for a failed attempt, from the code each provider's dialect records. */
    static String reasonClass(String provider, String outcome, String sandboxCode) {
        String code = switch (provider) {
            case "sandbox" -> outcome.equals("3ds_failed") ? "3ds_failed" : sandboxCode == null ? "declined" : sandboxCode;
            case "stripe" -> outcome.equals("3ds_failed") ? "payment_intent_authentication_failure" : "generic_decline";
            case "yookassa" -> outcome.equals("3ds_failed") ? "3d_secure_failed" : "general_decline";
            case "tbank" -> outcome.equals("3ds_failed") ? "101" : "1051";
            default -> outcome;
        };
        return DeclineReason.of(provider, code).name().toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ settling and comparing

    /** Until every session has ended (paid and complete, or expired) and every attempt has its outcome. */
    private boolean settle(List<Journey> journeys) throws Exception {
        long deadline = System.nanoTime() + settings.sessionLifetime().multipliedBy(3).plusSeconds(120).toNanos();
        List<Journey> waiting = new ArrayList<>(journeys.stream().filter(j -> j.sessionId != null).toList());
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            waiting.removeIf(j -> {
                try {
                    return !"open".equals(call("GET", "/v1/checkout_sessions/" + j.sessionId, null, null).body()
                            .path("status").asText());
                } catch (Exception e) {
                    return false;
                }
            });
            if (!waiting.isEmpty()) {
                Thread.sleep(1000);
            }
        }
        // declines that end an attempt only when it is voided or expires (Stripe keeps a declined session open)
        List<Journey> unpaidOrders = new ArrayList<>(journeys.stream()
                .filter(j -> j.orderId != null && !j.declines.isEmpty() && !j.paid).toList());
        while (!unpaidOrders.isEmpty() && System.nanoTime() < deadline) {
            unpaidOrders.removeIf(j -> {
                try {
                    String status = call("GET", "/v1/orders/" + j.orderId, null, null).body().path("payment_status")
                            .asText();
                    return !status.equals("pending");
                } catch (Exception e) {
                    return false;
                }
            });
            if (!unpaidOrders.isEmpty()) {
                Thread.sleep(1000);
            }
        }
        Thread.sleep(2000); // the last money steps' transactions
        return waiting.isEmpty() && unpaidOrders.isEmpty();
    }

    Map<String, Object> compare(List<Journey> journeys, JsonNode report) {
        Map<String, Long> expected = new LinkedHashMap<>();
        STEPS.forEach(s -> expected.put(s, 0L));
        Map<String, long[]> reasons = new TreeMap<>();
        Map<String, Long> leftAfter = new TreeMap<>();
        long sessions = 0;
        long apiOrders = 0;
        long unopened = 0;
        List<String> failures = new ArrayList<>();
        for (Journey j : journeys) {
            if (j.failure != null) {
                failures.add("customer " + j.customer + ": " + j.failure);
            }
            if ("unopened".equals(j.kind)) {
                unopened++;
                continue;
            }
            if (j.kind == null) {
                continue;
            }
            if (j.kind.equals("api")) {
                apiOrders++;
            } else {
                sessions++;
            }
            int rank = j.rank();
            List<String> path = STEPS.subList(0, 6);
            for (int i = 0; i < path.size(); i++) {
                boolean reached = i == 0 ? j.viewed : rank >= i || i == 4 && j.paid;
                if (reached) {
                    expected.merge(path.get(i), 1L, Long::sum);
                }
            }
            if (!j.declines.isEmpty()) {
                expected.merge("declined", 1L, Long::sum);
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (String reason : j.declines) {
                    long[] c = reasons.computeIfAbsent(reason, r -> new long[2]);
                    c[0]++;
                    if (seen.add(reason)) {
                        c[1]++;
                    }
                }
            }
            if (j.abandoned) {
                expected.merge("abandoned", 1L, Long::sum);
                leftAfter.merge(j.leftAfter, 1L, Long::sum);
            }
            if (j.expired) {
                expected.merge("expired", 1L, Long::sum);
            }
        }
        Map<String, Long> actual = new LinkedHashMap<>();
        report.path("steps").forEach(s -> actual.put(s.path("step").asText(), s.path("count").asLong()));
        Map<String, long[]> reportedReasons = new TreeMap<>();
        report.path("decline_reasons").forEach(r -> reportedReasons.put(r.path("reason").asText(),
                new long[] {r.path("declines").asLong(), r.path("journeys").asLong()}));

        List<String> mismatches = new ArrayList<>(failures);
        StringBuilder table = new StringBuilder(String.format("  %-16s %10s %10s  %s%n", "step", "generated", "report", ""));
        for (String step : STEPS) {
            long want = expected.get(step);
            long got = actual.getOrDefault(step, -1L);
            table.append(String.format("  %-16s %10d %10d  %s%n", step, want, got, want == got ? "ok" : "MISMATCH"));
            if (want != got) {
                mismatches.add(step + ": generated " + want + ", report " + got);
            }
        }
        long reportSessions = report.path("journeys").path("checkout_sessions").asLong(-1);
        long reportApi = report.path("journeys").path("api_orders").asLong(-1);
        long reportUnopened = report.path("journeys").path("sessions_not_viewed").asLong(-1);
        table.append(String.format("  %-16s %10d %10d  %s%n", "(sessions)", sessions, reportSessions,
                sessions == reportSessions ? "ok" : "MISMATCH"));
        table.append(String.format("  %-16s %10d %10d  %s%n", "(api orders)", apiOrders, reportApi,
                apiOrders == reportApi ? "ok" : "MISMATCH"));
        table.append(String.format("  %-16s %10d %10d  %s%n", "(never opened)", unopened, reportUnopened,
                unopened == reportUnopened ? "ok" : "MISMATCH"));
        if (sessions != reportSessions || apiOrders != reportApi || unopened != reportUnopened) {
            mismatches.add("journeys: generated " + sessions + "/" + apiOrders + "/" + unopened + ", report "
                    + reportSessions + "/" + reportApi + "/" + reportUnopened);
        }
        table.append(String.format("  %-34s %12s %12s%n", "decline reason", "generated", "report"));
        java.util.Set<String> allReasons = new java.util.TreeSet<>(reasons.keySet());
        allReasons.addAll(reportedReasons.keySet());
        for (String reason : allReasons) {
            long[] want = reasons.getOrDefault(reason, new long[2]);
            long[] got = reportedReasons.getOrDefault(reason, new long[2]);
            boolean same = want[0] == got[0] && want[1] == got[1];
            table.append(String.format("  %-34s %5d in %4d %5d in %4d  %s%n", reason, want[0], want[1], got[0], got[1],
                    same ? "ok" : "MISMATCH"));
            if (!same) {
                mismatches.add("decline reason " + reason + ": generated " + want[0] + " in " + want[1] + ", report "
                        + got[0] + " in " + got[1]);
            }
        }
        table.append("  abandoned, where the customer left (generated): ").append(leftAfter).append('\n');
        Map<String, Long> lastSteps = new LinkedHashMap<>();
        report.path("abandoned_by_last_step").forEach(l -> lastSteps.put(l.path("step").asText(),
                l.path("sessions").asLong()));
        table.append("  abandoned by last step (report):                 ").append(lastSteps).append('\n');
        table.append("  time from first view to paid (report): ").append(report.path("time_to_paid")).append('\n');

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("pass", mismatches.isEmpty());
        result.put("generated", expected);
        result.put("report", actual);
        result.put("table", table.toString());
        result.put("mismatches", mismatches.stream().limit(20).toList());
        return result;
    }

    // ------------------------------------------------------------------ HTTP

    record Reply(int status, JsonNode body) {
    }

    private Reply call(String method, String path, String body, String idempotencyKey) throws Exception {
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + key);
            if (method.equals("POST")) {
                request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
                if (idempotencyKey != null) {
                    request.header("Idempotency-Key", "funnel-" + settings.seed() + "-" + idempotencyKey);
                }
            } else {
                request.GET();
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if ((response.statusCode() == 500 || response.statusCode() == 503
                        || response.body().contains("idempotency_key_in_use")) && attempt < 5) {
                    Thread.sleep(200L * attempt);
                    continue;
                }
                if (response.statusCode() >= 400) {
                    throw new IOException(method + " " + path + " answered " + response.statusCode() + ": "
                            + response.body());
                }
                return new Reply(response.statusCode(), JSON.readTree(response.body()));
            } catch (java.net.ConnectException | java.net.http.HttpTimeoutException e) {
                if (attempt >= 5) {
                    throw e;
                }
                Thread.sleep(200L * attempt);
            }
        }
    }

    /** A browser's request: no key, the customer's User-Agent (none: the client's own, an unknown device). */
    private HttpResponse<String> page(String method, String url, String form, String userAgent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (userAgent != null) {
            request.header("User-Agent", userAgent);
        }
        if (method.equals("POST")) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form == null ? "" : form));
        } else {
            request.GET();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() >= 500 && attempt < 3) {
                    Thread.sleep(300);
                    continue;
                }
                if (response.statusCode() >= 400) {
                    throw new IOException(method + " " + url + " answered " + response.statusCode());
                }
                return response;
            } catch (IOException e) {
                if (attempt >= 3 || e.getMessage() != null && e.getMessage().contains("answered")) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** The redirect's target, absolute; null when the answer is not a redirect. */
    private static String location(HttpResponse<String> response) {
        if (response.statusCode() < 300 || response.statusCode() >= 400) {
            return null;
        }
        return response.headers().firstValue("Location").map(l -> response.uri().resolve(l).toString()).orElse(null);
    }

    private void waitHealthy() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + START_MAX.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IOException("Moneytrail exited at start; see " + settings.workDir().resolve("moneytrail.log"));
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IOException("Moneytrail did not become healthy within " + START_MAX);
    }

    private String secretKey() throws IOException, InterruptedException {
        Path file = settings.workDir().resolve("moneytrail/secret-key");
        long deadline = System.nanoTime() + START_MAX.toNanos();
        while (System.nanoTime() < deadline) {
            String found = Files.exists(file) ? Files.readString(file).trim() : "";
            if (!found.isEmpty()) {
                return found;
            }
            Thread.sleep(200);
        }
        throw new IOException("no secret key in " + file);
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

    private void say(String line) {
        settings.out().println(line);
    }

    static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
