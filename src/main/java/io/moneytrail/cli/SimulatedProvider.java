package io.moneytrail.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The provider a simulation pays through, always the sandbox process speaking that provider's
 * dialect: what Moneytrail must be told to reach it, the currency its customers pay in, and
 * where the sandbox serves the provider's report for the month's reconciliation. The
 * credentials are the sandbox dialects' published local test credentials, never real ones.
 */
enum SimulatedProvider {

    SANDBOX("EUR", "/reports/balance_transactions"),
    STRIPE("EUR", "/reports/stripe/balance_change_from_activity"),
    YOOKASSA("RUB", "/reports/yookassa/registry"),
    TBANK("RUB", "/reports/tbank/balance_transactions");

    /** Orders are in this currency (T-Bank takes roubles only; YooKassa's shops are rouble shops). */
    final String currency;
    /** The report's path on the sandbox's own API ({@code /sandbox/api…}), with {@code from} and {@code to} dates. */
    final String reportPath;

    SimulatedProvider(String currency, String reportPath) {
        this.currency = currency;
        this.reportPath = reportPath;
    }

    /**
     * The reports of one period to reconcile together, as query suffixes of {@link #reportPath}:
     * YooKassa keeps payments and refunds in two registries.
     */
    List<String> reportParts() {
        return this == YOOKASSA ? List.of("", "&kind=refunds") : List.of("");
    }

    /** As given on the command line and in the API ({@code stripe}). */
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SimulatedProvider parse(String wire) {
        for (SimulatedProvider provider : values()) {
            if (provider.wire().equals(wire)) {
                return provider;
            }
        }
        throw new IllegalArgumentException("--provider is one of sandbox, stripe, yookassa, tbank; not '" + wire + "'");
    }

    /** The sandbox process's settings for this dialect: Stripe's sessions expire within the run, as Stripe's do in a day. */
    List<String> sandboxArguments() {
        return this == STRIPE ? List.of("--moneytrail.sandbox.stripe.session-ttl-seconds=60") : List.of();
    }

    /**
     * Who issues the 54-FZ receipts when {@code simulate} is not told: YooKassa's own receipts for
     * YooKassa's rouble shops, ATOL (the sandbox process's dialect) for T-Bank's, none for the euro
     * dialects (receipts are for roubles only).
     */
    String defaultFiscal() {
        return switch (this) {
            case YOOKASSA -> "yookassa";
            case TBANK -> "atol";
            case SANDBOX, STRIPE -> "none";
        };
    }

    /**
     * Moneytrail's settings for receipts through {@code fiscal} ({@code none}, {@code atol} against
     * the sandbox process's ATOL dialect, or {@code yookassa}'s own receipts), and receipt
     * reconciliation without its grace period: once the run has settled, every money fact must
     * have its receipt done.
     */
    static List<String> fiscalArguments(String fiscal, int sandboxPort) {
        return switch (fiscal) {
            case "none" -> List.of("--moneytrail.fiscal.provider=none");
            case "atol" -> List.of("--moneytrail.fiscal.provider=atol",
                    "--moneytrail.atol.api-base=http://localhost:" + sandboxPort + "/sandbox/atol/possystem/v5",
                    "--moneytrail.atol.read-timeout-ms=2000",
                    "--moneytrail.reconciliation.receipts.grace=0s");
            case "yookassa" -> List.of("--moneytrail.fiscal.provider=yookassa", "--moneytrail.fiscal.sno=osn",
                    "--moneytrail.reconciliation.receipts.grace=0s");
            default -> throw new IllegalArgumentException("--fiscal is one of none, atol, yookassa; not '" + fiscal + "'");
        };
    }

    /** Moneytrail's settings to reach this provider's dialect on the sandbox process. */
    List<String> serviceArguments(int sandboxPort) {
        String base = "http://localhost:" + sandboxPort + "/sandbox/" + wire();
        List<String> arguments = new ArrayList<>();
        switch (this) {
            case SANDBOX -> {
            }
            case STRIPE -> arguments.addAll(List.of(
                    "--moneytrail.stripe.secret-key=sk_test_moneytrail_sandbox",
                    "--moneytrail.stripe.webhook-secret=whsec_moneytrail_sandbox",
                    "--moneytrail.stripe.api-base=" + base,
                    "--moneytrail.stripe.read-timeout-ms=2000"));
            case YOOKASSA -> arguments.addAll(List.of(
                    "--moneytrail.yookassa.shop-id=100500",
                    "--moneytrail.yookassa.secret-key=test_sandbox_yookassa_local",
                    "--moneytrail.yookassa.read-timeout-ms=2000",
                    "--moneytrail.yookassa.trusted-networks=127.0.0.1/32,::1/128",
                    "--moneytrail.yookassa.api-base=" + base));
            case TBANK -> arguments.addAll(List.of(
                    "--moneytrail.tbank.terminal-key=SandboxTerminalDEMO",
                    "--moneytrail.tbank.password=sandbox_tbank_local",
                    "--moneytrail.tbank.read-timeout-ms=2000",
                    "--moneytrail.tbank.api-base=" + base));
        }
        return arguments;
    }
}
