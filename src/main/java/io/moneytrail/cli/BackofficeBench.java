package io.moneytrail.cli;

import com.github.f4b6a3.ulid.Ulid;
import com.zaxxer.hikari.HikariDataSource;
import io.moneytrail.Moneytrail;
import io.moneytrail.money.Money;
import io.moneytrail.order.OrderBulkLoad;
import io.moneytrail.order.OrderSearch;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.payment.PaymentBulkLoad;
import io.moneytrail.payment.PaymentState;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench backoffice}: the back office's orders page and each of its searches, timed over
 * real HTTP against a database of N orders.
 *
 * <p>It starts Moneytrail in this process (web server on a free port, no sandbox, no background
 * jobs, so no expiry sweep touches the seeded orders) on a temporary embedded database, or on
 * the database of {@code --db-url}. Unless the database already holds N orders or more, it seeds
 * them through the owners' bulk loaders ({@link OrderBulkLoad}, {@link PaymentBulkLoad}; pages of
 * 10,000 rows, one {@code insert … select from unnest(…)} per table per page): orders spread
 * evenly over {@code --months} months up to now, ids that sort by creation time as the service's
 * own do, a quarter as many customers as orders (e-mails in mixed case, phones as +7 numbers,
 * some without), references, the order statuses and payment outcomes of a shop in business
 * (open, fulfilled, cancelled, expired; unpaid, pending, paid, partially refunded, refunded) over
 * four providers with their own payment id shapes. Every order is a pure function of its index
 * and the seed, so the searches look for values that exist without reading the tables.
 *
 * <p>Then it logs in as the first admin through {@code /admin/login} and, for each kind of
 * request, after a warm-up, times {@code --samples} requests with different values: the first
 * page, keyset next pages, search by order id, reference, e-mail, phone and provider payment id,
 * and the filters by status, payment status, provider and creation date, each with its next page
 * (followed from the page's own "Next" link). It checks every exact search found its order, and
 * prints p50, p95 and max per kind with PASS when p95 is under {@code --limit-ms} (200 ms).
 */
@Command(name = "backoffice", description = "Seed N orders and time the back office's orders page and every search"
        + " over HTTP: p50/p95/max per kind, PASS/FAIL against a limit.", mixinStandardHelpOptions = true)
final class BackofficeBench implements Callable<Integer> {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern NEXT = Pattern.compile("rel=\"next\" href=\"([^\"]+)\"");
    private static final int PAGE = 10_000;
    static final List<String> PROVIDERS = List.of("stripe", "yookassa", "tbank", "sandbox");
    static final List<String> DOMAINS = List.of("mail.ru", "yandex.ru", "gmail.com", "example.com", "inbox.ru");
    static final List<String> FIRST = List.of("Anna", "Ivan", "Olga", "Sergey", "Maria", "Pavel", "Elena", "Dmitry",
            "Natalia", "Alexey", "Irina", "Mikhail");
    static final List<String> LAST = List.of("Petrova", "Smirnov", "Ivanova", "Kuznetsov", "Popova", "Sokolov",
            "Lebedeva", "Kozlov", "Novikova", "Morozov");

    @Option(names = "--orders", description = "orders in the database (default ${DEFAULT-VALUE})")
    int orders = 1_000_000;

    @Option(names = "--months", description = "months the orders are spread over, up to now (default ${DEFAULT-VALUE})")
    int months = 6;

    @Option(names = "--seed", description = "seed of the generated orders (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--end", description = "the newest orders' time (default: the start of today, UTC); a run on a"
            + " database seeded earlier must give the seeding run's, which it printed")
    Instant end;

    @Option(names = "--samples", description = "timed requests per kind (default ${DEFAULT-VALUE})")
    int samples = 30;

    @Option(names = "--warmup", description = "requests per kind before the timed ones (default ${DEFAULT-VALUE})")
    int warmup = 20;

    @Option(names = "--limit-ms", description = "a kind passes when its p95 is under this (default ${DEFAULT-VALUE})")
    long limitMs = 200;

    @Option(names = "--work-dir", description = "where the temporary data directory goes (default: java.io.tmpdir)")
    Path workDir;

    @Option(names = "--db-url", description = "a PostgreSQL JDBC URL; omitted: a temporary embedded database")
    String dbUrl;

    @Option(names = "--db-user", description = "user for --db-url")
    String dbUser;

    @Option(names = "--db-password", description = "password for --db-url")
    String dbPassword;

    @Option(names = "--admin-password", description = "the admin user's password when --db-url already has users"
            + " (default: the one the first start writes to the data directory)")
    String adminPassword;

    @Option(names = "--hold-seconds", description = "after measuring, keep the service and its database up this long"
            + " and print how to reach the database (to EXPLAIN ANALYZE by hand); default ${DEFAULT-VALUE}")
    int holdSeconds;

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public Integer call() throws Exception {
        if (orders < 100 || months < 1 || samples < 1 || warmup < 0 || limitMs < 1) {
            System.err.println("--orders must be >= 100, --months >= 1, --samples >= 1, --warmup >= 0, --limit-ms >= 1");
            return 2;
        }
        if (dbUrl != null && (dbUser == null || dbPassword == null)) {
            System.err.println("--db-url needs --db-user and --db-password");
            return 2;
        }
        Path work = workDir == null ? Files.createTempDirectory("moneytrail-bench-backoffice")
                : Files.createTempDirectory(Files.createDirectories(workDir), "moneytrail-bench-backoffice");
        int port = SandboxProcess.freePort();
        List<String> args = new ArrayList<>(List.of("--server.port=" + port,
                "--moneytrail.data-dir=" + work.resolve("moneytrail"), "--moneytrail.sandbox.enabled=false",
                "--moneytrail.scheduling.enabled=false", "--spring.modulith.moments.enabled=false",
                "--logging.level.root=warn", "--logging.level.io.moneytrail=warn",
                "--spring.main.log-startup-info=false"));
        if (dbUrl != null) {
            args.add("--moneytrail.db.url=" + dbUrl);
            args.add("--moneytrail.db.user=" + dbUser);
            args.add("--moneytrail.db.password=" + dbPassword);
        }
        Generator generator = new Generator(orders, months, seed,
                end != null ? end : Instant.now().truncatedTo(ChronoUnit.DAYS));
        try {
            return run(args, generator, work, port);
        } finally {
            deleteTree(work); // the embedded database of 1,000,000 orders is about 1.5 GB
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }

    private int run(List<String> args, Generator generator, Path work, int port) throws Exception {
        long started = System.nanoTime();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Moneytrail.class)
                .run(args.toArray(String[]::new))) {
            System.out.printf(Locale.ROOT, "service up on port %d in %.1f s (%s)%n", port,
                    (System.nanoTime() - started) / 1e9, dbUrl == null ? "embedded database in " + work : dbUrl);
            long present = context.getBean(OrderSearch.class).count(Instant.EPOCH, Instant.now().plusSeconds(86_400))
                    .created();
            if (present >= orders) {
                System.out.printf(Locale.ROOT, "the database holds %,d orders already: not seeding%n", present);
            } else if (present > 0) {
                System.err.println("the database holds " + present + " orders, fewer than --orders; use an empty one");
                return 2;
            } else {
                seed(context, generator);
            }
            String base = "http://localhost:" + port;
            String password = adminPassword != null ? adminPassword
                    : Files.readString(work.resolve("moneytrail").resolve("admin-password")).trim();
            login(base, "admin", password);
            cpu.addThisJvm("moneytrail");
            if (dbUrl == null) {
                cpu.addPostgres("postgres", work.resolve("moneytrail").resolve("postgres"));
            }
            List<Kind.Result> results = measure(base, generator);
            print(results);
            if (holdSeconds > 0) {
                var owner = context.getBean(io.moneytrail.database.DatabaseEndpoint.class).owner();
                System.out.println("holding " + holdSeconds + " s: " + owner.jdbcUrl() + " user " + owner.username()
                        + " password " + owner.password());
                Thread.sleep(holdSeconds * 1000L);
            }
            return results.stream().allMatch(r -> r.passed(limitMs)) ? 0 : 1;
        }
    }

    // ------------------------------------------------------------------ seeding

    private void seed(ConfigurableApplicationContext context, Generator generator) throws Exception {
        OrderBulkLoad orderLoad = context.getBean(OrderBulkLoad.class);
        PaymentBulkLoad paymentLoad = context.getBean(PaymentBulkLoad.class);
        long started = System.nanoTime();
        long payments = 0;
        long lastReport = started;
        for (int from = 0; from < orders; from += PAGE) {
            int to = Math.min(orders, from + PAGE);
            List<OrderBulkLoad.BulkOrder> orderRows = new ArrayList<>(to - from);
            List<PaymentBulkLoad.BulkPayment> paymentRows = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                Generated g = generator.at(i);
                orderRows.add(g.order());
                if (g.payment() != null) {
                    paymentRows.add(g.payment());
                }
            }
            orderLoad.insert(orderRows);
            payments += paymentLoad.insert(paymentRows).payments();
            if (System.nanoTime() - lastReport > 15e9) {
                lastReport = System.nanoTime();
                System.out.printf(Locale.ROOT, "  seeded %,d of %,d orders (%.0f s)%n", to, orders,
                        (lastReport - started) / 1e9);
            }
        }
        double seeding = (System.nanoTime() - started) / 1e9;
        long analyzeStarted = System.nanoTime();
        try (HikariDataSource owner = DatabaseContext.ownerPool(context, "bench-owner", 1);
             Connection con = owner.getConnection(); Statement statement = con.createStatement()) {
            statement.execute("vacuum analyze");
        }
        System.out.printf(Locale.ROOT, "seeded %,d orders (seed %d, --end %s) and %,d payments in %.1f s (%,.0f"
                        + " orders/s), then vacuum analyze in %.1f s%n", orders, seed, generator.end, payments, seeding,
                orders / seeding,
                (System.nanoTime() - analyzeStarted) / 1e9);
    }

    /** One generated order and its payment (null when the customer never paid). */
    record Generated(OrderBulkLoad.BulkOrder order, PaymentBulkLoad.BulkPayment payment) {
    }

    /**
     * The orders, each a pure function of its index and the seed: created evenly over the months
     * up to {@code end} with a little jitter, so that ids (ULIDs of the creation time, as the
     * service's) sort as the creation times do.
     */
    static final class Generator {

        final int count;
        final long seed;
        final Instant start;
        final Instant end;
        final long stepMillis;
        final int customers;

        Generator(int count, int months, long seed, Instant end) {
            this.count = count;
            this.seed = seed;
            this.end = end;
            this.start = end.minus(Duration.ofDays(30L * months));
            this.stepMillis = Math.max(2, Duration.between(start, end).toMillis() / count);
            this.customers = Math.max(1, count / 4);
        }

        static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        private long hash(int i, int salt) {
            return mix(seed * 0x9E3779B97F4A7C15L + i * 31L + salt);
        }

        Instant created(int i) {
            return start.plusMillis(i * stepMillis + Math.floorMod(hash(i, 1), stepMillis - 1));
        }

        String id(String prefix, int i, Instant at, int salt) {
            long random = hash(i, 100 + salt);
            return prefix + new Ulid((at.toEpochMilli() << 16) | (random & 0xFFFF), mix(random)).toLowerCase();
        }

        String orderId(int i) {
            return id("ord_", i, created(i), 0);
        }

        String reference(int i) {
            return "SO-" + LocalDate.ofInstant(created(i), ZoneOffset.UTC).getYear() + "-" + (100_000 + i);
        }

        int customer(int i) {
            return (int) Math.floorMod(hash(i, 2), (long) customers);
        }

        /** As the customer typed it: mixed case. */
        String email(int i) {
            int c = customer(i);
            return FIRST.get(c % FIRST.size()) + "." + LAST.get((c / FIRST.size()) % LAST.size()) + c + "@"
                    + DOMAINS.get(c % DOMAINS.size());
        }

        /** One customer in ten gave no phone. */
        String phone(int i) {
            int c = customer(i);
            if (c % 10 == 3) {
                return null;
            }
            return "+79" + String.format(Locale.ROOT, "%09d", Math.floorMod(mix(c + 7L), 1_000_000_000L));
        }

        /** The same phone as a person types it: {@code +7 912 345-67-89}. */
        static String typed(String phone) {
            return phone.substring(0, 2) + " " + phone.substring(2, 5) + " " + phone.substring(5, 8) + "-"
                    + phone.substring(8, 10) + "-" + phone.substring(10);
        }

        String provider(int i) {
            long h = Math.floorMod(hash(i, 3), 100L);
            return h < 40 ? "stripe" : h < 70 ? "yookassa" : h < 90 ? "tbank" : "sandbox";
        }

        String providerPaymentId(int i) {
            long h = hash(i, 4);
            return switch (provider(i)) {
                case "stripe" -> "pi_3" + Long.toUnsignedString(h, 36) + Long.toUnsignedString(mix(h), 36).substring(0, 6);
                case "yookassa" -> String.format(Locale.ROOT, "%08x-000f-5000-%04x-%012x", (int) (h >>> 32),
                        0x8000 | (h & 0x0fff), mix(h) & 0xffffffffffffL);
                case "tbank" -> Long.toString(1_000_000_000L + i * 7L + Math.floorMod(h, 7L));
                default -> id("sbxpay_", i, created(i), 4).substring(0, 7 + 26);
            };
        }

        /** The order's lifecycle status: most fulfilled; some open, cancelled, expired. */
        OrderStatus status(int i) {
            long h = Math.floorMod(hash(i, 5), 100L);
            // orders of the last few days are still open more often
            boolean recent = i > count - count / 30;
            if (recent && h < 50) {
                return OrderStatus.OPEN;
            }
            return h < 8 ? OrderStatus.OPEN : h < 78 ? OrderStatus.FULFILLED : h < 90 ? OrderStatus.CANCELLED
                    : OrderStatus.EXPIRED;
        }

        Generated at(int i) {
            Instant created = created(i);
            String id = orderId(i);
            String provider = provider(i);
            String currency = provider.equals("stripe") || provider.equals("sandbox") ? "EUR" : "RUB";
            long total = 500 + Math.floorMod(hash(i, 6), 49_500L);
            OrderStatus status = status(i);
            OrderBulkLoad.BulkOrder order = new OrderBulkLoad.BulkOrder(id, reference(i), Money.of(total, currency),
                    status, created, "SKU-" + (1 + Math.floorMod(hash(i, 7), 400L)), "Item", email(i), phone(i));
            long h = Math.floorMod(hash(i, 8), 100L);
            PaymentState state;
            long captured = 0;
            long refunded = 0;
            switch (status) {
                case FULFILLED -> {
                    state = PaymentState.CAPTURED;
                    captured = total;
                    refunded = h < 6 ? total / 3 : 0; // partially refunded after fulfilment
                }
                case OPEN -> {
                    if (h < 35) {
                        return new Generated(order, null);
                    }
                    state = h < 45 ? PaymentState.REQUIRES_ACTION : h < 50 ? PaymentState.UNKNOWN : PaymentState.CAPTURED;
                    captured = state == PaymentState.CAPTURED ? total : 0;
                }
                case CANCELLED -> {
                    state = h < 50 ? PaymentState.FAILED : PaymentState.CAPTURED;
                    captured = state == PaymentState.CAPTURED ? total : 0;
                    refunded = captured; // refunded in full when cancelled
                }
                default -> {
                    if (h < 60) {
                        return new Generated(order, null);
                    }
                    state = PaymentState.FAILED;
                }
            }
            Instant capturedAt = created.plusSeconds(30);
            Instant refundedAt = created.plus(Duration.ofDays(2));
            String payment = id("pay_", i, created.plusSeconds(1), 1);
            return new Generated(order, new PaymentBulkLoad.BulkPayment(payment, id, provider, providerPaymentId(i),
                    state, Money.of(total, currency), created.plusSeconds(1), id("txn_", i, capturedAt, 2),
                    captured, capturedAt, id("txn_", i, refundedAt, 3), "refund:" + providerPaymentId(i), refunded,
                    refundedAt));
        }
    }

    // ------------------------------------------------------------------ measuring

    private void login(String base, String username, String password) throws Exception {
        HttpResponse<String> form = get(base + "/admin/login");
        Matcher csrf = CSRF.matcher(form.body());
        if (!csrf.find()) {
            throw new IllegalStateException("no CSRF token on the login page (status " + form.statusCode() + ")");
        }
        String body = "username=" + enc(username) + "&password=" + enc(password) + "&_csrf=" + enc(csrf.group(1));
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        String location = posted.headers().firstValue("Location").orElse("");
        if (posted.statusCode() != 302 || location.contains("error") || location.contains("throttled")) {
            throw new IllegalStateException("login as " + username + " failed: " + posted.statusCode() + " " + location);
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept-Language", "en").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * A kind of request: its query for the n-th sample, and what the page must contain (an
     * exact search must find its order), or null.
     */
    record Kind(String name, IntFunction<String[]> query, boolean followNext) {

        /** The timings of a kind, in milliseconds, and how many answers were wrong. */
        record Result(String name, double[] millis, int wrong, double cpuMillis, double requestCpuMillis) {
            double percentile(double p) {
                double[] sorted = millis.clone();
                Arrays.sort(sorted);
                int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
                return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
            }

            boolean passed(long limitMs) {
                return wrong == 0 && percentile(95) < limitMs;
            }
        }
    }

    private final CpuMeter cpu = new CpuMeter();

    private List<Kind.Result> measure(String base, Generator g) throws Exception {
        SplittableRandom random = new SplittableRandom(seed * 7919);
        int n = warmup + samples;
        int[] picks = random.ints(n, 0, orders).toArray();
        List<String> statuses = List.of("open", "fulfilled", "cancelled", "expired");
        List<String> paymentStatuses = List.of("paid", "unpaid", "refunded", "partially_refunded", "pending");
        LocalDate first = LocalDate.ofInstant(g.start, ZoneOffset.UTC);
        long days = ChronoUnit.DAYS.between(first, LocalDate.ofInstant(g.end, ZoneOffset.UTC));
        List<Kind> kinds = List.of(
                new Kind("orders page", k -> new String[] {"", null}, true),
                new Kind("next page (keyset, deep)", k -> new String[] {"after=" + g.orderId(picks[k]), null}, false),
                new Kind("order id", k -> new String[] {"q=" + g.orderId(picks[k]), g.orderId(picks[k])}, false),
                new Kind("reference", k -> new String[] {"q=" + enc(g.reference(picks[k])), g.orderId(picks[k])}, false),
                new Kind("e-mail (other case)", k -> new String[] {"q=" + enc(g.email(picks[k]).toUpperCase(Locale.ROOT)),
                        g.orderId(picks[k])}, false),
                new Kind("phone (as typed)", k -> {
                    int i = picks[k];
                    while (g.phone(i) == null) {
                        i = (i + 1) % orders;
                    }
                    return new String[] {"q=" + enc(Generator.typed(g.phone(i))), g.orderId(i)};
                }, false),
                new Kind("provider payment id", k -> {
                    int i = picks[k];
                    while (g.at(i).payment() == null) {
                        i = (i + 1) % orders;
                    }
                    return new String[] {"q=" + enc(g.providerPaymentId(i)), g.orderId(i)};
                }, false),
                new Kind("status", k -> new String[] {"status=" + statuses.get(k % statuses.size()), null}, true),
                new Kind("payment status", k -> new String[] {"payment_status=" + paymentStatuses.get(k % paymentStatuses.size()),
                        null}, true),
                new Kind("provider", k -> new String[] {"provider=" + PROVIDERS.get(k % PROVIDERS.size()), null}, true),
                new Kind("created, one week", k -> {
                    LocalDate from = first.plusDays(Math.floorMod(Generator.mix(k + 11L), Math.max(1, days - 7)));
                    return new String[] {"from=" + from + "&to=" + from.plusDays(6), null};
                }, true),
                new Kind("status + provider + month", k -> {
                    LocalDate from = first.plusDays(Math.floorMod(Generator.mix(k + 13L), Math.max(1, days - 30)));
                    return new String[] {"status=" + statuses.get(k % statuses.size()) + "&provider="
                            + PROVIDERS.get(k % PROVIDERS.size()) + "&from=" + from + "&to=" + from.plusDays(29), null};
                }, true));
        Map<String, List<Double>> timings = new LinkedHashMap<>();
        Map<String, Integer> wrong = new LinkedHashMap<>();
        Map<String, Double> cpuPerRequest = new LinkedHashMap<>();
        Map<String, Double> requestCpuPerRequest = new LinkedHashMap<>();
        for (Kind kind : kinds) {
            List<String> names = kind.followNext() ? List.of(kind.name(), kind.name() + ", next page")
                    : List.of(kind.name());
            names.forEach(name -> {
                timings.put(name, new ArrayList<>());
                wrong.put(name, 0);
            });
            int requests = 0;
            double requestCpuStart = 0;
            for (int k = 0; k < n; k++) {
                boolean timed = k >= warmup;
                if (k == warmup) {
                    cpu.begin();
                    requestCpuStart = requestThreadsCpuMillis();
                    requests = 0;
                }
                String[] query = kind.query().apply(k);
                String url = base + "/admin/orders" + (query[0].isEmpty() ? "" : "?" + query[0]);
                long t0 = System.nanoTime();
                HttpResponse<String> page = get(url);
                double ms = (System.nanoTime() - t0) / 1e6;
                requests++;
                boolean ok = page.statusCode() == 200 && (query[1] == null || page.body().contains(query[1]));
                if (timed) {
                    timings.get(kind.name()).add(ms);
                    if (!ok) {
                        wrong.merge(kind.name(), 1, Integer::sum);
                        System.out.println("  wrong answer: " + kind.name() + " " + query[0] + " -> " + page.statusCode());
                    }
                }
                if (kind.followNext()) {
                    Matcher next = NEXT.matcher(page.body());
                    if (next.find()) {
                        String href = next.group(1).replace("&amp;", "&");
                        long t1 = System.nanoTime();
                        HttpResponse<String> second = get(base + href);
                        double ms2 = (System.nanoTime() - t1) / 1e6;
                        requests++;
                        if (timed) {
                            timings.get(kind.name() + ", next page").add(ms2);
                            if (second.statusCode() != 200) {
                                wrong.merge(kind.name() + ", next page", 1, Integer::sum);
                            }
                        }
                    }
                }
            }
            double spent = cpu.since().values().stream().mapToDouble(Double::doubleValue).sum();
            double spentServing = requestThreadsCpuMillis() - requestCpuStart;
            for (String name : names) {
                cpuPerRequest.put(name, spent / Math.max(1, requests));
                requestCpuPerRequest.put(name, spentServing / Math.max(1, requests));
            }
        }
        List<Kind.Result> results = new ArrayList<>();
        timings.forEach((name, list) -> {
            if (!list.isEmpty()) {
                results.add(new Kind.Result(name, list.stream().mapToDouble(Double::doubleValue).toArray(),
                        wrong.get(name), cpuPerRequest.get(name), requestCpuPerRequest.get(name)));
            }
        });
        return results;
    }

    /**
     * CPU milliseconds the web server's request threads ({@code http-nio-*}) have spent so far; a
     * thread the pool retired meanwhile takes its share with it (the pool keeps its threads busy here).
     */
    private static double requestThreadsCpuMillis() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("http-nio-")) {
                long cpu = mx.getThreadCpuTime(thread.getId());
                nanos += Math.max(0, cpu);
            }
        }
        return nanos / 1e6;
    }

    private void print(List<Kind.Result> results) {
        System.out.printf(Locale.ROOT, "%nGET /admin/orders over HTTP, %,d orders, %d timed requests per kind after %d"
                + " warm-up; PASS when p95 < %d ms and every exact search found its order%n", orders, samples, warmup,
                limitMs);
        System.out.printf(Locale.ROOT, "%-38s %8s %8s %8s %5s %8s %8s  %s%n", "kind", "p50 ms", "p95 ms", "max ms", "n",
                "cpu ms", "req cpu", "result");
        for (Kind.Result r : results) {
            System.out.printf(Locale.ROOT, "%-38s %8.1f %8.1f %8.1f %5d %8.1f %8.1f  %s%s%n", r.name(), r.percentile(50),
                    r.percentile(95), Arrays.stream(r.millis()).max().orElse(0), r.millis().length, r.cpuMillis(),
                    r.requestCpuMillis(), r.passed(limitMs) ? "PASS" : "FAIL",
                    r.wrong() > 0 ? " (" + r.wrong() + " wrong answers)" : "");
        }
        System.out.println("req cpu: CPU time per request of the web server's request threads alone (http-nio-*):"
                + " what serving a page costs once the JVM is warm; cpu ms minus req cpu is mostly the JIT"
                + " compilers still compiling, the garbage collector and the client");
        System.out.println("cpu ms: CPU time per request of this JVM (service and client)"
                + (dbUrl == null ? " and its embedded PostgreSQL" : "") + ", averaged over the kind's timed requests"
                + " and their next pages; it hardly depends on other load, the times do (load average "
                + String.format(Locale.ROOT, "%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage()) + " on " + Runtime.getRuntime().availableProcessors() + " cores)");
        System.out.println(results.stream().allMatch(r -> r.passed(limitMs)) ? "ALL PASS" : "SOME FAIL");
    }
}
