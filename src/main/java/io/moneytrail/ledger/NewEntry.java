package io.moneytrail.ledger;

import io.moneytrail.money.Check;
import io.moneytrail.money.MoneytrailException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A journal entry to post. Built by {@link PostingRules} from a fact, or by an operator's
 * adjustment. Construction checks it: at least two lines, no zero line, one currency, and
 * debits equal to credits.
 *
 * @param sourceType what kind of fact caused it ({@code payment_transaction}, {@code order_fulfilment}, …)
 * @param sourceId   which fact: posting the same source twice returns the first entry
 * @param reverses   the entry this one reverses, or null
 * @param orderCreatedAt the creation instant of the entry's order when the poster knows it (null: the
 *                   journal finds it by the order id, and a reversal takes the reversed entry's); stored so
 *                   that a period's balances are read in the orders' order of creation
 *                   ({@link OrderLedgerBalances#providerBalancesCreatedBetween}). Not part of the
 *                   {@link #fingerprint}: it follows from the order.
 */
public record NewEntry(String sourceType, String sourceId, String orderId, Instant effectiveAt, String description,
                       List<Posting> lines, String reverses, String actor, String reason, Instant orderCreatedAt) {

    public static final int LINES_MAX = 100;
    /** The accounts whose movement an entry carries as its own ({@link #providerMinor}). */
    static final String PSP_PREFIX = "assets:psp:";

    /** An entry whose order's creation instant the journal looks up (or takes from the reversed entry). */
    public NewEntry(String sourceType, String sourceId, String orderId, Instant effectiveAt, String description,
                    List<Posting> lines, String reverses, String actor, String reason) {
        this(sourceType, sourceId, orderId, effectiveAt, description, lines, reverses, actor, reason, null);
    }

    public NewEntry {
        Check.that(sourceType != null && sourceId != null, "an entry names its source");
        Check.that(effectiveAt != null && description != null, "an entry has an effective time and a description");
        lines = List.copyOf(lines);
        if (lines.size() < 2 || lines.size() > LINES_MAX) {
            throw MoneytrailException.invalid("entry_invalid", "lines",
                    "an entry has 2 to " + LINES_MAX + " lines, got " + lines.size());
        }
        Currency currency = lines.get(0).amount().currency();
        Map<Currency, Long> sums = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Posting line = lines.get(i);
            if (line.amount().isZero()) {
                throw MoneytrailException.invalid("amount_invalid", "lines[" + i + "][amount]",
                        "a line moves a non-zero amount");
            }
            if (!line.amount().currency().equals(currency)) {
                throw MoneytrailException.invalid("currency_mixed", "lines[" + i + "][currency]",
                        "an entry is in one currency; exchange between currencies needs explicit entries in each");
            }
            sums.merge(currency, line.amount().amountMinor(), Math::addExact);
        }
        sums.forEach((cur, sum) -> {
            if (sum != 0) {
                throw MoneytrailException.invalid("entry_unbalanced", "lines",
                        "debits and credits differ by " + sum + " minor units of " + cur.getCurrencyCode());
            }
        });
    }

    public Currency currency() {
        return lines.get(0).amount().currency();
    }

    /** This entry, with its order's creation instant as the poster knows it (null: unknown). */
    public NewEntry withOrderCreatedAt(Instant createdAt) {
        return new NewEntry(sourceType, sourceId, orderId, effectiveAt, description, lines, reverses, actor, reason,
                createdAt);
    }

    /**
     * The entry's own movement on the provider accounts {@code assets:psp:*}: the sum of its lines
     * there (debit positive), or null when it has no line there.
     */
    public Long providerMinor() {
        Long sum = null;
        for (Posting line : lines) {
            if (line.account().startsWith(PSP_PREFIX)) {
                sum = (sum == null ? 0L : sum) + line.amount().amountMinor();
            }
        }
        return sum;
    }

    /** SHA-256 of everything that makes the entry what it is, to tell a repeat from a conflict. */
    public byte[] fingerprint() {
        StringBuilder canonical = new StringBuilder()
                .append(sourceType).append('\n').append(sourceId).append('\n').append(orderId).append('\n')
                .append(effectiveAt.toEpochMilli()).append('\n').append(description).append('\n')
                .append(reverses).append('\n');
        for (Posting line : lines) {
            canonical.append(line.account()).append(' ').append(line.amount().amountMinor()).append(' ')
                    .append(line.amount().currencyCode()).append('\n');
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
