package io.moneytrail.ledger;

import io.moneytrail.money.MoneytrailException;
import io.moneytrail.payment.PaymentProviders;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The chart of accounts. The default chart comes with migration V2; stores extend it by
 * configuration ({@link LedgerProperties#accounts()}), and provider sub-accounts
 * ({@code assets:psp:<provider>}) are opened on first use. Accounts are never deleted. Other
 * modules use it as {@link ChartOfAccounts}.
 */
@Repository
class Accounts implements ApplicationRunner, ChartOfAccounts {

    private final JdbcClient jdbc;
    private final Map<String, String> configured;
    private final Map<String, Account> known = new ConcurrentHashMap<>();
    private final PaymentProviders providers;

    Accounts(JdbcClient jdbc, LedgerProperties properties, PaymentProviders providers) {
        this.jdbc = jdbc;
        this.configured = properties.accounts();
        this.providers = providers;
    }

    /**
     * Opens the configured accounts and every configured provider's account at start, each in
     * its own committed statement. Opened on first use inside a posting's transaction instead,
     * two first postings at once could see an account another transaction had not committed
     * (and might roll back), and fail with "account does not exist".
     */
    @Override
    public void run(ApplicationArguments args) {
        configured.forEach(this::open);
        providers.names().forEach(this::provider);
    }

    @Override
    public List<Account> all() {
        return jdbc.sql("select code, type, name from ledger_accounts order by code")
                .query((rs, n) -> new Account(rs.getString(1), AccountType.valueOf(rs.getString(2).toUpperCase()),
                        rs.getString(3)))
                .list();
    }

    @Override
    public Optional<Account> find(String code) {
        Account cached = known.get(code);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Account> account = jdbc.sql("select code, type, name from ledger_accounts where code = :code")
                .param("code", code)
                .query((rs, n) -> new Account(rs.getString(1), AccountType.valueOf(rs.getString(2).toUpperCase()),
                        rs.getString(3)))
                .optional();
        account.ifPresent(a -> known.put(code, a));
        return account;
    }

    @Override
    public Account require(String code, String param) {
        return find(code).orElseThrow(() -> MoneytrailException.invalid("account_unknown", param,
                "no account " + code + " in the chart of accounts"));
    }

    @Override
    public Account open(String code, String name) {
        if (code == null || !code.matches("(assets|liabilities|income|expenses|equity)(:[a-z0-9_]+)+")) {
            throw MoneytrailException.invalid("account_invalid", "account",
                    "account code '" + code + "' is not like assets:bank:main (type, then lower-case segments)");
        }
        AccountType type = AccountType.ofCode(code);
        jdbc.sql("insert into ledger_accounts (code, type, name) values (:code, :type, :name) on conflict do nothing")
                .param("code", code).param("type", type.wire()).param("name", name).update();
        return require(code, "account");
    }

    @Override
    public String provider(String provider) {
        String code = "assets:psp:" + provider;
        if (find(code).isEmpty()) {
            open(code, "Money held by the " + provider + " provider");
        }
        return code;
    }
}
