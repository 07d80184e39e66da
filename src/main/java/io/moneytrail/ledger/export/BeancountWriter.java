package io.moneytrail.ledger.export;

import io.moneytrail.ledger.Account;
import io.moneytrail.ledger.JournalEntry;
import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * A Beancount file ({@code bean-check} accepts it):
 * <pre>
 * option "title" "Moneytrail ledger 2024-03-01 to 2024-03-31"
 * 1970-01-01 open Liabilities:Customer-Advances      (every account of the chart)
 *   code: "liabilities:customer_advances"
 *   name: "Customer advances: paid, not yet fulfilled"
 * 1970-01-01 commodity EUR
 *
 * 2024-03-01 * "capture 25.00 EUR for order ord_01HV…"
 *   entry_id: "je_01HV…"
 *   source: "payment_transaction:txn_01HV…"
 *   order_id: "ord_01HV…"
 *   recorded_at: "2024-03-01T10:15:30.123456Z"
 *   Assets:Psp:Sandbox  25.00 EUR
 *   Liabilities:Customer-Advances  -25.00 EUR
 * </pre>
 * Account names follow {@link BeancountAccounts}; accounts open on 1970-01-01 (or the range's
 * start if earlier), before any use. Strings are one line with quotes and backslashes escaped.
 */
public final class BeancountWriter implements EntryWriter {

    static final LocalDate OPEN_DATE = LocalDate.of(1970, 1, 1);

    private final Writer out;
    private final Amounts amounts = new Amounts();
    /** Mapped names of the chart's accounts (the chart is small; entries only use its accounts). */
    private final Map<String, String> names = new HashMap<>();

    public BeancountWriter(Writer out) {
        this.out = out;
    }

    @Override
    public void begin(ExportHeader header) throws IOException {
        out.write("; Moneytrail ledger export for Beancount\n");
        out.write("; entries effective " + header.from() + " to " + header.toInclusive()
                + " inclusive (UTC dates), generated " + header.generatedAt() + "\n");
        out.write("; account names: assets:psp:sandbox -> Assets:Psp:Sandbox, customer_advances -> Customer-Advances\n");
        out.write("option \"title\" " + Text.quoted("Moneytrail ledger " + header.from() + " to "
                + header.toInclusive()) + "\n\n");
        LocalDate opened = header.from().isBefore(OPEN_DATE) ? header.from() : OPEN_DATE;
        for (Account account : header.accounts()) {
            out.write(opened + " open " + name(account.code()) + "\n");
            out.write("  code: " + Text.quoted(account.code()) + "\n");
            out.write("  name: " + Text.quoted(account.name()) + "\n");
        }
        for (String currency : header.currencies()) {
            out.write(opened + " commodity " + currency + "\n");
        }
    }

    @Override
    public void entry(JournalEntry entry) throws IOException {
        StringBuilder text = new StringBuilder(256);
        text.append('\n').append(LocalDate.ofInstant(entry.effectiveAt(), ZoneOffset.UTC)).append(" * ")
                .append(Text.quoted(entry.description())).append('\n');
        meta(text, "entry_id", entry.id());
        meta(text, "source", entry.sourceType() + ":" + entry.sourceId());
        meta(text, "order_id", entry.orderId());
        meta(text, "recorded_at", entry.recordedAt().toString());
        meta(text, "reverses", entry.reverses());
        meta(text, "actor", entry.actor());
        meta(text, "reason", entry.reason());
        for (JournalEntry.Line line : entry.lines()) {
            text.append("  ").append(name(line.account())).append("  ")
                    .append(amounts.major(line.amountMinor(), line.currency())).append(' ').append(line.currency())
                    .append('\n');
        }
        out.write(text.toString());
    }

    private String name(String code) {
        return names.computeIfAbsent(code, BeancountAccounts::name);
    }

    private static void meta(StringBuilder text, String key, String value) {
        if (value != null) {
            text.append("  ").append(key).append(": ").append(Text.quoted(value)).append('\n');
        }
    }

    @Override
    public void end(long entries, long lines) throws IOException {
        out.write("\n; end of export: " + entries + " entries, " + lines + " postings\n");
        out.flush();
    }
}
