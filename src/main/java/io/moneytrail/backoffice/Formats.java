package io.moneytrail.backoffice;

import io.moneytrail.money.Money;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How a page shows money and dates, for the page's language: an amount with its currency's
 * exponent and the language's separators, then the currency ({@code 129.90 EUR},
 * {@code 1 234,56 ₽}: the rouble by its sign in Russian); a date in the store's time zone.
 * Templates reach it as {@code fmt}.
 */
public final class Formats {

    private final Locale locale;
    private final ZoneId zone;
    private final DateTimeFormatter dateTime;
    private final DateTimeFormatter date;

    Formats(Locale locale, ZoneId zone) {
        this.locale = locale;
        this.zone = zone;
        this.dateTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", locale).withZone(zone);
        this.date = DateTimeFormatter.ofPattern("yyyy-MM-dd", locale).withZone(zone);
    }

    public String money(Money money) {
        return money == null ? "" : money(money.amountMinor(), money.currencyCode());
    }

    public String money(long amountMinor, String currencyCode) {
        int exponent = Money.currency(currencyCode).getDefaultFractionDigits();
        DecimalFormat format = new DecimalFormat(exponent == 0 ? "#,##0" : "#,##0." + "0".repeat(exponent),
                DecimalFormatSymbols.getInstance(locale));
        String amount = format.format(BigDecimal.valueOf(amountMinor, Math.max(exponent, 0)));
        boolean russian = "ru".equals(locale.getLanguage());
        return amount + "\u00a0" + (russian && "RUB".equals(currencyCode) ? "₽" : currencyCode);
    }

    /** A plain amount for a form's field ({@code 29.90}), always with a dot. */
    public String major(long amountMinor, String currencyCode) {
        int exponent = Money.currency(currencyCode).getDefaultFractionDigits();
        return BigDecimal.valueOf(amountMinor, Math.max(exponent, 0)).toPlainString();
    }

    public String dateTime(Instant instant) {
        return instant == null ? "" : dateTime.format(instant);
    }

    public String date(Instant instant) {
        return instant == null ? "" : date.format(instant);
    }

    public String zone() {
        return zone.getId();
    }

    public String percent(double ratio) {
        java.text.NumberFormat format = java.text.NumberFormat.getPercentInstance(locale);
        format.setMaximumFractionDigits(1);
        return format.format(ratio);
    }

    public String number(long value) {
        return java.text.NumberFormat.getIntegerInstance(locale).format(value);
    }

    Locale locale() {
        return locale;
    }

    ZoneId zoneId() {
        return zone;
    }
}
