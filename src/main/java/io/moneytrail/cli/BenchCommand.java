package io.moneytrail.cli;

import picocli.CommandLine.Command;

/** {@code moneytrail bench <name>}: benchmarks that print their figures. */
@Command(name = "bench", description = "Run a benchmark and print its figures.",
        subcommands = {CheckoutBench.class, ReconcileBench.class, LedgerBench.class,
                BackofficeBench.class}, mixinStandardHelpOptions = true)
final class BenchCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("usage: moneytrail bench checkout [--lifecycles N] [--concurrency C] [--url URL --key KEY] [--json]");
        System.out.println("       moneytrail bench reconcile [--rows N] [--seed S] [--[no-]database] [--json]");
        System.out.println("       moneytrail bench ledger [--entries N] [--batch B] [--threads T] [--json]");
        System.out.println("       moneytrail bench backoffice [--orders N] [--samples S] [--db-url URL --db-user U"
                + " --db-password P]");
    }
}
