package io.moneytrail.reconciliation.importer;

import static io.moneytrail.reconciliation.importer.Fixtures.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.reconciliation.BankEntry;
import io.moneytrail.reconciliation.ImportLimits;
import io.moneytrail.reconciliation.Progress;
import io.moneytrail.reconciliation.UnusableInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** camt.053 (.02 and .08), MT940 and 1CClientBankExchange (Windows-1251 and UTF-8). */
class BankStatementImporterTest {

    private Fixtures.Collected<BankEntry> camt(String name) {
        Fixtures.Collected<BankEntry> c = new Fixtures.Collected<>();
        c.summary = new Camt053Importer(ImportLimits.DEFAULTS).read(path(name), c, c.problems(), Progress.NONE);
        return c;
    }

    private Fixtures.Collected<BankEntry> mt940(String name) {
        Fixtures.Collected<BankEntry> c = new Fixtures.Collected<>();
        c.summary = new Mt940Importer(ImportLimits.DEFAULTS).read(path(name), c, c.problems(), Progress.NONE);
        return c;
    }

    private Fixtures.Collected<BankEntry> oneC(String name) {
        Fixtures.Collected<BankEntry> c = new Fixtures.Collected<>();
        c.summary = new ClientBankExchangeImporter(ImportLimits.DEFAULTS).read(path(name), c, c.problems(), Progress.NONE);
        return c;
    }

    @Test
    void camt053_v02_booked_entries_are_read_pending_ones_skipped_broken_ones_reported() {
        var c = camt("camt053-v02.xml");
        assertThat(c.rows).hasSize(2);
        BankEntry payout = c.rows.get(0);
        assertThat(payout.amountMinor()).isEqualTo(1963);
        assertThat(payout.currency()).isEqualTo("EUR");
        assertThat(payout.credit()).isTrue();
        assertThat(payout.ref()).isEqualTo("2026050700001");
        assertThat(payout.bookingDate()).isEqualTo(LocalDate.of(2026, 5, 7));
        assertThat(payout.details()).contains("po_2X").contains("Stripe Payments Europe Ltd");
        assertThat(payout.line()).isEqualTo(21);
        assertThat(c.rows.get(1).credit()).isFalse();
        assertThat(c.problems).hasSize(1);
        assertThat(c.problems.get(0).line()).isEqualTo(54);
        assertThat(c.problems.get(0).reason()).contains("CdtDbtInd 'null' is not CRDT or DBIT");
    }

    @Test
    void camt053_v08_reads_status_codes_batches_datetimes_and_reversals() {
        var c = camt("camt053-v08.xml");
        assertThat(c.rows).hasSize(2);
        BankEntry batch = c.rows.get(0);
        assertThat(batch.batchCount()).isEqualTo(2);
        assertThat(batch.bookingDate()).isEqualTo(LocalDate.of(2026, 5, 8));
        assertThat(batch.details()).as("NOTPROVIDED is no reference").doesNotContain("NOTPROVIDED").contains("STRIPE PAYOUTS");
        assertThat(c.rows.get(1).reversal()).isTrue();
        assertThat(c.problems).hasSize(1);
        assertThat(c.problems.get(0).reason()).as("a .02-style status in a .08 document").contains("Sts/Cd");
    }

    @Test
    void camt053_of_another_version_or_a_foreign_namespace_is_refused() {
        assertThatThrownBy(() -> camt("camt053-v04.xml")).isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("camt053-v04.xml:2").hasMessageContaining("camt.053 version camt.053.001.04 is not supported")
                .hasMessageContaining("camt.053.001.02, camt.053.001.08");
        assertThatThrownBy(() -> camt("camt052-foreign.xml")).isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("foreign namespace urn:iso:std:iso:20022:tech:xsd:camt.052.001.08");
        assertThatThrownBy(() -> camt("mt940.txt")).isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("not well-formed XML");
    }

