package io.moneytrail.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The provider report and bank statement options that {@code audit} and {@code reconcile} share. */
final class StatementInputs {

    @Option(names = "--provider-report", required = true, paramLabel = "FILE",
            description = "Stripe, YooKassa or sandbox report; repeat it for a provider's several files of one period"
                    + " (YooKassa's payment and refund registries, or consecutive reports), all of one provider")
    List<Path> providerReports;

    @Option(names = "--provider", paramLabel = "NAME", description = "stripe, yookassa or sandbox (default: detected)")
    String provider;

    @Option(names = "--bank-statement", paramLabel = "FILE", description = "camt.053, MT940 or 1CClientBankExchange")
    Path bankStatement;

    @Option(names = "--bank-format", paramLabel = "NAME", description = "camt053, mt940 or 1c (default: detected)")
    String bankFormat;
}
