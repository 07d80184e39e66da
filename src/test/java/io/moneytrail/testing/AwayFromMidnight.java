package io.moneytrail.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Tests that take "today" (a run over today's activity, a report for today) fail when they
 * straddle midnight: the orders land on one day, the run asks about the other. Rather than
 * each test guessing, the base class waits out the last minutes before midnight in UTC and in
 * Moscow (the YooKassa registry's day) so that a test starts, and takes its "today", on the
 * same day it ends. A CI run that crosses midnight loses at most {@link #GUARD} once.
 */
public final class AwayFromMidnight {

    /** Longer than the slowest test that takes "today" (the browser tests, about two minutes). */
    static final Duration GUARD = Duration.ofMinutes(3);

    private static final List<ZoneId> ZONES = List.of(ZoneOffset.UTC, ZoneId.of("Europe/Moscow"));

    private AwayFromMidnight() {
    }

    /** How long to wait at {@code now} so that no day in {@link #ZONES} ends in the next {@link #GUARD}. */
    static Duration waitAt(Instant now) {
        Duration wait = Duration.ZERO;
        for (ZoneId zone : ZONES) {
            Instant midnight = LocalDate.ofInstant(now, zone).plusDays(1).atStartOfDay(zone).toInstant();
            Duration left = Duration.between(now, midnight);
            if (left.compareTo(GUARD) < 0) {
                Duration past = left.plusSeconds(1);
                wait = past.compareTo(wait) > 0 ? past : wait;
            }
        }
        return wait;
    }

    public static void await() {
        Duration wait = waitAt(Instant.now());
        if (!wait.isZero()) {
            System.out.println("[AwayFromMidnight] a day ends within " + GUARD.toMinutes()
                    + " minutes; waiting " + wait.toSeconds() + " s before the next test");
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
