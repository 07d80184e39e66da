package io.moneytrail.reconciliation.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.reconciliation.BankEntry;
import io.moneytrail.reconciliation.ImportLimits;
import io.moneytrail.reconciliation.Progress;
import io.moneytrail.reconciliation.StatementPeriod;
import io.moneytrail.reconciliation.UnusableInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14: each bank format's declared period and each entry's counterparty, read from real files. */
class StatementPeriodImporterTest {

    private static final Path DIR = Path.of("src/test/resources/reconciliation/bank-leg");
    private static final LocalDate MAY_1 = LocalDate.of(2026, 5, 1);
    private static final LocalDate MAY_31 = LocalDate.of(2026, 5, 31);

    @TempDir
    Path tmp;

    @Test
    void camt053_period_from_FrToDt_and_the_closing_balance_and_the_counterparties() {
        Fixtures.Collected<BankEntry> got = new Fixtures.Collected<>();
        got.summary = new Camt053Importer(ImportLimits.DEFAULTS).read(DIR.resolve("camt053-v02.xml"), got,
                got.problems(), Progress.NONE);
        assertThat(got.summary.statementPeriod()).isEqualTo(new StatementPeriod(MAY_1, MAY_31,
                "camt.053 FrToDt/ToDtTm and Bal CLBD"));
        BankEntry payout = got.rows.get(0);
        assertThat(payout.counterpartyName()).isEqualTo("NKO Payments LLC");
        assertThat(payout.counterpartyAccount()).isEqualTo("30232810100000000001");
        assertThat(payout.counterpartyTaxId()).isEqualTo("7750005725");
        BankEntry rent = got.rows.get(4);
        assertThat(rent.credit()).isFalse();
        assertThat(rent.counterpartyName()).isEqualTo("Landlord LLC");
        assertThat(rent.counterpartyAccount()).isEqualTo("40702810700000077777");
    }

    @Test
    void camt053_with_only_a_closing_balance_ends_on_its_date_and_existing_statements_still_read() {
        Fixtures.Collected<BankEntry> got = new Fixtures.Collected<>();
        got.summary = new Camt053Importer(ImportLimits.DEFAULTS).read(Fixtures.path("camt053-v08.xml"), got,
                got.problems(), Progress.NONE);
        assertThat(got.summary.statementPeriod()).isEqualTo(new StatementPeriod(null, LocalDate.of(2026, 5, 8),
                "camt.053 Bal CLBD"));
        assertThat(got.rows.get(0).counterpartyName()).isEqualTo("Stripe Payments Europe Ltd");
    }

    @Test
    void camt053_with_a_broken_period_date_is_refused() throws IOException {
        String xml = Files.readString(DIR.resolve("camt053-v02.xml"), StandardCharsets.UTF_8)
                .replace("<ToDtTm>2026-05-31T23:59:59+03:00</ToDtTm>", "<ToDtTm>31.05.2026</ToDtTm>");
        Path file = Files.writeString(tmp.resolve("broken.xml"), xml);
        assertThatThrownBy(() -> new Camt053Importer(ImportLimits.DEFAULTS).read(file, e -> { }, p -> { }, Progress.NONE))
                .isInstanceOf(UnusableInputException.class).hasMessageContaining("ToDtTm");
    }

    @Test
    void mt940_period_ends_on_the_62F_closing_balance_date_and_the_86_names_the_counterparty() {
        Fixtures.Collected<BankEntry> got = new Fixtures.Collected<>();
        got.summary = new Mt940Importer(ImportLimits.DEFAULTS).read(DIR.resolve("mt940.txt"), got, got.problems(),
                Progress.NONE);
        assertThat(got.summary.statementPeriod()).isEqualTo(new StatementPeriod(MAY_1, MAY_31, "MT940 :62F:"));
        assertThat(got.rows).hasSize(5);
        assertThat(got.rows.get(1).counterpartyAccount()).isEqualTo("30232810100000000001");
        assertThat(got.rows.get(1).counterpartyName()).isEqualTo("NKO Payments LLC");
        assertThat(got.rows.get(3).credit()).isFalse();
        assertThat(got.rows.get(3).counterpartyAccount()).isEqualTo("30232810100000000001");
    }

    @Test
    void mt940_slash_codes_name_the_counterparty_and_a_broken_62F_is_refused() throws IOException {
        assertThat(Mt940Importer.counterparty("/ORDP//NAME/ACME GMBH/ACCT/DE89370400440532013000/REMI/INV 5"))
                .containsExactly("DE89370400440532013000", "ACME GMBH");
        assertThat(Mt940Importer.counterparty("plain text only")).containsExactly(null, null);
        String text = Files.readString(DIR.resolve("mt940.txt"), StandardCharsets.UTF_8)
                .replace(":62F:C260531RUB6270,00", ":62F:C263105RUB6270,00");
        Path file = Files.writeString(tmp.resolve("broken.txt"), text);
        assertThatThrownBy(() -> new Mt940Importer(ImportLimits.DEFAULTS).read(file, e -> { }, p -> { }, Progress.NONE))
                .isInstanceOf(UnusableInputException.class).hasMessageContaining(":62F:");
    }

    @Test
    void mt940_of_several_statements_covers_from_the_first_60F_to_the_latest_62F_and_62M_does_not_close() {
        Fixtures.Collected<BankEntry> got = new Fixtures.Collected<>();
        got.summary = new Mt940Importer(ImportLimits.DEFAULTS).read(Fixtures.path("mt940-plain.txt"), got,
                got.problems(), Progress.NONE);
        assertThat(got.summary.statementPeriod()).isEqualTo(new StatementPeriod(LocalDate.of(2026, 4, 30),
                LocalDate.of(2026, 5, 2), "MT940 :62F:"));
    }

    @Test
    void client_bank_exchange_period_is_ДатаНачала_to_ДатаКонца_and_the_payer_is_named() {
        Fixtures.Collected<BankEntry> got = new Fixtures.Collected<>();
        got.summary = new ClientBankExchangeImporter(ImportLimits.DEFAULTS).read(DIR.resolve("1c-windows-1251.txt"), got,
                got.problems(), Progress.NONE);
        assertThat(got.summary.statementPeriod()).isEqualTo(new StatementPeriod(MAY_1, MAY_31,
                "1CClientBankExchange ДатаКонца"));
        BankEntry payout = got.rows.get(0);
        assertThat(payout.counterpartyAccount()).isEqualTo("30232810100000000001");
        assertThat(payout.counterpartyTaxId()).isEqualTo("7750005725");
        assertThat(payout.counterpartyName()).isEqualTo("НКО \"Платежи\" (ООО)");
        BankEntry toProvider = got.rows.get(3);
        assertThat(toProvider.credit()).isFalse();
        assertThat(toProvider.counterpartyAccount()).isEqualTo("30232810100000000001");
        assertThat(toProvider.counterpartyTaxId()).isEqualTo("7750005725");
    }

    @Test
    void client_bank_exchange_with_ДатаКонца_before_ДатаНачала_is_refused() throws IOException {
        byte[] bytes = Files.readAllBytes(DIR.resolve("1c-windows-1251.txt"));
        String text = new String(bytes, "windows-1251").replace("ДатаНачала=01.05.2026", "ДатаНачала=01.07.2026");
        Path file = Files.write(tmp.resolve("reversed.txt"), text.getBytes("windows-1251"));
        assertThatThrownBy(() -> new ClientBankExchangeImporter(ImportLimits.DEFAULTS).read(file, e -> { }, p -> { },
                Progress.NONE)).isInstanceOf(UnusableInputException.class).hasMessageContaining("ДатаКонца");
    }
}
