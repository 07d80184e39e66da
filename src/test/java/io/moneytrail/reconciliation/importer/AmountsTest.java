package io.moneytrail.reconciliation.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AmountsTest {

    @Test
    void decimals_become_exact_minor_units_with_the_currency_exponent() {
        assertThat(Amounts.parseMinor("gross", "12.34", 2)).isEqualTo(1234);
        assertThat(Amounts.parseMinor("gross", "-0.05", 2)).isEqualTo(-5);
        assertThat(Amounts.parseMinor("gross", "7", 2)).isEqualTo(700);
        assertThat(Amounts.parseMinor("gross", "12.3", 2)).isEqualTo(1230);
        assertThat(Amounts.parseMinor("gross", "1500", 0)).isEqualTo(1500);
        assertThat(Amounts.parseMinor("gross", "1.234", 3)).isEqualTo(1234);
        assertThat(Amounts.parseMinor("gross", "12.340", 2)).as("trailing zeros are exact").isEqualTo(1234);
        assertThat(Amounts.parseMinor("gross", "0.1", 2) + Amounts.parseMinor("gross", "0.2", 2)).isEqualTo(30);
        assertThat(Amounts.parseMinor("amount", "1500,00", 2, ',')).isEqualTo(150000);
    }

    @Test
    void thousands_separators_and_foreign_decimal_commas_are_row_problems_with_a_reason() {
        assertThatThrownBy(() -> Amounts.parseMinor("gross", "1,234.56", 2)).isInstanceOf(RowProblem.class)
                .hasMessageContaining("gross '1,234.56'").hasMessageContaining("thousands separator");
        assertThatThrownBy(() -> Amounts.parseMinor("gross", "12,50", 2)).hasMessageContaining("comma decimal");
        assertThatThrownBy(() -> Amounts.parseMinor("gross", "1 000.00", 2)).hasMessageContaining("thousands separator");
        assertThatThrownBy(() -> Amounts.parseMinor("gross", "1\u00a0000.00", 2)).hasMessageContaining("thousands separator");
        assertThatThrownBy(() -> Amounts.parseMinor("amount", "1.500,00", 2, ',')).hasMessageContaining("'.'");
    }

    @Test
    void malformed_and_too_precise_amounts_are_refused() {
        assertThatThrownBy(() -> Amounts.parseMinor("gross", "10.001", 2)).hasMessageContaining("more than 2 decimals");
        assertThatThrownBy(() -> Amounts.parseMinor("gross", "10.5", 0)).hasMessageContaining("more than 0 decimals");
        assertThatThrownBy(() -> Amounts.parseMinor("gross", "", 2)).hasMessageContaining("gross is empty");
        assertThatThrownBy(() -> Amounts.parseMinor("gross", "12.", 2)).hasMessageContaining("ends with");
        assertThatThrownBy(() -> Amounts.parseMinor("gross", "1e3", 2)).hasMessageContaining("not a decimal");
        assertThatThrownBy(() -> Amounts.parseMinor("gross", "-", 2)).hasMessageContaining("not a decimal");
        assertThatThrownBy(() -> Amounts.parseMinor("gross", "1234567890123456", 2)).hasMessageContaining("too large");
    }
}
