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
 */
public record BankEntry(String ref, long amountMinor, String currency, boolean credit, LocalDate bookingDate,
                        LocalDate valueDate, String details, int batchCount, boolean reversal, long line) {
}
