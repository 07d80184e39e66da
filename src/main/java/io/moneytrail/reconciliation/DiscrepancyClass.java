package io.moneytrail.reconciliation;

import java.util.Locale;

/**
 * Every kind of difference reconciliation can find, complete and ordered by severity (the
 * declaration order is the order reports sort by). Each has a leg, a severity and a
 * one-line meaning; docs/reconciliation.md explains each at length.
 */
public enum DiscrepancyClass {
    CHARGED_UNKNOWN_TO_US(Leg.PROVIDER, Severity.CRITICAL,
            "the provider charged a customer for a payment no order of ours knows"),
    DUPLICATE_CHARGE(Leg.PROVIDER, Severity.CRITICAL,
            "the provider charged one order more than once"),
    CAPTURED_ON_CANCELLED_ORDER(Leg.INTERNAL, Severity.CRITICAL,
            "money is captured (and not refunded) on an order that is cancelled"),
    REFUND_AT_PROVIDER_NOT_RECORDED(Leg.PROVIDER, Severity.HIGH,
            "the provider refunded more than our order records as refunded"),
    CHARGEBACK_NOT_RECORDED(Leg.PROVIDER, Severity.HIGH,
            "the provider took money back in disputes (chargebacks, not reversed) other than what our order records as"
                    + " charged back"),
    PAYOUT_NOT_RECEIVED(Leg.BANK, Severity.HIGH,
            "a provider payout has not reached the bank statement after the allowed days"),
    PAYOUT_NET_DIFFERS_FROM_TRANSACTIONS(Leg.BANK, Severity.HIGH,
            "a payout's amount differs from the net of the transactions it says it pays out"),
    AMOUNT_MISMATCH(Leg.PROVIDER, Severity.HIGH,
            "the provider charged an amount other than the order's total (or a bank entry differs from its payout)"),
    CURRENCY_MISMATCH(Leg.PROVIDER, Severity.HIGH,
            "the provider charged in a currency other than the order's"),
    // atol (issue 14): receipt reconciliation, money facts vs the fiscal module's receipts (database runs only)
    RECEIPT_MISSING(Leg.RECEIPT, Severity.HIGH,
            "a capture, fulfilment or refund has no done fiscal receipt (none at all, or one still pending)"),
    RECEIPT_FAILED(Leg.RECEIPT, Severity.HIGH,
            "the fiscal receipt of a capture, fulfilment or refund failed and no correction settled it"),
    RECEIPT_SUM_MISMATCH(Leg.RECEIPT, Severity.HIGH,
            "the done receipts of a capture, fulfilment or refund add up to another total than the money"),
    RECEIPT_VAT_MISMATCH(Leg.RECEIPT, Severity.MEDIUM,
            "a done receipt's VAT per rate differs from its lines' VAT, or uses a rate its payment method forbids"),
    PAID_ORDER_WITHOUT_PROVIDER_RECORD(Leg.PROVIDER, Severity.MEDIUM,
            "our order says it is paid but the provider report has no charge for it"),
    REFUND_RECORDED_NOT_AT_PROVIDER(Leg.PROVIDER, Severity.MEDIUM,
            "our order records more refunded than the provider refunded"),
    BANK_CREDIT_WITHOUT_PAYOUT(Leg.BANK, Severity.MEDIUM,
            "a bank credit from the provider matches no payout in the provider report"),
    // bankrecon (issue 14): debits to the provider get the credits' treatment
    BANK_DEBIT_WITHOUT_PAYOUT(Leg.BANK, Severity.MEDIUM,
            "a bank debit to the provider matches no payout in the provider report"),
    STATUS_MISMATCH(Leg.PROVIDER, Severity.MEDIUM,
            "amounts agree, but the order's status contradicts what the provider did"),
    LEDGER_DISAGREES_WITH_DERIVED_STATUS(Leg.INTERNAL, Severity.MEDIUM,
            "the order's status contradicts the status derived from its own money (in audit mode: the export's amounts)"),
    FEE_DIFFERS_FROM_TARIFF(Leg.PROVIDER, Severity.LOW,
            "the provider's fee on a charge differs from the configured tariff"),
    // bankrecon (issue 14): nothing on the bank side is silently dropped
    BANK_CREDIT_UNEXPLAINED(Leg.BANK, Severity.LOW,
            "a bank credit that no payout explains and that does not come from the provider: for the accountant to classify");

    private final Leg leg;
    private final Severity severity;
    private final String meaning;

    DiscrepancyClass(Leg leg, Severity severity, String meaning) {
        this.leg = leg;
        this.severity = severity;
        this.meaning = meaning;
    }

    public Leg leg() {
        return leg;
    }

    public Severity severity() {
        return severity;
    }

    public String meaning() {
        return meaning;
    }

    /** Whether the file-only audit can find it (receipt reconciliation needs the database). */
    public boolean fileAudit() {
        return leg != Leg.RECEIPT;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
