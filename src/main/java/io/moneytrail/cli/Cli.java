package io.moneytrail.cli;

import io.moneytrail.Moneytrail;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: no arguments (or {@code serve}) starts the service; subcommands run
 * the sandbox as its own process, the simulation, the file-only audit, ledger exports, API keys and benchmarks.
 */
@Command(name = "moneytrail", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Moneytrail: the order-to-cash contour of an online store.",
        subcommands = {Cli.Serve.class, SandboxCommand.class, SimulateCommand.class, AuditCommand.class,
                ExportCommand.class, ReconcileCommand.class, KeysCommand.class, UsersCommand.class,
                BenchCommand.class})
public final class Cli implements Callable<Integer> {

    /** Returned when the service was started: the process keeps running. */
    public static final int SERVING = Integer.MIN_VALUE;

    /** Runs the command line; returns the process exit code (serving blocks until shutdown). */
    public static int run(String[] args) {
        if (args.length == 0 || args[0].startsWith("--") && !args[0].equals("--help") && !args[0].equals("--version")) {
            // plain `java -jar moneytrail.jar [--spring.options]` serves
            SpringApplication.run(Moneytrail.class, args);
            return SERVING;
        }
        return new CommandLine(new Cli()).execute(args);
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    @Command(name = "serve", description = "Start the service (the default with no arguments).")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Unmatched
        String[] springArgs = new String[0];

        @Override
        public Integer call() {
            SpringApplication.run(Moneytrail.class, springArgs);
            return SERVING;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"moneytrail " + (version == null ? "dev" : version)};
        }
    }
}
