package io.moneytrail.reconciliation.report;

import io.moneytrail.money.CsvCells;
import io.moneytrail.money.Money;
import io.moneytrail.reconciliation.AuditOutcome;
import io.moneytrail.reconciliation.Discrepancy;
import io.moneytrail.reconciliation.Leg;
import io.moneytrail.reconciliation.MatchRule;
import io.moneytrail.reconciliation.MatchSink;
import io.moneytrail.reconciliation.UnusableInputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes an audit's files: report.html (people), report.json and discrepancies.csv (tools), matches.csv (the trail). */
public final class AuditReports {

    static final String[] DISCREPANCY_COLUMNS = {"class", "severity", "leg", "order_id", "provider_payment_id",
        "provider_charge_id", "provider_refund_id", "payout_id", "bank_ref", "currency", "ours", "theirs",
        "theirs_currency", "difference", "rule", "explanation", "source"};

    private AuditReports() {
    }

    public static void write(AuditOutcome outcome, Path outDir) {
        try {
            writeCsv(outcome, outDir.resolve("discrepancies.csv"));
            try (OutputStream out = Files.newOutputStream(outDir.resolve("report.json"))) {
                JsonReport.write(outcome, out);
            }
            try (Writer out = Files.newBufferedWriter(outDir.resolve("report.html"), StandardCharsets.UTF_8)) {
                HtmlReport.write(outcome, out);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new UnusableInputException(outDir.toString(), "cannot write the reports: " + e.getMessage());
        }
    }

    private static void writeCsv(AuditOutcome outcome, Path file) throws IOException {
        Amounts amounts = new Amounts();
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(DISCREPANCY_COLUMNS).get())) {
            for (Discrepancy d : outcome.result().discrepancies()) {
                csv.printRecord(CsvCells.row(d.kind().wireName(), d.kind().severity().wireName(),
                        d.kind().leg().wireName(), d.orderId(), d.providerPaymentId(), d.providerChargeId(),
                        d.providerRefundId(), d.payoutId(), d.bankRef(), d.currency(),
                        amounts.decimal(d.oursMinor(), d.currency()),
                        amounts.decimal(d.theirsMinor(), d.theirsCurrency() != null ? d.theirsCurrency() : d.currency()),
                        d.theirsCurrency(), amounts.decimal(d.differenceMinor(), d.currency()), d.rule(),
                        d.explanation(), d.source()));
            }
        }
    }

    public static MatchesWriter matchesWriter(Path file) {
        try {
            return new MatchesWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UnusableInputException(file.toString(), "cannot be written: " + e.getMessage());
        }
    }

    /**
     * matches.csv: one line per pairing, {@code leg,rule,ours,theirs}, written as matching runs;
     * the ids come from the files, so they are neutralised like every CSV cell ({@link CsvCells}).
     */
    public static final class MatchesWriter implements MatchSink, AutoCloseable {
        private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n')
                .setHeader("leg", "rule", "ours", "theirs").get();

        private final CSVPrinter out;

        MatchesWriter(BufferedWriter out) {
            try {
                this.out = new CSVPrinter(out, FORMAT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void matched(Leg leg, MatchRule rule, String ours, String theirs) {
            try {
                out.printRecord(CsvCells.row(leg.wireName(), rule.wireName(), ours, theirs));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Minor units to major-unit text, exponent per currency cached. */
    static final class Amounts {
        private final Map<String, Integer> exponents = new HashMap<>();

        String major(Long minor, String currency) {
            if (minor == null || currency == null) {
                return null;
            }
            BigDecimal decimal = decimal(minor, currency);
            return decimal == null ? null : decimal.toPlainString();
        }

        /** The amount as a number, for a CSV amount column. */
        BigDecimal decimal(Long minor, String currency) {
            if (minor == null || currency == null) {
                return null;
            }
            int exponent = exponents.computeIfAbsent(currency, c -> Money.currency(c).getDefaultFractionDigits());
            return BigDecimal.valueOf(minor, exponent);
        }
    }
}
