package io.moneytrail.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Runs the real plain-text accounting tools (hledger, Ledger, Beancount) on exported files
 * and reads their balance reports. The tools are not Java dependencies: tests that run one
 * are marked {@link RequiresTool} and skipped when it is not on the PATH (failed instead with
 * {@code MONEYTRAIL_REQUIRE_TOOLS=true}); {@code .ci/run} installs them
 * ({@value ExternalTools#INSTALL_HINT}).
 */
public final class LedgerTools {

    private static final long TIMEOUT_SECONDS = 120;

    private LedgerTools() {
    }

    /** What a tool printed and how it ended. */
    public record Run(List<String> command, int exitCode, String stdout, String stderr) {

        /** Asserts the tool accepted its input: exit 0 and nothing on stderr. */
        public Run accepted() {
            assertThat(exitCode).as("exit code of %s; stderr: %s", command, stderr).isZero();
            assertThat(stderr.strip()).as("stderr of %s", command).isEmpty();
            return this;
        }
    }

    public static Run run(String... command) {
        List<String> args = Arrays.asList(command);
        Path stdout = null;
        Path stderr = null;
        try {
            stdout = Files.createTempFile("ledger-tool", ".out");
            stderr = Files.createTempFile("ledger-tool", ".err");
            Process process;
            try {
                process = new ProcessBuilder(args).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                        .start();
            } catch (IOException e) {
                return fail("cannot run '" + command[0] + "' (" + e.getMessage() + "): mark the test"
                        + " @RequiresTool(\"" + command[0] + "\"); install with: " + ExternalTools.INSTALL_HINT);
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail(args + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Run(args, process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    /** Balances per "account currency", zero balances left out. */
    public static TreeMap<String, BigDecimal> hledgerBalances(Path file) {
        Run run = run("hledger", "-f", file.toString(), "balance", "--flat", "--no-total", "--layout=bare",
                "-O", "csv").accepted();
        TreeMap<String, BigDecimal> balances = new TreeMap<>();
        for (CSVRecord row : csv(run.stdout())) {
            put(balances, row.get("account"), row.get("commodity"), row.get("balance"));
        }
        return balances;
    }

    /**
     * Ledger prints an account's amounts in several commodities joined by a literal
     * {@code \n} with this format: {@code account|25.00 EUR\n1000 JPY}.
     */
    public static TreeMap<String, BigDecimal> ledgerBalances(Path file) {
        Run run = run("ledger", "-f", file.toString(), "--pedantic", "balance", "--flat", "--no-total",
                "--format", "%(account)|%(join(scrub(display_total)))\n").accepted();
        TreeMap<String, BigDecimal> balances = new TreeMap<>();
        for (String line : run.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\\|", 2);
            assertThat(parts).as("ledger balance line '%s'", line).hasSize(2);
            for (String amount : parts[1].split("\\\\n")) {
                String[] quantityAndCommodity = amount.trim().split("\\s+");
                if (quantityAndCommodity.length == 1 && new BigDecimal(quantityAndCommodity[0]).signum() == 0) {
                    continue;
                }
                assertThat(quantityAndCommodity).as("ledger amount '%s'", amount).hasSize(2);
                put(balances, parts[0], quantityAndCommodity[1], quantityAndCommodity[0]);
            }
        }
        return balances;
    }

    /** Beancount's own sums per account and currency, by bean-query (Beancount account names). */
    public static TreeMap<String, BigDecimal> beancountBalances(Path file) {
        Run run = run("bean-query", "-f", "csv", file.toString(),
                "SELECT account, currency, sum(number) AS amount GROUP BY account, currency ORDER BY account, currency")
                .accepted();
        TreeMap<String, BigDecimal> balances = new TreeMap<>();
        for (CSVRecord row : csv(run.stdout())) {
            put(balances, row.get("account").trim(), row.get("currency").trim(), row.get("amount").trim());
        }
        return balances;
    }

    private static void put(TreeMap<String, BigDecimal> balances, String account, String currency, String amount) {
        String key = account + " " + currency;
        BigDecimal sum = balances.getOrDefault(key, BigDecimal.ZERO).add(new BigDecimal(amount.replace(",", "")));
        if (sum.signum() == 0) {
            balances.remove(key);
        } else {
            balances.put(key, sum.stripTrailingZeros());
        }
    }

    private static List<CSVRecord> csv(String text) {
        try {
            return new ArrayList<>(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new java.io.StringReader(text)).getRecords());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // temporary
            }
        }
    }
}
