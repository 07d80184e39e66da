package io.moneytrail.reconciliation;

import java.time.LocalDate;

/**
 * One normalised bank statement entry. {@code amountMinor} is positive; {@code credit}
 * says the direction (money in). {@code batchCount} is the number of transactions the bank
 * says the entry carries (camt.053 {@code NtryDtls/Btch/NbOfTxs}), 1 when it does not say.
 *
 * @param ref the bank's reference for the entry (camt {@code AcctSvcrRef}/{@code NtryRef},
 *            MT940 reference, 1C number and date)
 * @param details remittance text and counterparty (what the payer wrote), possibly empty
 * @param reversal the bank marked the entry as a reversal of an earlier one
 * @param counterpartyAccount the other side's account (the payer of a credit, the payee of a debit):
 *                            camt.053 {@code DbtrAcct}/{@code CdtrAcct}, MT940 {@code :86:} account
 *                            subfield, 1C {@code ПлательщикСчет}/{@code ПолучательСчет}; null if not given
 * @param counterpartyTaxId the other side's tax or organisation id (1C {@code ПлательщикИНН}/
 *                          {@code ПолучательИНН}, camt.053 {@code OrgId/Othr/Id}); null if not given
 * @param counterpartyName the other side's name; null if not given
 */
public record BankEntry(String ref, long amountMinor, String currency, boolean credit, LocalDate bookingDate,
                        LocalDate valueDate, String details, int batchCount, boolean reversal, long line,
                        String counterpartyAccount, String counterpartyTaxId, String counterpartyName) {

    /** An entry whose counterparty the statement does not name. */
    public BankEntry(String ref, long amountMinor, String currency, boolean credit, LocalDate bookingDate,
                     LocalDate valueDate, String details, int batchCount, boolean reversal, long line) {
        this(ref, amountMinor, currency, credit, bookingDate, valueDate, details, batchCount, reversal, line, null, null,
                null);
    }
}
