package io.moneytrail.ledger.export;

import io.moneytrail.ledger.AccountType;

/**
 * Moneytrail account codes as Beancount account names. Codes are lower-case segments of
 * {@code [a-z0-9_]} after a type ({@code assets:psp:sandbox}); Beancount wants capitalised
 * components of letters, digits and dashes under the five root types. The mapping:
 * <ul>
 *   <li>the type segment becomes its root: {@code assets} {@code Assets}, {@code liabilities}
 *       {@code Liabilities}, {@code income} {@code Income}, {@code expenses} {@code Expenses},
 *       {@code equity} {@code Equity};</li>
 *   <li>in every other segment each {@code _} becomes {@code -}, and the first letter of the
 *       segment and each letter after a {@code _} is upper-cased: {@code customer_advances}
 *       {@code Customer-Advances}, {@code psp} {@code Psp}, {@code 2024} {@code 2024};</li>
 *   <li>a segment starting with {@code _} (which Beancount could not start with a dash) gets the
 *       prefix {@code XX}: {@code _old} {@code XX-Old}.</li>
 * </ul>
 * It is injective: codes have no upper-case letters and no dashes, so lower-casing and turning
 * dashes back into underscores recovers the code; and a mapped segment has an upper-case second
 * character only when it carries the {@code XX} prefix (otherwise the second character comes
 * from the code's second character, which is lower case, a digit, or a {@code _} made a dash).
 */
public final class BeancountAccounts {

    static final String LEADING_UNDERSCORE_PREFIX = "XX";

    private BeancountAccounts() {
    }

    public static String name(String code) {
        String[] segments = code.split(":", -1);
        StringBuilder name = new StringBuilder(code.length() + 8);
        name.append(root(segments[0]));
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty() || !segment.matches("[a-z0-9_]+")) {
                throw new IllegalArgumentException("account code " + code + " has a segment Beancount cannot name");
            }
            name.append(':');
            if (segment.charAt(0) == '_') {
                name.append(LEADING_UNDERSCORE_PREFIX);
            }
            boolean upper = true;
            for (int j = 0; j < segment.length(); j++) {
                char c = segment.charAt(j);
                if (c == '_') {
                    name.append('-');
                    upper = true;
                } else {
                    name.append(upper ? Character.toUpperCase(c) : c);
                    upper = false;
                }
            }
        }
        return name.toString();
    }

    private static String root(String typeSegment) {
        AccountType type = AccountType.ofCode(typeSegment);
        switch (type) {
            case ASSET:
                return "Assets";
            case LIABILITY:
                return "Liabilities";
            case INCOME:
                return "Income";
            case EXPENSE:
                return "Expenses";
            case EQUITY:
                return "Equity";
            default:
                throw new IllegalArgumentException("no Beancount root for " + type);
        }
    }
}
