package io.moneytrail.reconciliation.importer;

import static io.moneytrail.reconciliation.importer.Fixtures.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.reconciliation.ImportLimits;
import io.moneytrail.reconciliation.Progress;
import io.moneytrail.reconciliation.ProviderRow;
import io.moneytrail.reconciliation.ProviderRowKind;
import io.moneytrail.reconciliation.UnusableInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YooKassa registries and the sandbox provider's report. */
class ProviderRegistriesImporterTest {

    private Fixtures.Collected<ProviderRow> yookassa(Path file) {
        Fixtures.Collected<ProviderRow> c = new Fixtures.Collected<>();
        c.summary = new YooKassaRegistryImporter(ImportLimits.DEFAULTS, "order_id").read(file, c, c.problems(), Progress.NONE);
        return c;
    }

    @Test
    void yookassa_payment_registry_is_read_with_moscow_time_converted_to_utc_and_fee_derived() {
        var c = yookassa(path("yookassa-payments.csv"));
        ProviderRow first = c.rows.get(0);
        assertThat(first.kind()).isEqualTo(ProviderRowKind.CHARGE);
        assertThat(first.paymentId()).isEqualTo("2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f");
        assertThat(first.amountMinor()).isEqualTo(150_000);
        assertThat(first.netMinor()).isEqualTo(144_750);
        assertThat(first.feeMinor()).isEqualTo(5_250);
        assertThat(first.currency()).isEqualTo("RUB");
        assertThat(first.orderRef()).isEqualTo("1001");
        assertThat(first.createdAt()).as("10:00 in Moscow is 07:00 UTC").isEqualTo(Instant.parse("2026-05-04T07:00:00Z"));
        assertThat(first.line()).as("the byte-order mark does not shift lines").isEqualTo(2);
        ProviderRow late = c.rows.get(1);
        assertThat(late.createdAt()).isEqualTo(Instant.parse("2026-05-04T20:30:00Z"));
        assertThat(late.payoutId()).as("one implied payout per Moscow day").isEqualTo("yookassa:2026-05-04");
        assertThat(c.problemLines()).containsExactly(4L, 5L);
        assertThat(c.problems.get(0).reason()).contains("'1 200,00'");
        assertThat(c.problems.get(1).reason()).contains("'2026-05-05 09:00:00' is not a time dd.MM.yyyy HH:mm:ss");
    }

    @Test
    void yookassa_refund_registry_gives_refunds_linked_to_their_payment() {
        var c = yookassa(path("yookassa-refunds.csv"));
        assertThat(c.problems).isEmpty();
        ProviderRow refund = c.rows.get(0);
        assertThat(refund.kind()).isEqualTo(ProviderRowKind.REFUND);
        assertThat(refund.paymentId()).isEqualTo("2f8c1a3e-000f-5000-9000-1a2b3c4d5e6f");
        assertThat(refund.amountMinor()).isEqualTo(-30_000);
        assertThat(refund.feeMinor()).isZero();
    }

    @Test
    void yookassa_registry_without_its_columns_is_refused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("registry.csv");
        Files.writeString(file, "Идентификатор платежа;Сумма;Валюта платежа;Время платежа\nx;1.00;RUB;04.05.2026 10:00:00\n");
        assertThatThrownBy(() -> yookassa(file)).isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("registry.csv:1").hasMessageContaining("missing column Сумма платежа");
    }

    @Test
    void sandbox_report_is_read_and_unknown_types_are_row_problems() {
        Fixtures.Collected<ProviderRow> c = new Fixtures.Collected<>();
        new SandboxReportImporter(ImportLimits.DEFAULTS).read(path("sandbox-report.csv"), c, c.problems(), Progress.NONE);
        assertThat(c.rows).extracting(ProviderRow::kind).containsExactly(ProviderRowKind.CHARGE, ProviderRowKind.REFUND,
                ProviderRowKind.PAYOUT);
        assertThat(c.rows.get(0).paymentId()).isEqualTo("pay_s1");
        assertThat(c.rows.get(0).orderRef()).isEqualTo("A-2001");
        assertThat(c.rows.get(0).payoutId()).isEqualTo("spo_1");
        assertThat(c.rows.get(2).payoutId()).isEqualTo("spo_1");
        assertThat(c.rows.get(2).amountMinor()).isEqualTo(-1950);
        assertThat(c.problemLines()).containsExactly(5L);
        assertThat(c.problems.get(0).reason()).contains("type 'bonus'");
    }
}
