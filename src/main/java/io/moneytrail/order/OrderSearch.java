package io.moneytrail.order;

import io.moneytrail.money.Money;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Finds orders for people (the back office): by a text a person has in hand (an order id, the
 * store's reference, the customer's e-mail in any case or phone in any punctuation) and by
 * lifecycle status and creation date; newest first, a keyset page at a time after an order id.
 * Each row carries the order's money (its payment status) from the payment module.
 */
public interface OrderSearch {

    int PAGE_SIZE_MAX = 100;
    /** The most rows one call answers: a page, or a batch of candidates a caller filters further. */
    int CANDIDATES_MAX = 500;
    /** The most ids a search may be narrowed to or widened by. */
    int IDS_MAX = 1000;

    /**
     * What to find; every field is optional.
     *
     * @param text      an order id, a reference, an e-mail or a phone (exact, as a person types it)
     * @param alsoIds   orders that match {@code text} by something only another module knows (a
     *                  provider's payment id); they are found too
     * @param onlyIds   when not null, only these orders (another module's filter, a provider)
     * @param status    the order's lifecycle status
     * @param from      created at or after
     * @param to        created before
     */
    record Criteria(String text, Collection<String> alsoIds, Collection<String> onlyIds, OrderStatus status,
                    Instant from, Instant to) {
    }

    /** One row of a list. */
    record Row(String id, String reference, OrderStatus status, Money amountTotal, String customerEmail,
               String customerPhone, Instant created, OrderMoney money) {
    }

    /**
     * Up to {@code limit} orders, newest first (by creation time, then id), after the order
     * {@code startingAfter} in that order (a keyset page: nothing is skipped or repeated).
     */
    List<Row> search(Criteria criteria, String startingAfter, int limit);

    /**
     * As {@link #search}, without the rows' money ({@link Row#money()} is null): for candidates a
     * caller filters further, or rows it shows with the payment module's read model of the status.
     */
    List<Row> rows(Criteria criteria, String startingAfter, int limit);

    /** Orders created in [from, to), and how many of them are not open (fulfilled, cancelled, expired). */
    Counts count(Instant from, Instant to);

    record Counts(long created, long fulfilled) {
    }
}
