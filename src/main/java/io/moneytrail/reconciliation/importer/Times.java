package io.moneytrail.reconciliation.importer;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Date and time parsing for report rows. The common shapes are parsed by hand (a million rows
 * through {@link DateTimeFormatter} cost seconds); everything else goes through the JDK.
 */
final class Times {

    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    private Times() {
    }

    /**
     * A UTC time written {@code yyyy-MM-dd HH:mm:ss} (or with {@code T} and an optional
     * {@code Z}). An explicit non-zero offset is refused: the column says UTC.
     */
    static Instant utc(String field, String text) {
        String value = text.strip();
        if (value.length() == 19 || value.length() == 20 && value.charAt(19) == 'Z') {
            LocalDateTime local = isoLocal(value);
            if (local != null) {
                return local.toInstant(ZoneOffset.UTC);
            }
        }
        if (value.length() > 19 && (value.charAt(19) == '+' || value.charAt(19) == '-')) {
            throw new RowProblem(field + " '" + value + "' carries an offset but the column is UTC: expected yyyy-MM-dd HH:mm:ss");
        }
        throw new RowProblem(field + " '" + value + "' is not a UTC time yyyy-MM-dd HH:mm:ss");
    }

    /**
     * An ISO-8601 instant with {@code Z} or an offset (converted to UTC), or a local
     * {@code yyyy-MM-dd[ T]HH:mm[:ss]} or plain date read in {@code localZone}.
     */
    static Instant isoOrLocal(String field, String text, ZoneId localZone) {
        String value = text.strip();
        if (value.length() == 19) {
            LocalDateTime local = isoLocal(value);
            if (local != null) {
                return local.atZone(localZone).toInstant();
            }
        }
        if (value.length() == 20 && value.charAt(19) == 'Z') {
            LocalDateTime local = isoLocal(value);
            if (local != null) {
                return local.toInstant(ZoneOffset.UTC);
            }
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(localZone).toInstant();
            }
            String iso = value.replace(' ', 'T');
            if (iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(iso.matches(".*[+-]\\d{4}$")
                        ? iso.substring(0, iso.length() - 2) + ":" + iso.substring(iso.length() - 2) : iso).toInstant();
            }
            return LocalDateTime.parse(iso).atZone(localZone).toInstant();
        } catch (DateTimeException e) {
            throw new RowProblem(field + " '" + value + "' is not an ISO-8601 time (2026-05-01T10:00:00Z, "
                    + "2026-05-01T13:00:00+03:00 or 2026-05-01 10:00:00 in " + localZone + ")");
        }
    }

    /** A time in a pattern the mapping names, read in {@code zone}. */
    static Instant pattern(String field, String text, DateTimeFormatter pattern, ZoneId zone) {
        try {
            return LocalDateTime.parse(text.strip(), pattern).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new RowProblem(field + " '" + text.strip() + "' does not match the mapped date format");
        }
    }

    /** YooKassa's {@code dd.MM.yyyy HH:mm:ss} in Moscow time, converted to UTC. */
    static Instant moscow(String field, String text) {
        String v = text.strip();
        if (v.length() == 19 && v.charAt(2) == '.' && v.charAt(5) == '.' && v.charAt(10) == ' ' && v.charAt(13) == ':'
                && v.charAt(16) == ':') {
            try {
                LocalDateTime local = LocalDateTime.of(digits(v, 6, 4), digits(v, 3, 2), digits(v, 0, 2),
                        digits(v, 11, 2), digits(v, 14, 2), digits(v, 17, 2));
                return local.atZone(MOSCOW).toInstant();
            } catch (DateTimeException | NumberFormatException e) {
                // fall through
            }
        }
        throw new RowProblem(field + " '" + v + "' is not a time dd.MM.yyyy HH:mm:ss (Moscow time)");
    }

    /** A {@code dd.MM.yyyy} date (1C). */
    static LocalDate dayMonthYear(String field, String text) {
        String v = text.strip();
        if (v.length() == 10 && v.charAt(2) == '.' && v.charAt(5) == '.') {
            try {
                return LocalDate.of(digits(v, 6, 4), digits(v, 3, 2), digits(v, 0, 2));
            } catch (DateTimeException | NumberFormatException e) {
                // fall through
            }
        }
        throw new RowProblem(field + " '" + v + "' is not a date dd.MM.yyyy");
    }

    /** An ISO date {@code yyyy-MM-dd}, optionally followed by a time (camt.053 {@code DtTm}). */
    static LocalDate isoDate(String field, String text) {
        String v = text.strip();
        if (v.length() >= 10 && v.charAt(4) == '-' && v.charAt(7) == '-') {
            try {
                return LocalDate.of(digits(v, 0, 4), digits(v, 5, 2), digits(v, 8, 2));
            } catch (DateTimeException | NumberFormatException e) {
                // fall through
            }
        }
        throw new RowProblem(field + " '" + v + "' is not a date yyyy-MM-dd");
    }

    private static LocalDateTime isoLocal(String v) {
        if (v.charAt(4) != '-' || v.charAt(7) != '-' || v.charAt(10) != ' ' && v.charAt(10) != 'T'
                || v.charAt(13) != ':' || v.charAt(16) != ':') {
            return null;
        }
        try {
            return LocalDateTime.of(digits(v, 0, 4), digits(v, 5, 2), digits(v, 8, 2), digits(v, 11, 2),
                    digits(v, 14, 2), digits(v, 17, 2));
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(s);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
