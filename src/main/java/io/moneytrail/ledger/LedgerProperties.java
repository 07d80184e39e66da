package io.moneytrail.ledger;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Ledger settings.
 *
 * @param accounts extra accounts of the chart, code to name (e.g. {@code [assets:bank:sber]: Sberbank})
 */
@ConfigurationProperties("moneytrail.ledger")
record LedgerProperties(Map<String, String> accounts) {

    public LedgerProperties {
        accounts = accounts == null ? Map.of() : Map.copyOf(accounts);
    }
}
