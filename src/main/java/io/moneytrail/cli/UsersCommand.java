package io.moneytrail.cli;

import io.moneytrail.access.Role;
import io.moneytrail.access.Users;
import io.moneytrail.money.MoneytrailException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code moneytrail users add|list|disable}: the back office's users, as {@code /v1/users}
 * manages them, for the operator at the machine. It opens the database like {@code keys}: no web
 * server, no background jobs.
 */
@Command(name = "users", mixinStandardHelpOptions = true,
        description = {"Add, list and disable back-office users (log in at /admin/login).",
            "",
            "Works on the database the service is configured with: MONEYTRAIL_DB_URL, or the embedded one in"
                    + " MONEYTRAIL_DATA_DIR (./data), which a running service must not be using. Spring properties"
                    + " may follow as --name=value (--moneytrail.*, --spring.*, --logging.*).",
            ""},
        subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.Disable.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:the database could not be used, or the user could not be added or disabled",
            "2:bad arguments"})
final class UsersCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_ARGUMENTS = 2;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return OK;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a user; its password is printed once, on the first line, and never again.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "USERNAME", description = "a-z, 0-9, '.', '_' and '-', at most 64")
        String username;
        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "admin, operator, accountant or viewer")
        String role;
        @Unmatched
        List<String> springArgs = new ArrayList<>();

        @Override
        public Integer call() {
            Role parsed = Role.fromWire(role).filter(Users.ROLES::contains).orElse(null);
            if (parsed == null) {
                return fail(spec, BAD_ARGUMENTS, "--role: must be one of "
                        + Users.ROLES.stream().map(Role::wireName).toList());
            }
            return withUsers(spec, springArgs, users -> {
                Users.NewUser user = users.create(username, parsed);
                PrintWriter out = spec.commandLine().getOut();
                out.println(user.password());
                out.println(line(user.user()));
                out.flush();
                return OK;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List users, active and disabled, by name: username, role, created, disabled.")
    static final class ListUsers implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Unmatched
        List<String> springArgs = new ArrayList<>();

        @Override
        public Integer call() {
            return withUsers(spec, springArgs, users -> {
                PrintWriter out = spec.commandLine().getOut();
                users.list().forEach(user -> out.println(line(user)));
                out.flush();
                return OK;
            });
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disable a user: it can no longer log in, and its sessions end at their next request.")
    static final class Disable implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "USERNAME", description = "the user's name")
        String username;
        @Unmatched
        List<String> springArgs = new ArrayList<>();

        @Override
        public Integer call() {
            return withUsers(spec, springArgs, users -> {
                PrintWriter out = spec.commandLine().getOut();
                out.println(line(users.disable(username)));
                out.flush();
                return OK;
            });
        }
    }

    private static String line(Users.User user) {
        return String.join("\t", user.username(), user.role().wireName(), user.created().toString(),
                user.disabled() == null ? "active" : "disabled " + user.disabled());
    }

    private static int withUsers(CommandSpec spec, List<String> springArgs, Function<Users, Integer> action) {
        for (String arg : springArgs) {
            if (!ExportCommand.isSpringProperty(arg)) {
                return fail(spec, BAD_ARGUMENTS, "unknown argument '" + arg + "' (see --help)");
            }
        }
        ConfigurableApplicationContext context;
        try {
            context = DatabaseContext.open(springArgs);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return fail(spec, FAILED, "cannot open the database: " + root.getMessage()
                    + " (with the embedded database, stop the service using the same data directory first)");
        }
        try (context) {
            return action.apply(context.getBean(Users.class));
        } catch (MoneytrailException e) {
            return fail(spec, e.httpStatus() == 400 ? BAD_ARGUMENTS : FAILED, e.getMessage());
        }
    }

    private static int fail(CommandSpec spec, int code, String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("users: " + message);
        err.flush();
        return code;
    }
}
