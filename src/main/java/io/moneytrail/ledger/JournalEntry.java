package io.moneytrail.ledger;

import io.moneytrail.money.Check;
import java.time.Instant;
import java.util.List;

/** A posted, immutable journal entry as read back; checked to be balanced when loaded. */
public record JournalEntry(String id, String sourceType, String sourceId, String orderId, Instant effectiveAt,
                           Instant recordedAt, String description, String reverses, String actor, String reason,
                           List<Line> lines) {

    public record Line(int lineNo, String account, long amountMinor, String currency) {
    }

    public JournalEntry {
        lines = List.copyOf(lines);
        Check.that(lines.size() >= 2, "entry " + id + " has at least two lines");
        java.util.Map<String, Long> sums = new java.util.HashMap<>();
        for (Line line : lines) {
            sums.merge(line.currency(), line.amountMinor(), Math::addExact);
        }
        sums.forEach((currency, sum) -> Check.that(sum == 0, "entry " + id + " is balanced in " + currency
                + " when read back (off by " + sum + ")"));
    }
}
