package io.moneytrail.cli;

/** The jar's entry point: {@code java -jar moneytrail.jar [subcommand]}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int exitCode = Cli.run(args);
        if (exitCode != Cli.SERVING) {
            System.exit(exitCode);
        }
    }
}
