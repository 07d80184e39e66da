package io.moneytrail.fiscal;

/**
 * ATOL's place when this process has no ATOL account (provider {@code none}, or {@code yookassa}, whose
 * receipts {@link YooKassaOwnReceipts} handles). The worker claims only receipts of this process's own
 * providers ({@link FiscalSettings#providers()}), so it is not asked; if it were, it answers "no answer".
 */
final class NoFiscalProvider implements FiscalProvider {

    private final String name;

    NoFiscalProvider(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Outcome register(Receipt receipt) {
        return new Outcome.Unknown("no fiscal provider " + name + " to send to in this process");
    }

    @Override
    public Outcome report(Receipt receipt) {
        return new Outcome.Unknown("no fiscal provider " + name + " to ask in this process");
    }
}
