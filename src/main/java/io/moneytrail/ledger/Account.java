package io.moneytrail.ledger;

/** An account of the chart. Accounts are never deleted. */
public record Account(String code, AccountType type, String name) {
}
