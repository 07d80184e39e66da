package io.moneytrail.money;

import com.github.f4b6a3.ulid.UlidCreator;
import java.util.regex.Pattern;

/**
 * Typed, prefixed identifiers. The body is a monotonic ULID in lower case, so ids of one
 * type sort in creation order, which the list endpoints use as their cursor.
 */
public final class Ids {

    public static final String ORDER = "ord_";
    public static final String PAYMENT = "pay_";
    public static final String REFUND = "re_";
    public static final String EVENT = "evt_";
    public static final String TRANSACTION = "txn_";
    public static final String WEBHOOK = "wh_";
    public static final String KEY = "key_";

    private Ids() {
    }

    public static String next(String prefix) {
        return prefix + UlidCreator.getMonotonicUlid().toLowerCase();
    }

    private static final Pattern ULID = Pattern.compile("[0-9a-hjkmnp-tv-z]{26}");

    public static boolean hasPrefix(String id, String prefix) {
        return id != null && id.startsWith(prefix) && id.length() == prefix.length() + 26
                && ULID.matcher(id).region(prefix.length(), id.length()).matches();
    }
}
