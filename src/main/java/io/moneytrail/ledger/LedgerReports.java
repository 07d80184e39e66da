package io.moneytrail.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * Reports read from the journal, grouped in one query: the movements of the providers' clearing
 * accounts ({@code assets:psp:<provider>}) by period and the kind of entry that moved them, and
 * the revenue accounts' movements attributed to the provider through which the order was paid.
 */
public interface LedgerReports {

    /** Periods a report groups by: a day, an ISO week (from Monday) or a calendar month, in a time zone. */
    Set<String> UNITS = Set.of("day", "week", "month");

    /**
     * A provider account's movement in one period, currency and kind of entry.
     *
     * @param provider the account's last part ({@code stripe} of {@code assets:psp:stripe})
     * @param period the first day of the period, in the report's time zone
     * @param sourceType the entry's source ({@code payment_transaction}, {@code provider_fee}, …); for an
     *                   operator's reversal, the source of the entry it reverses
     * @param reversal   whether these are reversals' lines: the same kind of money, moved back
     */
    record ProviderMovement(String provider, LocalDate period, String currency, String sourceType, boolean reversal,
                            long debitsMinor, long creditsMinor) {
    }

    /**
     * A revenue account's movement ({@code income:sales}, {@code income:sales_returns},
     * {@code liabilities:vat_payable}; debit positive) in one period and currency, attributed to
     * the provider whose clearing account the order's first entry touching one debited or
     * credited; {@code provider} is empty when the entry has no order or the order none.
     */
    record RevenueMovement(String provider, LocalDate period, String currency, String account,
                           long movedMinor) {
    }

    /** Provider accounts' movements over [from, to), grouped by period ({@link #UNITS}) in {@code zone}. */
    List<ProviderMovement> providerMovements(Instant from, Instant to, String unit, ZoneId zone);

    /** Revenue accounts' movements over [from, to) by period and the order's provider. */
    List<RevenueMovement> revenueByProvider(Instant from, Instant to, String unit, ZoneId zone);

}
