package io.moneytrail.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/** {@code moneytrail simulate --customers N --seed S --restarts R --db-kills K}: the fault-injection simulation. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run simulated customers against Moneytrail and the sandbox (separate processes) with faults, "
                + "restarts and database kills, then check that no money was lost or counted twice. Exit 1 on any violation.")
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--customers", description = "simulated customers (default ${DEFAULT-VALUE})")
    int customers = 2000;

    @Option(names = "--seed", description = "random seed (default: time-based, printed)")
    Long seed;

    @Option(names = "--restarts", description = "times Moneytrail is killed with SIGKILL and restarted (default ${DEFAULT-VALUE})")
    int restarts = 0;

    @Option(names = "--db-kills", description = "times the embedded PostgreSQL is killed (SIGKILL to the postmaster and"
            + " its backends) for Moneytrail to restart it (default ${DEFAULT-VALUE})")
    int databaseKills = 0;

    @Option(names = "--concurrency", description = "customers at once (default ${DEFAULT-VALUE})")
    int concurrency = 16;

    @Option(names = "--settle-seconds", description = "bound on waiting for the workers to settle (default ${DEFAULT-VALUE})")
    int settleSeconds = 300;

    @Option(names = "--provider", description = "the provider customers pay through, always the sandbox process"
            + " speaking its dialect: sandbox, stripe, yookassa or tbank (default ${DEFAULT-VALUE})")
    String provider = "sandbox";

    @Option(names = "--fiscal", description = "who issues 54-FZ receipts: none, atol (the sandbox process's ATOL"
            + " dialect) or yookassa (its own receipts; with --provider yookassa only). Every captured payment,"
            + " fulfilment and refund must end with its receipt done. Default: yookassa for --provider yookassa,"
            + " atol for tbank, none for the euro dialects")
    String fiscal;

    @Option(names = "--json", description = "print the report as one JSON object on the last line")
    boolean json;

    @Option(names = "--checkout", description = "instead: the seeded generator of checkout customers (funnel):"
            + " sessions driven through the hosted page and the providers' pages, then the funnel report compared"
            + " with what the customers did. Exit 1 when they differ")
    boolean checkout;

    @Option(names = "--checkout-providers", split = ",", description = "with --checkout: the providers customers may"
            + " choose, the sandbox and its in-process dialects (default ${DEFAULT-VALUE})")
    List<String> checkoutProviders = List.of("sandbox", "stripe", "yookassa", "tbank");

    @Option(names = "--abandon-after-seconds", description = "with --checkout: a session with no step for this long is"
            + " abandoned (default ${DEFAULT-VALUE})")
    int abandonAfterSeconds = 45;

    @Option(names = "--session-lifetime-seconds", description = "with --checkout: sessions expire this long after"
            + " creation (default ${DEFAULT-VALUE})")
    int sessionLifetimeSeconds = 110;

    @Override
    public Integer call() throws Exception {
        if (customers < 1 || concurrency < 1 || concurrency > 256 || restarts < 0
                || databaseKills < 0) {
            System.err.println("--customers >= 1, --concurrency 1..256, --restarts >= 0, --db-kills >= 0");
            return 2;
        }
        if (checkout) {
            return checkout();
        }
        SimulatedProvider simulated;
        try {
            simulated = SimulatedProvider.parse(provider);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        String receipts = fiscal == null ? simulated.defaultFiscal() : fiscal.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            SimulatedProvider.fiscalArguments(receipts, 0);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (receipts.equals("yookassa") && simulated != SimulatedProvider.YOOKASSA) {
            System.err.println("--fiscal yookassa needs --provider yookassa (its receipts ride on its payments)");
            return 2;
        }
        long chosen = seed == null ? System.nanoTime() : seed;
        String classPath = System.getProperty("java.class.path");
        // started as `java -jar moneytrail.jar`: the class path is that one jar; else (tests, IDE) the classes
        List<String> launcher = classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)
                ? List.of(javaBinary(), "-jar", classPath)
                : List.of(javaBinary(), "-cp", classPath, Main.class.getName());
        Path work = Files.createTempDirectory("moneytrail-simulation");
        System.out.println("simulation seed " + chosen + ", provider " + simulated.wire() + ", receipts " + receipts
                + ", " + customers
                + " customers, " + restarts
                + " restarts, " + databaseKills + " database kills; work directory " + work);
        Map<String, Object> report = new Simulation(new Simulation.Settings(customers, chosen, restarts, databaseKills,
                concurrency,
                launcher, work, Duration.ofSeconds(settleSeconds), System.out, simulated, receipts)).run();
        report.forEach((k, v) -> System.out.println(k + ": " + v));
        if (json) {
            System.out.println(new JsonMapper().writeValueAsString(report));
        }
        return ((Integer) report.get("violations")) == 0 ? 0 : 1;
    }

    private int checkout() throws Exception {
        List<String> known = List.of("sandbox", "stripe", "yookassa", "tbank");
        if (customers < 1 || concurrency < 1 || concurrency > 256 || !known.containsAll(checkoutProviders)
                || checkoutProviders.isEmpty() || abandonAfterSeconds < 1
                || sessionLifetimeSeconds < abandonAfterSeconds + 10) {
            System.err.println("--customers >= 1, --concurrency 1..256, --checkout-providers of " + known
                    + ", --abandon-after-seconds >= 1, --session-lifetime-seconds >= abandon-after + 10");
            return 2;
        }
        long chosen = seed == null ? System.nanoTime() : seed;
        Path work = Files.createTempDirectory("moneytrail-checkout-simulation");
        System.out.println("checkout simulation seed " + chosen + ", " + customers + " customers, providers "
                + String.join(",", checkoutProviders) + "; work directory " + work);
        Map<String, Object> result = new CheckoutSimulation(new CheckoutSimulation.Settings(customers, chosen,
                concurrency, checkoutProviders, Duration.ofSeconds(abandonAfterSeconds),
                Duration.ofSeconds(sessionLifetimeSeconds), launcher(), work, System.out)).run();
        System.out.println("funnel, as the customers made it (generated) and as GET /v1/reports/funnel?from="
                + result.get("report_period").toString().replace("..", "&to=") + " counts it (report):");
        System.out.print(result.get("table"));
        System.out.println("settled: " + result.get("settled") + ", wall seconds: " + result.get("wall_seconds"));
        System.out.println(Boolean.TRUE.equals(result.get("pass")) ? "PASS: the report counts exactly what the"
                + " generator produced (seed " + chosen + ")" : "FAIL (seed " + chosen + "): " + result.get("mismatches"));
        if (json) {
            Map<String, Object> shown = new java.util.LinkedHashMap<>(result);
            shown.remove("table");
            System.out.println(new JsonMapper().writeValueAsString(shown));
        }
        return Boolean.TRUE.equals(result.get("pass")) ? 0 : 1;
    }

    static List<String> launcher() {
        String classPath = System.getProperty("java.class.path");
        return classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)
                ? List.of(javaBinary(), "-jar", classPath)
                : List.of(javaBinary(), "-cp", classPath, Main.class.getName());
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
