package io.moneytrail.ledger.export;

import io.moneytrail.ledger.Account;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What a writer knows before the first entry: the range (UTC effective dates, both ends
 * inclusive), the whole chart of accounts and the currencies the range's lines use.
 */
public record ExportHeader(LocalDate from, LocalDate toInclusive, List<Account> accounts, List<String> currencies,
                           Instant generatedAt) {

    public ExportHeader {
        accounts = List.copyOf(accounts);
        currencies = List.copyOf(currencies);
    }
}
