package io.moneytrail.reconciliation;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * How to read a store's order export when it is not in the default shape
 * ({@code order_id,created_at,status,currency,amount_total,amount_paid,amount_refunded,payment_reference},
 * comma-separated, amounts with a dot, times ISO-8601 or UTC; an optional {@code amount_charged_back}
 * column says what the order records as taken back in disputes, absent meaning 0).
 *
 * <p>Written inline ({@code --orders-mapping "order_id=Номер,amount_total=Сумма"}) or as a
 * properties file in UTF-8 ({@code --orders-mapping @mapping.properties}, or a path ending in
 * {@code .properties}). Keys:
 * <ul>
 *   <li>one of our column names = the export's header name;</li>
 *   <li>{@code status.<their word>} = one of our statuses (e.g. {@code status.Оплачен=paid});</li>
 *   <li>{@code delimiter} = {@code comma}, {@code semicolon}, {@code tab} or one character;</li>
 *   <li>{@code decimal_separator} = {@code dot} or {@code comma};</li>
 *   <li>{@code timezone} = the zone of times written without an offset (default UTC);</li>
 *   <li>{@code date_format} = a {@link DateTimeFormatter} pattern for {@code created_at},
 *       e.g. {@code dd.MM.yyyy HH:mm}.</li>
 * </ul>
 */
public record OrderExportMapping(Map<String, String> columns, Map<String, StoreOrderStatus> statuses,
                                 char delimiter, char decimalSeparator, ZoneId zone, String dateFormat) {

    /**
     * Our column names: the default header's, in its order, then the optional
     * {@code amount_charged_back} (chargebacks net of their reversals, in major units; absent: 0).
     */
    public static final List<String> COLUMNS = List.of("order_id", "created_at", "status", "currency", "amount_total",
            "amount_paid", "amount_refunded", "payment_reference", "amount_charged_back");

    /**
     * Columns an export must have (payment_reference may be absent: matching falls back to amounts;
     * amount_charged_back may be absent: no chargebacks recorded).
     */
    public static final List<String> REQUIRED = COLUMNS.subList(0, 7);

    /** The default header (the columns every export of ours writes; amount_charged_back is optional). */
    public static final List<String> DEFAULT_HEADER = COLUMNS.subList(0, 8);

    public static final OrderExportMapping DEFAULT = new OrderExportMapping(Map.of(), Map.of(), ',', '.',
            ZoneOffset.UTC, null);

    public OrderExportMapping {
        columns = Map.copyOf(columns);
        statuses = Map.copyOf(statuses);
    }

    /** The export's header name for one of our columns. */
    public String headerFor(String ourColumn) {
        return columns.getOrDefault(ourColumn, ourColumn);
    }

    /** Parses an inline spec or, with a leading {@code @} or a {@code .properties} path, a file. */
    public static OrderExportMapping parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return DEFAULT;
        }
        String trimmed = spec.strip();
        if (trimmed.startsWith("@") || trimmed.endsWith(".properties")) {
            Path file = Path.of(trimmed.startsWith("@") ? trimmed.substring(1) : trimmed);
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UnusableInputException(file.toString(), "order mapping cannot be read: " + e.getMessage());
            }
            Map<String, String> pairs = new LinkedHashMap<>();
            properties.stringPropertyNames().forEach(k -> pairs.put(k.strip(), properties.getProperty(k).strip()));
            return of(pairs, file.toString());
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String part : trimmed.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new UnusableInputException("--orders-mapping", "'" + part.strip()
                        + "' is not key=value (e.g. order_id=Номер,amount_total=Сумма)");
            }
            pairs.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        return of(pairs, "--orders-mapping");
    }

    private static OrderExportMapping of(Map<String, String> pairs, String source) {
        Map<String, String> columns = new LinkedHashMap<>();
        Map<String, StoreOrderStatus> statuses = new LinkedHashMap<>();
        char delimiter = ',';
        char decimal = '.';
        ZoneId zone = ZoneOffset.UTC;
        String dateFormat = null;
        for (Map.Entry<String, String> pair : pairs.entrySet()) {
            String key = pair.getKey();
            String value = pair.getValue();
            if (COLUMNS.contains(key)) {
                columns.put(key, value);
            } else if (key.startsWith("status.")) {
                String word = key.substring("status.".length()).toLowerCase(Locale.ROOT);
                StoreOrderStatus status = StoreOrderStatus.parse(value).orElseThrow(() -> new UnusableInputException(
                        source, "status mapping '" + key + "=" + value + "': '" + value + "' is not one of our statuses"));
                statuses.put(word, status);
            } else if (key.equals("delimiter")) {
                delimiter = character(value, source, key);
            } else if (key.equals("decimal_separator")) {
                decimal = character(value, source, key);
                if (decimal != '.' && decimal != ',') {
                    throw new UnusableInputException(source, "decimal_separator must be dot or comma");
                }
            } else if (key.equals("timezone")) {
                try {
                    zone = ZoneId.of(value);
                } catch (DateTimeException e) {
                    throw new UnusableInputException(source, "timezone '" + value + "' is not a time zone id");
                }
            } else if (key.equals("date_format")) {
                try {
                    DateTimeFormatter.ofPattern(value);
                } catch (IllegalArgumentException e) {
                    throw new UnusableInputException(source, "date_format '" + value + "' is not a date pattern");
                }
                dateFormat = value;
            } else {
                throw new UnusableInputException(source, "unknown mapping key '" + key + "' (columns: "
                        + String.join(", ", COLUMNS) + "; or status.<word>, delimiter, decimal_separator, timezone, date_format)");
            }
        }
        if (delimiter == decimal) {
            throw new UnusableInputException(source, "delimiter and decimal_separator cannot both be '" + delimiter + "'");
        }
        return new OrderExportMapping(columns, statuses, delimiter, decimal, zone, dateFormat);
    }

    private static char character(String value, String source, String key) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "comma":
                return ',';
            case "semicolon":
                return ';';
            case "tab":
                return '\t';
            case "dot":
                return '.';
            default:
                if (value.length() == 1) {
                    return value.charAt(0);
                }
                throw new UnusableInputException(source, key + " '" + value + "' must be one character or a name");
        }
    }
}
