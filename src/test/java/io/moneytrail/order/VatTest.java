package io.moneytrail.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VatTest {

    @Test
    void vat_is_extracted_from_the_inclusive_total_and_rounded_half_up_per_line() {
        assertThat(Vat.includedIn(12200, 22)).isEqualTo(2200);   // exact
        assertThat(Vat.includedIn(1999, 22)).isEqualTo(360);     // 360.4918... -> 360
        assertThat(Vat.includedIn(5997, 22)).isEqualTo(1081);    // 1081.4754... -> 1081
        assertThat(Vat.includedIn(11, 10)).isEqualTo(1);         // 1.0 exactly
        assertThat(Vat.includedIn(1, 20)).isEqualTo(0);          // 0.1666 -> 0
        assertThat(Vat.includedIn(3, 20)).isEqualTo(1);          // 0.5 exactly -> rounds up
        assertThat(Vat.includedIn(9, 20)).isEqualTo(2);          // 1.5 exactly -> rounds up
    }

    @Test
    void no_vat_and_zero_rate_give_zero() {
        assertThat(Vat.includedIn(1999, null)).isZero();
        assertThat(Vat.includedIn(1999, 0)).isZero();
    }

    @Test
    void huge_totals_overflow_loudly() {
        assertThat(Vat.includedIn(99_999_999_999_999L, 22)).isEqualTo(18_032_786_885_246L);
        assertThatThrownBy(() -> Vat.includedIn(Long.MAX_VALUE / 10, 22)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void vat_per_line_never_exceeds_the_line_and_matches_exact_division_within_half_a_unit() {
        long seed = System.nanoTime();
        System.out.println("VatTest seed " + seed);
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < 10_000; i++) {
            long total = 1 + random.nextInt(10_000_000);
            int rate = random.nextInt(101);
            long vat = Vat.includedIn(total, rate);
            java.math.BigDecimal exact = java.math.BigDecimal.valueOf(total).multiply(java.math.BigDecimal.valueOf(rate))
                    .divide(java.math.BigDecimal.valueOf(100 + rate), 10, java.math.RoundingMode.HALF_UP);
            assertThat(java.math.BigDecimal.valueOf(vat).subtract(exact).abs())
                    .as("seed %d total %d rate %d", seed, total, rate)
                    .isLessThanOrEqualTo(new java.math.BigDecimal("0.5"));
            assertThat(vat).isBetween(0L, total);
        }
    }
}
