package io.moneytrail.cli;

import io.moneytrail.ledger.LedgerExport;
import io.moneytrail.money.MoneytrailException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code moneytrail export}: writes the ledger's entries of a date range to a file, against
 * the database the service is configured with, in a Spring context without the web server,
 * the sandbox provider or the background jobs. The file appears complete or not at all (it is
 * written beside the target and moved into place).
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Export the ledger entries of a date range as an hledger or Ledger journal, a Beancount file or CSV.",
            "",
            "Dates are UTC effective dates, both inclusive, at most 366 days (moneytrail.ledger.export-days-max)."
                    + " Reads the database the service is configured with: MONEYTRAIL_DB_URL, or the embedded one in"
                    + " MONEYTRAIL_DATA_DIR (./data), which a running service must not be using. Spring properties"
                    + " may follow as --name=value (--moneytrail.*, --spring.*, --logging.*).",
            ""},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:exported", "1:the database or the file could not be used", "2:bad arguments"})
final class ExportCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_ARGUMENTS = 2;

    private static final List<String> PROPERTY_PREFIXES = List.of("moneytrail.", "spring.", "logging.");

    @Spec
    CommandSpec spec;

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "hledger, ledger, beancount or csv")
    String format;

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "first effective date")
    String from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "last effective date")
    String to;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the file to write (replaced)")
    Path out;

    @Unmatched
    List<String> springArgs = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        LedgerExport.Format parsed;
        LocalDate fromDate;
        LocalDate toDate;
        try {
            parsed = LedgerExport.Format.parse(format);
            fromDate = LedgerExport.date(from, "from");
            toDate = LedgerExport.date(to, "to");
            LedgerExport.checkOrder(fromDate, toDate);
        } catch (MoneytrailException e) {
            return fail(stderr, BAD_ARGUMENTS, "--" + e.param() + ": " + e.getMessage());
        }
        for (String arg : springArgs) {
            if (!isSpringProperty(arg)) {
                return fail(stderr, BAD_ARGUMENTS, "unknown argument '" + arg + "' (see --help)");
            }
        }
        Path target = out.toAbsolutePath().normalize();
        if (Files.isDirectory(target) || target.getParent() == null || !Files.isDirectory(target.getParent())) {
            return fail(stderr, BAD_ARGUMENTS, "--out: " + target + " is not a file in an existing directory");
        }

        ConfigurableApplicationContext context;
        try {
            context = DatabaseContext.open(springArgs);
        } catch (RuntimeException e) {
            return fail(stderr, FAILED, "cannot open the database: " + rootMessage(e)
                    + " (with the embedded database, stop the service using the same data directory first;"
                    + " --logging.level.org.springframework.boot.SpringApplication=error shows the whole failure)");
        }
        try (context) {
            return export(context.getBean(LedgerExport.class), parsed, fromDate, toDate, target, stdout, stderr);
        }
    }

    private int export(LedgerExport exports, LedgerExport.Format parsed, LocalDate fromDate, LocalDate toDate,
                       Path target, PrintWriter stdout, PrintWriter stderr) {
        Path partial = null;
        try {
            exports.validate(fromDate, toDate);
            partial = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
            LedgerExport.ExportSummary summary;
            try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
                summary = exports.write(parsed, fromDate, toDate, stream);
            }
            move(partial, target);
            stdout.printf("exported %d entries (%d lines) effective %s to %s as %s to %s%n", summary.entries(),
                    summary.lines(), summary.from(), summary.toInclusive(), parsed.wire(), target);
            stdout.flush();
            return OK;
        } catch (MoneytrailException e) {
            return fail(stderr, BAD_ARGUMENTS, (e.param() == null ? "" : "--" + e.param() + ": ") + e.getMessage());
        } catch (IOException e) {
            return fail(stderr, FAILED, "cannot write " + target + ": " + e);
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // a leftover .part file is harmless and named as such
                }
            }
        }
    }

    private static void move(Path partial, Path target) throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static boolean isSpringProperty(String arg) {
        if (!arg.startsWith("--") || !arg.contains("=")) {
            return false;
        }
        String name = arg.substring(2, arg.indexOf('='));
        return PROPERTY_PREFIXES.stream().anyMatch(name::startsWith) && name.matches("[A-Za-z0-9._\\-\\[\\]]+");
    }

    private static int fail(PrintWriter stderr, int code, String message) {
        stderr.println("export: " + message);
        stderr.flush();
        return code;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
