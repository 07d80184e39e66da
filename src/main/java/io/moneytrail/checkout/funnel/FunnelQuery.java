package io.moneytrail.checkout.funnel;

import io.moneytrail.checkout.DeviceClass;
import io.moneytrail.money.Dates;
import io.moneytrail.money.MoneytrailException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a funnel report covers: the journeys that started on the days {@code from} to {@code to}
 * (both included) in {@code zone}, optionally of one provider and one device class.
 *
 * @param provider a provider's name, or null for all
 * @param device   a device class, or null for all
 */
public record FunnelQuery(LocalDate from, LocalDate to, ZoneId zone, String provider, DeviceClass device) {

    /** The longest period a report covers, in days. */
    public static final int DAYS_MAX = 366;
    private static final Pattern PROVIDER = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    /** The first instant of the period. */
    public Instant start() {
        return from.atStartOfDay(zone).toInstant();
    }

    /** The first instant after the period. */
    public Instant end() {
        return to.plusDays(1).atStartOfDay(zone).toInstant();
    }

    /**
     * Parses the request's parameters: both dates required ({@code YYYY-MM-DD}), {@code from}
     * not after {@code to}, at most {@link #DAYS_MAX} days; {@code provider} one of {@code known}
     * when given; {@code device} one of desktop, mobile, tablet, unknown when given. Anything
     * else is a 400 naming the parameter.
     */
    public static FunnelQuery parse(String from, String to, String provider, String device, ZoneId zone,
                                    Set<String> known) {
        LocalDate start = date(from, "from");
        LocalDate end = date(to, "to");
        if (end.isBefore(start)) {
            throw MoneytrailException.invalid("range_invalid", "from", "from (" + start + ") is after to (" + end + ")");
        }
        if (ChronoUnit.DAYS.between(start, end) + 1 > DAYS_MAX) {
            throw MoneytrailException.invalid("range_too_large", "to",
                    "a funnel report covers at most " + DAYS_MAX + " days");
        }
        String chosenProvider = null;
        if (provider != null && !provider.isBlank()) {
            chosenProvider = provider.strip();
            if (!PROVIDER.matcher(chosenProvider).matches() || !known.contains(chosenProvider)) {
                throw MoneytrailException.invalid("parameter_invalid", "provider",
                        "provider is one of " + String.join(", ", new java.util.TreeSet<>(known)) + "; not '"
                                + shorten(provider) + "'");
            }
        }
        DeviceClass chosenDevice = null;
        if (device != null && !device.isBlank()) {
            String wire = device.strip().toLowerCase(Locale.ROOT);
            chosenDevice = Arrays.stream(DeviceClass.values()).filter(d -> d.name().toLowerCase(Locale.ROOT).equals(wire))
                    .findFirst().orElseThrow(() -> MoneytrailException.invalid("parameter_invalid", "device",
                            "device is one of " + Arrays.stream(DeviceClass.values())
                                    .map(d -> d.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                                    + "; not '" + shorten(device) + "'"));
        }
        return new FunnelQuery(start, end, zone, chosenProvider, chosenDevice);
    }

    private static LocalDate date(String value, String param) {
        if (value == null || value.isBlank()) {
            throw MoneytrailException.invalid("parameter_missing", param, param + " is required (YYYY-MM-DD)");
        }
        try {
            return Dates.inRange(LocalDate.parse(value.strip()), param);
        } catch (DateTimeParseException e) {
            throw MoneytrailException.invalid("parameter_invalid", param,
                    param + " is a date, YYYY-MM-DD; not '" + shorten(value) + "'");
        }
    }

    private static String shorten(String value) {
        String cleaned = value.replaceAll("[^\\p{Alnum}_.:+-]", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "…" : cleaned;
    }
}
