package io.moneytrail.ledger.export;

import io.moneytrail.ledger.Account;
import io.moneytrail.ledger.JournalEntry;
import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A plain-text journal for hledger or Ledger (ledger-cli). Both read nearly the same syntax;
 * the dialects differ only in the declarations, so that each tool's strict mode accepts the
 * file ({@code hledger check -s}, {@code ledger --pedantic}):
 * <pre>
 * account liabilities:customer_advances        (every account of the chart, first)
 *     ; Customer advances: paid, not yet fulfilled
 * commodity 1000.00 EUR                        (hledger; Ledger: "commodity EUR" + "format")
 * tag entry_id                                 (Ledger only: metadata tags are declared)
 *
 * 2024-03-01 * (je_01HV…) capture 25.00 EUR for order ord_01HV…
 *     ; entry_id: je_01HV…
 *     ; source: payment_transaction:txn_01HV…
 *     ; order_id: ord_01HV…
 *     ; recorded_at: 2024-03-01T10:15:30.123456Z
 *     assets:psp:sandbox  25.00 EUR
 *     liabilities:customer_advances  -25.00 EUR
 * </pre>
 * Every posting carries its amount; the entry id is the transaction code; the description is
 * made one line without {@code ;}. The file ends with a comment counting what it holds, so a
 * cut-off download is recognisable.
 */
public final class JournalFileWriter implements EntryWriter {

    /** Which tool the file is for. */
    public enum Dialect {
        HLEDGER, LEDGER
    }

    static final List<String> TAGS = List.of("entry_id", "source", "order_id", "recorded_at", "reverses");

    private final Writer out;
    private final Dialect dialect;
    private final Amounts amounts = new Amounts();

    public JournalFileWriter(Writer out, Dialect dialect) {
        this.out = out;
        this.dialect = dialect;
    }

    @Override
    public void begin(ExportHeader header) throws IOException {
        out.write("; Moneytrail ledger export for " + (dialect == Dialect.HLEDGER ? "hledger" : "Ledger") + "\n");
        out.write("; entries effective " + header.from() + " to " + header.toInclusive()
                + " inclusive (UTC dates), generated " + header.generatedAt() + "\n");
        out.write("; amounts in each currency's ISO 4217 exponent; every posting carries its amount\n\n");
        for (Account account : header.accounts()) {
            out.write("account " + account.code() + "\n");
            String name = Text.oneLine(account.name());
            if (!name.isEmpty()) {
                out.write("    ; " + name + "\n");
            }
        }
        out.write("\n");
        for (String currency : header.currencies()) {
            if (dialect == Dialect.HLEDGER) {
                // hledger wants a decimal mark in the sample: "1000." declares no decimals
                String sample = amounts.sample(currency);
                out.write("commodity " + (sample.contains(".") ? sample : sample + ".") + " " + currency + "\n");
            } else {
                out.write("commodity " + currency + "\n    format " + amounts.sample(currency) + " " + currency + "\n");
            }
        }
        if (dialect == Dialect.LEDGER) {
            for (String tag : TAGS) {
                out.write("tag " + tag + "\n");
            }
        }
    }

    @Override
    public void entry(JournalEntry entry) throws IOException {
        StringBuilder text = new StringBuilder(256);
        text.append('\n').append(LocalDate.ofInstant(entry.effectiveAt(), ZoneOffset.UTC)).append(" * (")
                .append(entry.id()).append(") ").append(Text.payee(entry.description())).append('\n');
        tag(text, "entry_id", entry.id());
        tag(text, "source", entry.sourceType() + ":" + entry.sourceId());
        tag(text, "order_id", entry.orderId());
        tag(text, "recorded_at", entry.recordedAt().toString());
        tag(text, "reverses", entry.reverses());
        for (JournalEntry.Line line : entry.lines()) {
            text.append("    ").append(line.account()).append("  ")
                    .append(amounts.major(line.amountMinor(), line.currency())).append(' ').append(line.currency())
                    .append('\n');
        }
        out.write(text.toString());
    }

    private static void tag(StringBuilder text, String name, String value) {
        if (value != null) {
            text.append("    ; ").append(name).append(": ").append(Text.oneLine(value)).append('\n');
        }
    }

    @Override
    public void end(long entries, long lines) throws IOException {
        out.write("\n; end of export: " + entries + " entries, " + lines + " postings\n");
        out.flush();
    }
}
