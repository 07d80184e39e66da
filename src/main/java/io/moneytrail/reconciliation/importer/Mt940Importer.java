package io.moneytrail.reconciliation.importer;

import io.moneytrail.reconciliation.BankEntry;
import io.moneytrail.reconciliation.ImportLimits;
import io.moneytrail.reconciliation.ImportProblem;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.Progress;
import io.moneytrail.reconciliation.StatementPeriod;
import io.moneytrail.reconciliation.UnusableInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SWIFT MT940 customer statements, read line by line with a strict parser of our own (Prowide's
 * pw-swift-core parses whole messages into memory; this reads one field at a time). One file
 * may hold several statements, with or without the {@code {1:…}{2:…}{4:} … -}} block frame.
 *
 * <p>{@code :61:} is {@code 6!n[4!n]2a[1!a]15d1!a3!c16x[//16x]} on its first line, with
 * optional supplementary details ({@code 34x}) on the next: value date YYMMDD, entry date
 * MMDD, mark {@code C}, {@code D}, {@code RC} or {@code RD}, funds code, amount with a decimal
 * comma, transaction type ({@code N}, {@code S} or {@code F} and three characters), the
 * account owner's reference, the bank's reference. The {@code :86:} that follows is the
 * entry's details. The currency comes from {@code :60F:}/{@code :60M:}. A broken {@code :61:}
 * is a row problem with its line; the rest of the file is still read. Text is UTF-8 (which
 * covers SWIFT's ASCII character set).
 *
 * <p>The period: the {@code :62F:} closing balance's date is the last day a statement covers
 * (the latest of them in a file of several); the {@code :60F:} opening balance's date its first.
 * The counterparty comes from a structured {@code :86:} where there is one: the German
 * {@code ?31} account and {@code ?32}/{@code ?33} name subfields, or the {@code /ACCT/},
 * {@code /IBAN/} and {@code /NAME/} codes.
 */
public final class Mt940Importer {

    private static final Pattern TAG = Pattern.compile("^:(\\d{2}[A-Z]?):(.*)$");
    private static final Pattern BALANCE = Pattern.compile("^([CD])(\\d{6})([A-Z]{3})(\\d{1,12},\\d{0,2})$");
    private static final Pattern AMOUNT = Pattern.compile("^\\d{1,12},\\d{0,2}");

    private final ImportLimits limits;

    public Mt940Importer(ImportLimits limits) {
        this.limits = limits;
    }

    public ImportSummary read(Path file, Consumer<BankEntry> entries, Consumer<ImportProblem> problemListener,
                              Progress progress) {
        try (Input input = Input.open(file, limits, progress)) {
            BoundedLineReader reader = input.utf8();
            Problems problems = new Problems(input.name, limits.problemsKeptMax(), problemListener);
            State state = new State(input, entries, problems);
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    state.line(line, reader.line() - 1);
                }
                state.flushField();
                state.flushEntry();
            } catch (IOException e) {
                throw input.failure(e, "UTF-8");
            }
            if (!state.sawStatement) {
                throw new UnusableInputException(input.name, "not an MT940 statement: no :20: or :25: field found");
            }
            input.finished(progress);
            StatementPeriod period = state.closing == null ? null : new StatementPeriod(
                    state.opening != null && !state.opening.isAfter(state.closing) ? state.opening : null,
                    state.closing, "MT940 :62F:");
            return problems.summary("mt940", state.accepted, state.rejected, input.size, period);
        }
    }

    private final class State {
        final Input input;
        final Consumer<BankEntry> entries;
        final Problems problems;
        final Currencies currencies = new Currencies();
        String tag;
        long tagLine;
        final StringBuilder value = new StringBuilder();
        String currency;
        boolean sawStatement;
        Pending pending;
        LocalDate opening;
        LocalDate closing;
        long accepted;
        long rejected;

        State(Input input, Consumer<BankEntry> entries, Problems problems) {
            this.input = input;
            this.entries = entries;
            this.problems = problems;
        }

        void line(String raw, long lineNumber) {
            String line = raw;
            if (line.startsWith("{")) {
                int block4 = line.indexOf("{4:");
                if (block4 < 0) {
                    return; // basic/application header blocks
                }
                line = line.substring(block4 + 3);
                if (line.isEmpty()) {
                    return;
                }
            }
            if (line.startsWith("-}") || line.equals("-")) {
                flushField();
                flushEntry();
                tag = null;
                return;
            }
            Matcher m = TAG.matcher(line);
            if (m.matches()) {
                flushField();
                tag = m.group(1);
                tagLine = lineNumber;
                value.setLength(0);
                value.append(m.group(2));
            } else if (tag != null) {
                if (value.length() + line.length() > limits.lineCharsMax()) {
                    throw new UnusableInputException(input.name, lineNumber, "field :" + tag + ": is too long");
                }
                value.append('\n').append(line);
            } else if (!line.isBlank()) {
                throw new UnusableInputException(input.name, lineNumber, "not an MT940 statement: text before the first field");
            }
        }

        void flushField() {
            if (tag == null) {
                return;
            }
            String text = value.toString();
            switch (tag) {
                case "20":
                case "25":
                    sawStatement = true;
                    flushEntry();
                    break;
                case "60F":
                case "60M": {
                    flushEntry();
                    Matcher m = BALANCE.matcher(text.strip());
                    if (!m.matches()) {
                        throw new UnusableInputException(input.name, tagLine, ":" + tag + ": '" + text.strip()
                                + "' is not a balance like C260601EUR1000,00");
                    }
                    currency = m.group(3);
                    if (tag.equals("60F")) {
                        LocalDate day = balanceDate(m.group(2));
                        opening = opening == null || day.isBefore(opening) ? day : opening;
                    }
                    break;
                }
                case "62F": {
                    flushEntry();
                    Matcher m = BALANCE.matcher(text.strip());
                    if (!m.matches()) {
                        throw new UnusableInputException(input.name, tagLine, ":62F: '" + text.strip()
                                + "' is not a closing balance like C260531EUR1519,63");
                    }
                    LocalDate day = balanceDate(m.group(2));
                    closing = closing == null || day.isAfter(closing) ? day : closing;
                    break;
                }
                case "61":
                    flushEntry();
                    pending = new Pending(tagLine, text);
                    break;
                case "86":
                    if (pending != null && pending.details == null) {
                        pending.raw86 = text;
                        pending.details = text.replace('\n', ' ').strip();
                    }
                    break;
                default:
                    flushEntry();
                    break;
            }
            tag = null;
        }

        private LocalDate balanceDate(String yymmdd) {
            try {
                return LocalDate.of(2000 + Integer.parseInt(yymmdd.substring(0, 2)),
                        Integer.parseInt(yymmdd.substring(2, 4)), Integer.parseInt(yymmdd.substring(4, 6)));
            } catch (DateTimeException e) {
                throw new UnusableInputException(input.name, tagLine, ":" + tag + ": date '" + yymmdd
                        + "' is not a date YYMMDD");
            }
        }

        void flushEntry() {
            if (pending == null) {
                return;
            }
            Pending entry = pending;
            pending = null;
            try {
                entries.accept(parse61(entry));
                accepted++;
            } catch (RowProblem problem) {
                rejected++;
                problems.add(entry.line, problem.getMessage());
            }
        }

        private BankEntry parse61(Pending entry) {
            if (currency == null) {
                throw new RowProblem(":61: before any :60F:/:60M: opening balance (no currency)");
            }
            String[] lines = entry.text.split("\n", 2);
            String s = lines[0];
            String supplementary = lines.length > 1 ? lines[1].strip() : "";
            int p = 0;
            if (s.length() < 6 || !digits(s, 0, 6)) {
                throw new RowProblem(":61: must start with the value date YYMMDD: '" + s + "'");
            }
            LocalDate valueDate;
            try {
                valueDate = LocalDate.of(2000 + Integer.parseInt(s.substring(0, 2)), Integer.parseInt(s.substring(2, 4)),
                        Integer.parseInt(s.substring(4, 6)));
            } catch (DateTimeException e) {
                throw new RowProblem(":61: value date '" + s.substring(0, 6) + "' is not a date");
            }
            p = 6;
            LocalDate entryDate = valueDate;
            if (s.length() >= p + 4 && digits(s, p, 4)) {
                try {
                    entryDate = LocalDate.of(valueDate.getYear(), Integer.parseInt(s.substring(p, p + 2)),
                            Integer.parseInt(s.substring(p + 2, p + 4)));
                } catch (DateTimeException e) {
                    throw new RowProblem(":61: entry date '" + s.substring(p, p + 4) + "' is not a date MMDD");
                }
                if (entryDate.isAfter(valueDate.plusMonths(6))) {
                    entryDate = entryDate.minusYears(1); // booked in December, valued in January
                } else if (entryDate.isBefore(valueDate.minusMonths(6))) {
                    entryDate = entryDate.plusYears(1);
                }
                p += 4;
            }
            boolean credit;
            boolean reversal = false;
            if (s.startsWith("RC", p) || s.startsWith("RD", p)) {
                reversal = true;
                credit = s.charAt(p + 1) == 'C';
                p += 2;
            } else if (s.startsWith("C", p) || s.startsWith("D", p)) {
                credit = s.charAt(p) == 'C';
                p += 1;
            } else {
                throw new RowProblem(":61: debit/credit mark must be C, D, RC or RD at position " + (p + 1) + ": '" + s + "'");
            }
            if (p < s.length() && Character.isLetter(s.charAt(p))) {
                p++; // funds code (third character of the currency), not needed
            }
            Matcher amount = AMOUNT.matcher(s.substring(p));
            if (!amount.find()) {
                throw new RowProblem(":61: amount must be digits with a decimal comma (e.g. 1500,00) at position "
                        + (p + 1) + ": '" + s + "'");
            }
            String amountText = amount.group();
            long minor = Amounts.parseMinor(":61: amount", amountText, currencies.exponent(currencies.code(currency)), ',');
            p += amountText.length();
            if (s.length() < p + 4 || "NSF".indexOf(s.charAt(p)) < 0) {
                throw new RowProblem(":61: transaction type (N, S or F and three characters) missing at position "
                        + (p + 1) + ": '" + s + "'");
            }
            p += 4;
            String references = s.substring(p);
            String ownerRef = references;
            String bankRef = null;
            int slashes = references.indexOf("//");
            if (slashes >= 0) {
                ownerRef = references.substring(0, slashes);
                bankRef = references.substring(slashes + 2).strip();
            }
            if (ownerRef.isEmpty() || ownerRef.length() > 16) {
                throw new RowProblem(":61: reference for the account owner must be 1 to 16 characters: '" + ownerRef + "'");
            }
            if (bankRef != null && bankRef.length() > 16) {
                throw new RowProblem(":61: bank reference must be at most 16 characters: '" + bankRef + "'");
            }
            String details = String.join(" ", ownerRef.equals("NONREF") ? "" : ownerRef, supplementary,
                    entry.details == null ? "" : entry.details).strip().replaceAll("\\s+", " ");
            String ref = bankRef != null && !bankRef.isEmpty() ? bankRef : ownerRef;
            String[] party = counterparty(entry.raw86);
            return new BankEntry(ref, minor, currencies.code(currency), credit, entryDate, valueDate, details, 1,
                    reversal, entry.line, party[0], null, party[1]);
        }
    }

    private static boolean digits(String s, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static final Pattern GERMAN_SUBFIELD = Pattern.compile("\\?(\\d{2})([^?]*)");
    private static final Pattern SLASH_CODE = Pattern.compile("/(ACCT|IBAN|NAME)/([^/]*)");

    /**
     * Account and name of the other side from a structured {@code :86:}: German {@code ?31} (account)
     * and {@code ?32}/{@code ?33} (name) after a three-digit transaction code, or {@code /ACCT/},
     * {@code /IBAN/} and {@code /NAME/}. Unstructured text names no one: both null.
     */
    static String[] counterparty(String raw86) {
        String account = null;
        String name = null;
        if (raw86 == null) {
            return new String[2];
        }
        String text = raw86.replace("\n", "");
        if (text.length() > 4 && digits(text, 0, 3) && text.charAt(3) == '?') {
            StringBuilder names = new StringBuilder();
            Matcher m = GERMAN_SUBFIELD.matcher(text.substring(3));
            while (m.find()) {
                switch (m.group(1)) {
                    case "31": account = m.group(2).strip(); break;
                    case "32": case "33": names.append(m.group(2).strip()).append(' '); break;
                    default: break;
                }
            }
            name = names.length() == 0 ? null : names.toString().strip();
        } else {
            Matcher m = SLASH_CODE.matcher(text);
            while (m.find()) {
                String value = m.group(2).strip();
                if (value.isEmpty()) {
                    continue;
                }
                if (m.group(1).equals("NAME")) {
                    name = name == null ? value : name;
                } else {
                    account = account == null ? value : account;
                }
            }
        }
        return new String[] {account == null || account.isEmpty() ? null : account, name};
    }

    /** A :61: waiting for its :86:. */
    private static final class Pending {
        final long line;
        final String text;
        String details;
        String raw86;

        Pending(long line, String text) {
            this.line = line;
            this.text = text;
        }
    }
}
