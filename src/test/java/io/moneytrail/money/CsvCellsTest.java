package io.moneytrail.money;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The OWASP rule for CSV cells: text that starts a formula gets a leading quote; numbers stay numbers. */
class CsvCellsTest {

    @Test
    void text_beginning_with_a_formula_character_gets_a_leading_single_quote() {
        assertThat(CsvCells.text("=HYPERLINK(\"http://evil.example\",\"x\")"))
                .isEqualTo("'=HYPERLINK(\"http://evil.example\",\"x\")");
        assertThat(CsvCells.text("+1+2")).isEqualTo("'+1+2");
        assertThat(CsvCells.text("-2+3")).isEqualTo("'-2+3");
        assertThat(CsvCells.text("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvCells.text("\t=1")).isEqualTo("'\t=1");
        assertThat(CsvCells.text("\r=1")).isEqualTo("'\r=1");
        assertThat(CsvCells.text("\n=1")).isEqualTo("'\n=1");
    }

    @Test
    void other_text_is_unchanged() {
        assertThat(CsvCells.text("adj_01JB")).isEqualTo("adj_01JB");
        assertThat(CsvCells.text("a=b")).isEqualTo("a=b");
        assertThat(CsvCells.text(" =1")).isEqualTo(" =1");
        assertThat(CsvCells.text("'quoted")).isEqualTo("'quoted");
        assertThat(CsvCells.text("")).isEmpty();
        assertThat(CsvCells.text(null)).isNull();
    }

    @Test
    void numbers_stay_numbers_negative_ones_included() {
        assertThat(CsvCells.row(-1250L, 7, BigDecimal.valueOf(-1250, 2), BigDecimal.valueOf(1, 9), null, "-1250"))
                .containsExactly("-1250", "7", "-12.50", "0.000000001", null, "'-1250");
    }
}
