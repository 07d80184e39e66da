package io.moneytrail.fiscal;

/**
 * No provider to send to: with {@code none} nothing is ever sent (no intents are written); with
 * {@code yookassa} the receipts travel inside the payment and refund requests and this answers that
 * nothing more can be asked here.
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
