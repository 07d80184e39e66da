package io.moneytrail.money;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The dates and instants the service accepts: years 1 to 9999. Java parses far wider (year
 * 300000, year -5000), PostgreSQL refuses some of that ({@code timestamptz} ends in 294276) and
 * none of it is a date a store or a bank means, so it is a 400 naming the parameter.
 */
public final class Dates {

    public static final LocalDate MIN = LocalDate.of(1, 1, 1);
    public static final LocalDate MAX = LocalDate.of(9999, 12, 31);
    private static final Instant MIN_INSTANT = MIN.atStartOfDay().toInstant(ZoneOffset.UTC);
    private static final Instant MAX_INSTANT = MAX.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);

    private Dates() {
    }

    public static LocalDate inRange(LocalDate date, String param) {
        if (date.isBefore(MIN) || date.isAfter(MAX)) {
            throw outOfRange(param);
        }
        return date;
    }

    public static Instant inRange(Instant instant, String param) {
        if (instant.isBefore(MIN_INSTANT) || !instant.isBefore(MAX_INSTANT)) {
            throw outOfRange(param);
        }
        return instant;
    }

    private static MoneytrailException outOfRange(String param) {
        return MoneytrailException.invalid("parameter_invalid", param,
                param + " is out of range (years 0001 to 9999)");
    }
}
