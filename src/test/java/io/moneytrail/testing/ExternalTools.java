package io.moneytrail.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outside programs some tests run, looked up on the {@code PATH} the way a shell does.
 * None is needed for {@code ./mvnw verify} to pass: tests that need one are marked
 * {@link RequiresTool} and skipped without it, unless {@code MONEYTRAIL_REQUIRE_TOOLS=true}.
 */
public final class ExternalTools {

    /** The environment variable (or system property {@code moneytrail.require-tools}) that makes them required. */
    public static final String REQUIRE_TOOLS = "MONEYTRAIL_REQUIRE_TOOLS";

    /** The one line that installs the optional accounting tools on Debian or Ubuntu. */
    public static final String INSTALL_HINT = "apt-get install hledger ledger beancount";

    private ExternalTools() {
    }

    /** True when a missing tool must fail the test that needs it rather than skip it. */
    public static boolean required() {
        String value = System.getProperty("moneytrail.require-tools", System.getenv(REQUIRE_TOOLS));
        return value != null && Boolean.parseBoolean(value.strip());
    }

    /** The executable of that name in a directory of the {@code PATH}, if any. */
    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null || path.isBlank()) {
            return false;
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isBlank()) {
                continue;
            }
            for (String candidate : windows ? List.of(program + ".exe", program + ".cmd", program) : List.of(program)) {
                Path file = Path.of(directory, candidate);
                if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Those of the programs that are not on the {@code PATH}, in the given order. */
    public static List<String> missing(String... programs) {
        List<String> missing = new ArrayList<>();
        for (String program : programs) {
            if (!onPath(program)) {
                missing.add(program);
            }
        }
        return missing;
    }

    /** One line: what is missing, how to install it, and how to make its absence a failure. */
    static String reason(List<String> missing) {
        return String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " not on the PATH"
                + (required() ? " and " + REQUIRE_TOOLS + "=true requires it" : "")
                + " (optional tools; install with: " + INSTALL_HINT + ")";
    }
}
