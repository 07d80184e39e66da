package io.moneytrail.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The provider report and bank statement options that {@code audit} and {@code reconcile} share. */
final class StatementInputs {

    @Option(names = "--provider-report", required = true, paramLabel = "FILE",
            description = "Stripe, YooKassa or sandbox report")
    Path providerReport;

    @Option(names = "--provider", paramLabel = "NAME", description = "stripe, yookassa or sandbox (default: detected)")
    String provider;

    @Option(names = "--bank-statement", paramLabel = "FILE", description = "camt.053, MT940 or 1CClientBankExchange")
    Path bankStatement;

    @Option(names = "--bank-format", paramLabel = "NAME", description = "camt053, mt940 or 1c (default: detected)")
    String bankFormat;
}
