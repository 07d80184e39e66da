package io.moneytrail.backoffice;

import io.moneytrail.money.MoneytrailException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a report groups its period: by day, by ISO week (Monday to Sunday) or by calendar month,
 * in the store's time zone. A report covers from one date to another (both included) and at most
 * {@link #PERIODS_MAX} groups; a group is named by its first day inside the period.
 */
public record Periods(String unit) {

    public static final List<String> UNITS = List.of("day", "week", "month");
    /** The most groups a report has (62 days, 62 weeks or 62 months). */
    public static final int PERIODS_MAX = 62;

    /** The grouping named {@code by} (day when none). */
    static Periods parse(String by) {
        String wanted = by == null || by.isBlank() ? "day" : by.strip().toLowerCase(Locale.ROOT);
        if (!UNITS.contains(wanted)) {
            throw MoneytrailException.invalid("parameter_invalid", "by", "a report is by day, week or month");
        }
        return new Periods(wanted);
    }

    /**
     * The period asked for, with defaults: to today, from 7 days, 8 weeks or 6 months back; refused
     * when from is after to or the period has more than {@link #PERIODS_MAX} groups.
     */
    LocalDate[] period(String from, String to, Clock clock, ZoneId zone) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        try {
            LocalDate end = to == null || to.isBlank() ? today : LocalDate.parse(to.strip());
            LocalDate start = from == null || from.isBlank() ? defaultStart(end) : LocalDate.parse(from.strip());
            if (end.isBefore(start) || count(start, end) > PERIODS_MAX) {
                throw MoneytrailException.invalid("parameter_invalid", "from",
                        "a report covers 1 to " + PERIODS_MAX + " " + unit + "s, from before to");
            }
            return new LocalDate[] {start, end};
        } catch (DateTimeParseException e) {
            throw MoneytrailException.invalid("parameter_invalid", "from", "a date is YYYY-MM-DD");
        }
    }

    private LocalDate defaultStart(LocalDate end) {
        return switch (unit) {
            case "week" -> end.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(7);
            case "month" -> end.withDayOfMonth(1).minusMonths(5);
            default -> end.minusDays(6);
        };
    }

    private long count(LocalDate start, LocalDate end) {
        return switch (unit) {
            case "week" -> ChronoUnit.WEEKS.between(start.with(DayOfWeek.MONDAY), end.with(DayOfWeek.MONDAY)) + 1;
            case "month" -> ChronoUnit.MONTHS.between(start.withDayOfMonth(1), end.withDayOfMonth(1)) + 1;
            default -> ChronoUnit.DAYS.between(start, end) + 1;
        };
    }

    /** The first day of each group inside [from, to]. */
    List<LocalDate> starts(LocalDate from, LocalDate to) {
        List<LocalDate> starts = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = next(d)) {
            starts.add(d);
        }
        return starts;
    }

    /** The first day of the group after the one {@code day} is in. */
    LocalDate next(LocalDate day) {
        return switch (unit) {
            case "week" -> day.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
            case "month" -> day.withDayOfMonth(1).plusMonths(1);
            default -> day.plusDays(1);
        };
    }

    /** The first day of the group {@code day} is in (before any clipping to a period). */
    LocalDate startOf(LocalDate day) {
        return switch (unit) {
            case "week" -> day.with(DayOfWeek.MONDAY);
            case "month" -> day.withDayOfMonth(1);
            default -> day;
        };
    }

    /** A group's name for a table: {@code 2026-11-30}, {@code 2026-W49} or {@code 2026-11}. */
    public String label(LocalDate start) {
        return switch (unit) {
            case "week" -> start.get(IsoFields.WEEK_BASED_YEAR) + "-W"
                    + String.format(Locale.ROOT, "%02d", start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case "month" -> start.toString().substring(0, 7);
            default -> start.toString();
        };
    }
}
