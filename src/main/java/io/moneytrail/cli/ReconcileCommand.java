package io.moneytrail.cli;

import io.moneytrail.money.MoneytrailException;
import io.moneytrail.reconrun.ReconFile;
import io.moneytrail.reconrun.ReconFiles;
import io.moneytrail.reconrun.ReconRun;
import io.moneytrail.reconrun.ReconRuns;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code moneytrail reconcile}: imports a provider report (and a bank statement) into the
 * configured database and records a reconciliation run over a period, exactly as
 * {@code POST /v1/reconciliation/runs} does; discrepancies land in the exceptions queue.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Reconcile the orders in the database against a provider report (and a bank statement) over a period,"
                    + " record the run and queue its exceptions.",
            "",
            "Reads the database the service is configured with: MONEYTRAIL_DB_URL, or the embedded one in"
                    + " MONEYTRAIL_DATA_DIR (./data), which a running service must not be using. Spring properties"
                    + " may follow as --name=value (--moneytrail.*, --spring.*, --logging.*).",
            ""},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the run was recorded (whatever it found)", "1:the database could not be used",
            "2:bad arguments or an unusable file"})
final class ReconcileCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "first day (UTC) of orders")
    String from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "last day (UTC), inclusive")
    String to;

    @Mixin
    StatementInputs inputs;

    @Unmatched
    List<String> springArgs = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        LocalDate fromDate;
        LocalDate toDate;
        try {
            fromDate = LocalDate.parse(from);
            toDate = LocalDate.parse(to);
        } catch (DateTimeParseException e) {
            return fail(stderr, ExportCommand.BAD_ARGUMENTS, "--from and --to are dates like 2026-05-01");
        }
        for (String arg : springArgs) {
            if (!ExportCommand.isSpringProperty(arg)) {
                return fail(stderr, ExportCommand.BAD_ARGUMENTS, "unknown argument '" + arg + "' (see --help)");
            }
        }
        ConfigurableApplicationContext context;
        try {
            context = DatabaseContext.open(springArgs);
        } catch (RuntimeException e) {
            return fail(stderr, ExportCommand.FAILED, "cannot open the database: " + e.getMessage()
                    + " (with the embedded database, stop the service using the same data directory first)");
        }
        try (context) {
            ReconFiles files = context.getBean(ReconFiles.class);
            List<String> providerFiles = new ArrayList<>();
            for (Path report : inputs.providerReports) {
                ReconFile provider = files.importFile("provider", inputs.provider, report);
                providerFiles.add(provider.id());
                stdout.printf("provider report %s: %s, %d rows, %d rejected (%s)%n", provider.id(), provider.format(),
                        provider.rows(), provider.rowsRejected(), provider.sha256());
            }
            ReconFile bank = inputs.bankStatement == null ? null
                    : files.importFile("bank", inputs.bankFormat, inputs.bankStatement);
            if (bank != null) {
                stdout.printf("bank statement %s: %s, %d entries, %d rejected (%s)%n", bank.id(), bank.format(),
                        bank.rows(), bank.rowsRejected(), bank.sha256());
            }
            ReconRun run = context.getBean(ReconRuns.class).run(fromDate, toDate, providerFiles,
                    bank == null ? null : bank.id(), "cli");
            stdout.printf("run %s over %s .. %s: %s, matched rate %.4f%n", run.id(), run.periodFrom(), run.periodTo(),
                    run.status(), run.matchedRate() == null ? 0.0 : run.matchedRate());
            stdout.printf("counts: %s%n", run.countsJson());
            stdout.flush();
            return 0;
        } catch (MoneytrailException e) {
            return fail(stderr, ExportCommand.BAD_ARGUMENTS, (e.param() == null ? "" : e.param() + ": ")
                    + e.getMessage());
        }
    }

    private static int fail(PrintWriter stderr, int code, String message) {
        stderr.println("reconcile: " + message);
        stderr.flush();
        return code;
    }
}
