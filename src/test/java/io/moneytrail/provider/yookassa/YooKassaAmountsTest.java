package io.moneytrail.provider.yookassa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.money.Money;
import org.junit.jupiter.api.Test;

class YooKassaAmountsTest {

    @Test
    void amounts_are_decimal_strings_in_the_currencys_exponent() {
        assertThat(YooKassaAmounts.value(Money.of(150_000, "RUB"))).isEqualTo("1500.00");
        assertThat(YooKassaAmounts.value(Money.of(5, "RUB"))).isEqualTo("0.05");
        assertThat(YooKassaAmounts.value(Money.of(500, "JPY"))).isEqualTo("500");
        assertThat(YooKassaAmounts.value(Money.of(1_234, "KWD"))).isEqualTo("1.234");
        assertThat(YooKassaAmounts.amount(Money.of(10_000, "RUB"))).containsEntry("value", "100.00")
                .containsEntry("currency", "RUB");
    }

    @Test
    void answers_are_read_exactly_and_strictly() {
        assertThat(YooKassaAmounts.parse("100.10", "RUB")).isEqualTo(Money.of(10_010, "RUB"));
        assertThat(YooKassaAmounts.parse("100.1", "RUB")).isEqualTo(Money.of(10_010, "RUB"));
        assertThat(YooKassaAmounts.parse("2", "RUB")).isEqualTo(Money.of(200, "RUB"));
        assertThat(YooKassaAmounts.parse("500", "JPY")).isEqualTo(Money.of(500, "JPY"));
        assertThatThrownBy(() -> YooKassaAmounts.parse("100.001", "RUB")).hasMessageContaining("decimals");
        assertThatThrownBy(() -> YooKassaAmounts.parse("1,00", "RUB")).hasMessageContaining("plain decimal");
        assertThatThrownBy(() -> YooKassaAmounts.parse("-1.00", "RUB")).hasMessageContaining("plain decimal");
        assertThatThrownBy(() -> YooKassaAmounts.parse("1e3", "RUB")).hasMessageContaining("plain decimal");
    }

    @Test
    void only_the_currencies_yookassas_api_knows_are_offered() {
        assertThat(YooKassaProvider.CURRENCIES).contains("RUB").doesNotContain("JPY", "KWD");
    }
}
