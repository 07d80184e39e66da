package io.moneytrail.onec;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The 1C exchange's settings ({@code moneytrail.onec}; the user and password are read by
 * {@code access.OnecLogin}).
 *
 * @param encoding       {@code UTF-8} (the default) or {@code windows-1251}
 *                       ({@code MONEYTRAIL_ONEC_ENCODING}): the charset of the exported document and
 *                       of every text answer
 * @param fileLimitBytes the largest file 1C may send in one request, announced by {@code init}
 *                       ({@code MONEYTRAIL_ONEC_FILE_LIMIT}, default 8 MiB); a larger one is refused
 * @param ordersPerQuery the most orders one {@code query} sends; the rest go in the next exchange
 * @param timeZone       the store's time zone: the {@code Дата} and {@code Время} of a document are in it
 */
@ConfigurationProperties("moneytrail.onec")
public record OnecSettings(String encoding, Long fileLimitBytes, Integer ordersPerQuery, ZoneId timeZone) {

    public static final long FILE_LIMIT_DEFAULT = 8L * 1024 * 1024;
    public static final long FILE_LIMIT_MAX = 64L * 1024 * 1024;
    public static final int ORDERS_PER_QUERY_DEFAULT = 500;
    public static final int ORDERS_PER_QUERY_MAX = 5_000;

    public OnecSettings {
        encoding = encoding == null || encoding.isBlank() ? "UTF-8" : encoding.trim();
        String normalised = encoding.toLowerCase(Locale.ROOT);
        if (!normalised.equals("utf-8") && !normalised.equals("windows-1251") && !normalised.equals("cp1251")) {
            throw new IllegalArgumentException("moneytrail.onec.encoding (MONEYTRAIL_ONEC_ENCODING) is UTF-8 or"
                    + " windows-1251, the two charsets 1C's exchange with sites uses: " + encoding);
        }
        fileLimitBytes = fileLimitBytes == null ? FILE_LIMIT_DEFAULT : fileLimitBytes;
        if (fileLimitBytes < 1024 || fileLimitBytes > FILE_LIMIT_MAX) {
            throw new IllegalArgumentException("moneytrail.onec.file-limit-bytes (MONEYTRAIL_ONEC_FILE_LIMIT) is from 1024"
                    + " to " + FILE_LIMIT_MAX + " bytes: " + fileLimitBytes);
        }
        ordersPerQuery = ordersPerQuery == null ? ORDERS_PER_QUERY_DEFAULT : ordersPerQuery;
        if (ordersPerQuery < 1 || ordersPerQuery > ORDERS_PER_QUERY_MAX) {
            throw new IllegalArgumentException("moneytrail.onec.orders-per-query is from 1 to " + ORDERS_PER_QUERY_MAX
                    + ": " + ordersPerQuery);
        }
        timeZone = timeZone == null ? ZoneId.of("UTC") : timeZone;
    }

    /** The exchange's charset. */
    public Charset charset() {
        return encoding.equalsIgnoreCase("utf-8") ? StandardCharsets.UTF_8 : Charset.forName("windows-1251");
    }
}
