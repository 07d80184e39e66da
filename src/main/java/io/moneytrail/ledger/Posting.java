package io.moneytrail.ledger;

import io.moneytrail.money.Money;

/** One line of a journal entry: a signed amount on an account (debit positive, credit negative). */
public record Posting(String account, Money amount) {

    public static Posting debit(String account, Money amount) {
        return new Posting(account, amount);
    }

    public static Posting credit(String account, Money amount) {
        return new Posting(account, amount.negate());
    }
}