    @Test
    void an_xml_bomb_and_external_entities_are_refused_at_once() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> camt("camt053-bomb.xml")).isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("camt053-bomb.xml").hasMessageContaining("DOCTYPE");
        assertThatThrownBy(() -> camt("camt053-external-entity.xml")).isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("DOCTYPE");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void mt940_lines_are_read_and_a_broken_61_is_reported_with_its_line() {
        var c = mt940("mt940.txt");
        assertThat(c.rows).hasSize(3);
        BankEntry payout = c.rows.get(0);
        assertThat(payout.amountMinor()).isEqualTo(1963);
        assertThat(payout.currency()).isEqualTo("EUR");
        assertThat(payout.credit()).isTrue();
        assertThat(payout.valueDate()).isEqualTo(LocalDate.of(2026, 5, 8));
        assertThat(payout.bookingDate()).isEqualTo(LocalDate.of(2026, 5, 8));
        assertThat(payout.ref()).isEqualTo("B6050800001");
        assertThat(payout.details()).contains("STRIPE PAYOUT").contains("po_2X");
        assertThat(payout.line()).isEqualTo(6);
        assertThat(c.rows.get(1).credit()).isFalse();
        assertThat(c.rows.get(1).ref()).isEqualTo("B6050800002");
        assertThat(c.rows.get(2).reversal()).isTrue();
        assertThat(c.problemLines()).containsExactly(11L);
        assertThat(c.problems.get(0).reason()).contains("amount must be digits with a decimal comma");
    }

    @Test
    void mt940_without_the_block_frame_with_several_statements_and_an_entry_date_across_the_year_end() {
        var c = mt940("mt940-plain.txt");
        assertThat(c.problems).isEmpty();
        assertThat(c.rows).hasSize(2);
        assertThat(c.rows.get(0).ref()).isEqualTo("NONREF");
        assertThat(c.rows.get(0).details()).isEqualTo("first statement");
        BankEntry fees = c.rows.get(1);
        assertThat(fees.credit()).isFalse();
        assertThat(fees.amountMinor()).isEqualTo(525);
        assertThat(fees.valueDate()).isEqualTo(LocalDate.of(2026, 1, 2));
        assertThat(fees.bookingDate()).isEqualTo(LocalDate.of(2025, 12, 31));
    }

    @Test
    void a_file_that_is_no_mt940_is_refused() {
        assertThatThrownBy(() -> mt940("not-a-statement.txt")).isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("not an MT940 statement");
    }

    @Test
    void client_bank_exchange_in_windows_1251_and_in_utf8_give_the_same_entries() {
        var windows = oneC("1c-windows-1251.txt");
        var utf8 = oneC("1c-utf8-bom.txt");
        assertThat(windows.rows).hasSize(2).isEqualTo(utf8.rows);
        BankEntry payout = windows.rows.get(0);
        assertThat(payout.credit()).isTrue();
        assertThat(payout.amountMinor()).isEqualTo(240_285);
        assertThat(payout.currency()).isEqualTo("RUB");
        assertThat(payout.ref()).isEqualTo("5512/06.05.2026");
        assertThat(payout.bookingDate()).isEqualTo(LocalDate.of(2026, 5, 7));
        assertThat(payout.details()).contains("ЮKassa").contains("НКО \"ЮМани\"");
        assertThat(windows.rows.get(1).credit()).as("our account pays").isFalse();
        assertThat(windows.problemLines()).containsExactly(44L);
        assertThat(windows.problems.get(0).reason()).contains("Сумма '1 200,00'");
    }

    @Test
    void client_bank_exchange_whose_bytes_contradict_its_encoding_or_that_is_cut_short_is_refused() {
        assertThatThrownBy(() -> oneC("1c-declares-windows-but-utf8.txt")).isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("declares Кодировка=Windows but is written in UTF-8");
        assertThatThrownBy(() -> oneC("1c-truncated.txt")).isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("no КонецДокумента");
        assertThatThrownBy(() -> oneC("mt940.txt")).isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("not a 1CClientBankExchange file");
    }
}
