package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.money.Money;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class FormatsTest {

    private final Formats english = new Formats(Locale.ENGLISH, ZoneId.of("UTC"));
    private final Formats russian = new Formats(Locale.forLanguageTag("ru"), ZoneId.of("Europe/Moscow"));

    @Test
    void money_has_the_currencys_exponent_and_the_languages_separators() {
        assertThat(plain(english.money(Money.of(12990, "EUR")))).isEqualTo("129.90 EUR");
        assertThat(plain(english.money(Money.of(123456, "EUR")))).isEqualTo("1,234.56 EUR");
        assertThat(plain(russian.money(Money.of(123456, "RUB")))).isEqualTo("1 234,56 ₽");
        assertThat(plain(russian.money(Money.of(12990, "EUR")))).isEqualTo("129,90 EUR");
        assertThat(plain(english.money(Money.of(1500, "JPY")))).isEqualTo("1,500 JPY");
        assertThat(plain(english.money(Money.of(1234, "KWD")))).isEqualTo("1.234 KWD");
        assertThat(plain(english.money(-2990, "EUR"))).isEqualTo("-29.90 EUR");
    }

    @Test
    void dates_are_shown_in_the_store_time_zone() {
        Instant instant = Instant.parse("2026-12-01T21:30:00Z");
        assertThat(english.dateTime(instant)).isEqualTo("2026-12-01 21:30:00");
        assertThat(russian.dateTime(instant)).isEqualTo("2026-12-02 00:30:00");
        assertThat(russian.date(instant)).isEqualTo("2026-12-02");
    }

    /** Non-breaking spaces (between groups and before the currency) as plain ones. */
    static String plain(String text) {
        return text.replace('\u00a0', ' ').replace('\u202f', ' ');
    }
}
