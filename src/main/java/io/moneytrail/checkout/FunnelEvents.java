package io.moneytrail.checkout;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The funnel's events, read-only, for the funnel report and anyone else outside the checkout
 * module (nobody else reads {@code checkout_events}). Periods are half-open: {@code from}
 * included, {@code to} excluded, on {@code occurred_at}.
 */
public interface FunnelEvents {

    /** The most events {@link #between} answers; a longer period is read with {@link #forEachBetween}. */
    int LIST_MAX = 100_000;

    /**
     * The events that occurred in {@code [from, to)}, oldest first (by time, then id); at most
     * {@link #LIST_MAX}: more is an {@link IllegalStateException} (use {@link #forEachBetween}).
     */
    List<FunnelEvent> between(Instant from, Instant to);

    /** Every event in {@code [from, to)}, oldest first, streamed through a cursor (constant memory). */
    void forEachBetween(Instant from, Instant to, Consumer<FunnelEvent> each);

    /**
     * The events of the sessions and API orders that have at least one event in {@code [from, to)},
     * including their events outside it (a session viewed on the 31st and paid on the 1st), oldest
     * first. For "time from first view to paid" and "last step reached" over a period.
     */
    void forEachOfJourneysTouching(Instant from, Instant to, Consumer<FunnelEvent> each);

    /**
     * Every event of the journeys that STARTED in {@code [from, to)} (a journey: a checkout session,
     * or {@code 'order:'+order_id} when session_id is null; it starts at its first event), their
     * later events included, grouped by journey and oldest first within one (by time, then id):
     * the funnel report folds one journey at a time. Streamed through a cursor.
     */
    void forEachOfJourneysStartedIn(Instant from, Instant to, Consumer<FunnelEvent> each);

    /** One order's events, oldest first (its sessions' and its API payments'). */
    List<FunnelEvent> ofOrder(String orderId);
}
