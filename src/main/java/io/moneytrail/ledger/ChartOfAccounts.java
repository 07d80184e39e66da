package io.moneytrail.ledger;

import java.util.List;
import java.util.Optional;

/**
 * The chart of accounts, as other modules see it: list, look up, open. The default chart comes
 * with migration V2; stores extend it by configuration ({@code moneytrail.ledger.accounts}), and
 * provider sub-accounts ({@code assets:psp:<provider>}) are opened on first use. Accounts are
 * never deleted. The table ({@code ledger_accounts}) stays behind the ledger's repository.
 */
public interface ChartOfAccounts {

    /** Every account, by code. */
    List<Account> all();

    /** The account with this code, if any. */
    Optional<Account> find(String code);

    /** The account with this code, or an {@code account_unknown} error naming {@code param}. */
    Account require(String code, String param);

    /** Opens an account if it does not exist (idempotent). */
    Account open(String code, String name);

    /** The provider's clearing account, opened on first use. */
    String provider(String provider);
}
