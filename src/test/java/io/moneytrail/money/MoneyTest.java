package io.moneytrail.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void addition_and_subtraction_are_exact() {
        assertThat(Money.of(1999, "EUR").plus(Money.of(1, "EUR"))).isEqualTo(Money.of(2000, "EUR"));
        assertThat(Money.of(10, "EUR").minus(Money.of(25, "EUR"))).isEqualTo(Money.of(-15, "EUR"));
        assertThat(Money.of(1250, "EUR").times(3)).isEqualTo(Money.of(3750, "EUR"));
    }

    @Test
    void overflow_throws_instead_of_wrapping() {
        assertThatThrownBy(() -> Money.of(Long.MAX_VALUE, "EUR").plus(Money.of(1, "EUR")))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.of(Long.MAX_VALUE / 2 + 1, "EUR").times(2))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.of(Long.MIN_VALUE, "EUR").negate()).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void mixing_currencies_is_an_error_naming_both() {
        assertThatThrownBy(() -> Money.of(1, "EUR").plus(Money.of(1, "RUB")))
                .isInstanceOf(Money.CurrencyMismatchException.class).hasMessageContaining("EUR").hasMessageContaining("RUB");
        assertThatThrownBy(() -> Money.of(1, "EUR").compareTo(Money.of(1, "USD")))
                .isInstanceOf(Money.CurrencyMismatchException.class);
    }

    @Test
    void exponent_comes_from_the_currency() {
        assertThat(Money.of(1, "RUB").exponent()).isEqualTo(2);
        assertThat(Money.of(1, "JPY").exponent()).isZero();
        assertThat(Money.of(1, "KWD").exponent()).isEqualTo(3);
        assertThat(Money.of(1050, "RUB").toMajor()).isEqualByComparingTo(new BigDecimal("10.50"));
        assertThat(Money.of(1050, "JPY").toMajor()).isEqualByComparingTo(new BigDecimal("1050"));
        assertThat(Money.of(1050, "KWD").toString()).isEqualTo("1.050 KWD");
    }

    @Test
    void only_real_upper_case_currencies_with_a_minor_unit_are_accepted() {
        assertThat(Money.currency("EUR").getCurrencyCode()).isEqualTo("EUR");
        assertThatThrownBy(() -> Money.currency("eur")).isInstanceOf(MoneytrailException.class)
                .extracting("param").isEqualTo("currency");
        assertThatThrownBy(() -> Money.currency("ABC")).hasMessageContaining("unknown currency ABC");
        assertThatThrownBy(() -> Money.currency("XXX")).hasMessageContaining("no minor unit");
        assertThatThrownBy(() -> Money.currency(null)).isInstanceOf(MoneytrailException.class);
    }

    @Test
    void ids_carry_their_prefix_and_sort_in_creation_order() {
        String first = Ids.next(Ids.ORDER);
        String second = Ids.next(Ids.ORDER);
        assertThat(first).startsWith("ord_").hasSize(4 + 26);
        assertThat(Ids.hasPrefix(first, Ids.ORDER)).isTrue();
        assertThat(Ids.hasPrefix(first, Ids.PAYMENT)).isFalse();
        assertThat(first).isLessThan(second);
    }
}
