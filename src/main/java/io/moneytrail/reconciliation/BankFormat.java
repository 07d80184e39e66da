package io.moneytrail.reconciliation;

import java.util.Locale;

/** Bank statement formats the importers read. See docs/reconciliation.md for each. */
public enum BankFormat {
    /** ISO 20022 camt.053, versions .001.02 and .001.08. */
    CAMT053,
    /** SWIFT MT940 customer statement. */
    MT940,
    /** 1CClientBankExchange text, Windows-1251 or UTF-8. */
    CLIENT_BANK_EXCHANGE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
