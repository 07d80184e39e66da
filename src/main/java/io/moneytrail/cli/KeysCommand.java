package io.moneytrail.cli;

import io.moneytrail.access.ApiKeys;
import io.moneytrail.access.Role;
import io.moneytrail.money.MoneytrailException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
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
 * {@code moneytrail keys create|list|revoke}: the API keys of the configured database, as
 * {@code /v1/api_keys} manages them, for the operator at the machine (the first key of a new
 * role, a key to replace a leaked admin key). It opens the database like {@code export}: no web
 * server, no background jobs, and it never revokes the keys of {@code MONEYTRAIL_SECRET_KEYS}.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Create, list and revoke API keys and their roles.",
            "",
            "Works on the database the service is configured with: MONEYTRAIL_DB_URL, or the embedded one in"
                    + " MONEYTRAIL_DATA_DIR (./data), which a running service must not be using. Spring properties"
                    + " may follow as --name=value (--moneytrail.*, --spring.*, --logging.*).",
            ""},
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:the database could not be used, or the key could not be revoked",
            "2:bad arguments"})
final class KeysCommand implements Callable<Integer> {

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

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key; its secret is printed once, on the first line, and never again.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--name", required = true, description = "a label for people (who uses the key)")
        String name;
        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "admin, store, operator, accountant, viewer or onec")
        String role;
        @Unmatched
        List<String> springArgs = new ArrayList<>();

        @Override
        public Integer call() {
            Role parsed = Role.fromWire(role).orElse(null);
            if (parsed == null) {
                return fail(spec, BAD_ARGUMENTS, "--role: must be one of "
                        + Arrays.stream(Role.values()).map(Role::wireName).toList());
            }
            return withKeys(spec, springArgs, keys -> {
                ApiKeys.NewKey key = keys.create(name, parsed, ApiKeys.Origin.CLI);
                PrintWriter out = spec.commandLine().getOut();
                out.println(key.secret());
                out.println(line(key.key()));
                out.flush();
                return OK;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List keys, active and revoked, newest first: id, role, origin, created, revoked, name.")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Unmatched
        List<String> springArgs = new ArrayList<>();

        @Override
        public Integer call() {
            return withKeys(spec, springArgs, keys -> {
                PrintWriter out = spec.commandLine().getOut();
                keys.list().forEach(key -> out.println(line(key)));
                out.flush();
                return OK;
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a key by id (key_...); running instances stop accepting it within"
                    + " moneytrail.api.key-cache-ttl.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID", description = "the key's id")
        String id;
        @Unmatched
        List<String> springArgs = new ArrayList<>();

        @Override
        public Integer call() {
            return withKeys(spec, springArgs, keys -> {
                PrintWriter out = spec.commandLine().getOut();
                out.println(line(keys.revoke(id)));
                out.flush();
                return OK;
            });
        }
    }

    private static String line(ApiKeys.ApiKey key) {
        return String.join("\t", key.id(), key.role().wireName(), key.origin(), key.created().toString(),
                key.revoked() == null ? "active" : "revoked " + key.revoked(), key.name());
    }

    private static int withKeys(CommandSpec spec, List<String> springArgs, Function<ApiKeys, Integer> action) {
        for (String arg : springArgs) {
            if (!ExportCommand.isSpringProperty(arg)) {
                return fail(spec, BAD_ARGUMENTS, "unknown argument '" + arg + "' (see --help)");
            }
        }
        ConfigurableApplicationContext context;
        try {
            context = DatabaseContext.open(springArgs);
        } catch (RuntimeException e) {
            return fail(spec, FAILED, "cannot open the database: " + root(e).getMessage()
                    + " (with the embedded database, stop the service using the same data directory first)");
        }
        try (context) {
            return action.apply(context.getBean(ApiKeys.class));
        } catch (MoneytrailException e) {
            return fail(spec, e.httpStatus() == 400 ? BAD_ARGUMENTS : FAILED, e.getMessage());
        }
    }

    private static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static int fail(CommandSpec spec, int code, String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("keys: " + message);
        err.flush();
        return code;
    }
}
