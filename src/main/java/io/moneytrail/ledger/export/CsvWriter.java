package io.moneytrail.ledger.export;

import io.moneytrail.ledger.JournalEntry;
import io.moneytrail.money.CsvCells;
import java.io.IOException;
import java.math.BigDecimal;
import java.io.Writer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A general journal as CSV (RFC 4180, commons-csv): one row per line of an entry, amounts in
 * major units in the currency's exponent, in a debit or a credit column (the other empty).
 * Text cells go through {@link CsvCells}, so one that a spreadsheet would take for a formula
 * (an adjustment's reference {@code =HYPERLINK(...)}) is written with a leading {@code '};
 * the amount columns stay numbers.
 */
public final class CsvWriter implements EntryWriter {

    public static final List<String> HEADER = List.of("entry_id", "effective_date", "recorded_at", "source_type",
            "source_id", "order_id", "description", "line_no", "account", "debit", "credit", "currency");

    private final CSVPrinter csv;
    private final Amounts amounts = new Amounts();

    public CsvWriter(Writer out) throws IOException {
        this.csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(HEADER.toArray(String[]::new)).get());
    }

    @Override
    public void begin(ExportHeader header) {
        // the header row is written by the printer
    }

    @Override
    public void entry(JournalEntry entry) throws IOException {
        String date = LocalDate.ofInstant(entry.effectiveAt(), ZoneOffset.UTC).toString();
        String recorded = entry.recordedAt().toString();
        String order = entry.orderId() == null ? "" : entry.orderId();
        for (JournalEntry.Line line : entry.lines()) {
            long amount = line.amountMinor();
            BigDecimal major = BigDecimal.valueOf(Math.abs(amount), amounts.exponent(line.currency()));
            csv.printRecord(CsvCells.row(entry.id(), date, recorded, entry.sourceType(), entry.sourceId(), order,
                    entry.description(), line.lineNo(), line.account(), amount > 0 ? major : null,
                    amount < 0 ? major : null, line.currency()));
        }
    }

    @Override
    public void end(long entries, long lines) throws IOException {
        csv.flush();
    }
}
