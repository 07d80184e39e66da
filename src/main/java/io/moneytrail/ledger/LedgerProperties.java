package io.moneytrail.ledger;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Ledger settings.
 *
 * @param accounts      extra accounts of the chart, code to name (e.g. {@code [assets:bank:sber]: Sberbank})
 * @param approvalAbove the four-eyes threshold in minor units ({@code MONEYTRAIL_LEDGER_APPROVAL_ABOVE}): an
 *                      adjustment moving more than this (its debits' sum) is proposed and posted only when a
 *                      second actor approves it; null (unset) turns the rule off
 */
@ConfigurationProperties("moneytrail.ledger")
record LedgerProperties(Map<String, String> accounts, Long approvalAbove) {

    public LedgerProperties {
        accounts = accounts == null ? Map.of() : Map.copyOf(accounts);
        if (approvalAbove != null && approvalAbove < 0) {
            throw new IllegalArgumentException("moneytrail.ledger.approval-above (MONEYTRAIL_LEDGER_APPROVAL_ABOVE)"
                    + " is an amount in minor units, 0 or more: " + approvalAbove);
        }
    }
}
