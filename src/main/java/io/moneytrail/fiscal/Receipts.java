package io.moneytrail.fiscal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The fiscal module's public read API over its receipts: an order's receipts, a page of receipts
 * by status and creation period, one receipt. Other modules (the API, receipt reconciliation)
 * read receipts only through here.
 */
public interface Receipts {

    /** Rows of one read, at most. */
    int PAGE_SIZE_MAX = 1000;

    /** The order's receipts, oldest first. */
    List<Receipt> ofOrder(String orderId);

    /** The receipts of these orders, oldest first (at most {@link #PAGE_SIZE_MAX} orders at once). */
    List<Receipt> ofOrders(Collection<String> orderIds);

    Optional<Receipt> find(String id);

    /** The receipt, or a 404 {@code receipt} not found. */
    Receipt get(String id);

    /**
     * A page of receipts in id (creation) order: with {@code status} (any when null), created in
     * [{@code from}, {@code to}) (either bound open when null), after the receipt {@code startingAfter}
     * (from the start when null); at most {@code limit} (1..{@link #PAGE_SIZE_MAX}).
     */
    List<Receipt> list(ReceiptStatus status, Instant from, Instant to, String startingAfter, int limit);

    /** Failed receipts no retry or correction has settled yet, oldest first: the review queue's. */
    List<Receipt> inReview(int limit);
}
