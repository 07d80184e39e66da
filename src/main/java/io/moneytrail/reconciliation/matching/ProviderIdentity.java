package io.moneytrail.reconciliation.matching;

import io.moneytrail.reconciliation.BankEntry;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Who the provider is on the bank side, learned from the bank entries that matched a payout: the
 * counterparty's account, tax id (INN) and name, and the shape of the entry's text (its reference
 * pattern: words kept, anything with a digit in it as {@code #}, e.g. {@code stripe payout #}).
 * Each remembers the first payout it was learned from, so a report can say why it recognised an
 * entry.
 */
final class ProviderIdentity {

    /** Words of a reference pattern kept; the start of a remittance text is the stable part. */
    private static final int PATTERN_WORDS_MAX = 6;

    private final Map<String, String> accounts = new HashMap<>();
    private final Map<String, String> taxIds = new HashMap<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, String> patterns = new HashMap<>();

    void learn(BankEntry entry, String payoutId) {
        put(accounts, account(entry.counterpartyAccount()), payoutId);
        put(taxIds, account(entry.counterpartyTaxId()), payoutId);
        put(names, name(entry.counterpartyName()), payoutId);
        put(patterns, pattern(entry.details()), payoutId);
    }

    /** Why this entry is the provider's (account, tax id, name, then pattern), or null if nothing says so. */
    String recognises(BankEntry entry) {
        String key = account(entry.counterpartyAccount());
        if (key != null && accounts.containsKey(key)) {
            return "the account " + entry.counterpartyAccount() + " paid payout " + accounts.get(key);
        }
        key = account(entry.counterpartyTaxId());
        if (key != null && taxIds.containsKey(key)) {
            return "the tax id " + entry.counterpartyTaxId() + " paid payout " + taxIds.get(key);
        }
        key = name(entry.counterpartyName());
        if (key != null && names.containsKey(key)) {
            return "'" + entry.counterpartyName() + "' paid payout " + names.get(key);
        }
        key = pattern(entry.details());
        if (key != null && patterns.containsKey(key)) {
            return "its text has the pattern '" + key + "' of payout " + patterns.get(key);
        }
        return null;
    }

    boolean isEmpty() {
        return accounts.isEmpty() && taxIds.isEmpty() && names.isEmpty() && patterns.isEmpty();
    }

    private static void put(Map<String, String> learned, String key, String payoutId) {
        if (key != null) {
            learned.putIfAbsent(key, payoutId);
        }
    }

    /** An account number or tax id compared without spaces and case. */
    static String account(String value) {
        if (value == null) {
            return null;
        }
        String key = value.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
        return key.isEmpty() ? null : key;
    }

    /** A name compared by its words: case, quotes and punctuation aside ({@code НКО "ЮМани" (ООО)} = {@code нко юмани ооо}). */
    static String name(String value) {
        if (value == null) {
            return null;
        }
        String key = value.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
        return key.isEmpty() ? null : key;
    }

    /**
     * The shape of a remittance text: its first words, lower case, with every token holding a digit
     * (ids, dates, amounts) as {@code #}. Null unless it keeps a word of three letters or more (a
     * shape of ids alone would match anything).
     */
    static String pattern(String details) {
        if (details == null) {
            return null;
        }
        StringBuilder shape = new StringBuilder();
        int words = 0;
        boolean word = false;
        for (String token : details.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}_]+")) {
            if (token.isEmpty()) {
                continue;
            }
            boolean id = token.chars().anyMatch(Character::isDigit);
            String part = id ? "#" : token;
            if (id && shape.length() > 0 && shape.charAt(shape.length() - 1) == '#') {
                continue;
            }
            word |= !id && token.length() >= 3;
            shape.append(shape.length() > 0 ? " " : "").append(part);
            if (++words == PATTERN_WORDS_MAX) {
                break;
            }
        }
        return word ? shape.toString() : null;
    }
}
