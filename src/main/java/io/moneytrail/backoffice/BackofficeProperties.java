package io.moneytrail.backoffice;

import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The back office's settings.
 *
 * @param timeZone the store's time zone: every date on a page is shown in it
 *                 ({@code MONEYTRAIL_STORE_TIME_ZONE}, UTC by default)
 * @param pageSize rows per page of a list
 */
@ConfigurationProperties("moneytrail.backoffice")
record BackofficeProperties(ZoneId timeZone, Integer pageSize) {

    static final int PAGE_SIZE_MAX = 100;

    BackofficeProperties {
        timeZone = timeZone == null ? ZoneId.of("UTC") : timeZone;
        pageSize = pageSize == null ? 50 : Math.max(1, Math.min(PAGE_SIZE_MAX, pageSize));
    }
}
