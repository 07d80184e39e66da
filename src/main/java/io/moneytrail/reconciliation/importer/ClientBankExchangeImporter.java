package io.moneytrail.reconciliation.importer;

import io.moneytrail.reconciliation.BankEntry;
import io.moneytrail.reconciliation.ImportLimits;
import io.moneytrail.reconciliation.ImportProblem;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.Progress;
import io.moneytrail.reconciliation.StatementPeriod;
import io.moneytrail.reconciliation.UnusableInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * 1CClientBankExchange, the Russian client-bank text format ({@code ВерсияФормата=1.03}):
 * {@code Key=Value} lines; a header with {@code Кодировка}, {@code РасчСчет} (our accounts),
 * account sections {@code СекцияРасчСчет … КонецРасчСчет}, documents
 * {@code СекцияДокумент=… КонецДокумента}, and {@code КонецФайла} at the end. There is no
 * maintained Java parser; this one is strict and streams one document at a time.
 *
 * <p>Encoding: a UTF-8 byte-order mark means UTF-8; otherwise the header's {@code Кодировка=}
 * decides ({@code Windows} = Windows-1251, {@code UTF-8}/{@code UTF8}, {@code DOS} = CP866).
 * A file whose bytes contradict its declaration (e.g. says {@code Windows} but is UTF-8) is
 * refused. A document is money in when {@code ПолучательСчет} is one of our accounts (or,
 * failing that, it has {@code ДатаПоступило}), money out when {@code ПлательщикСчет} is ours
 * (or it has {@code ДатаСписано}). Amounts ({@code Сумма}) use a dot; the currency is RUB.
 *
 * <p>The period is the header's (and the account sections') {@code ДатаНачала} to
 * {@code ДатаКонца}: the interval the bank says it sent every document of. The counterparty of a
 * credit is the payer ({@code ПлательщикСчет}, {@code ПлательщикИНН}, {@code Плательщик1} or
 * {@code Плательщик} without its leading {@code ИНН …}), of a debit the payee ({@code Получатель…}).
 */
public final class ClientBankExchangeImporter {

    static final String FIRST_LINE = "1CClientBankExchange";
    private static final String ENCODING_KEY = "Кодировка=";
    private static final int PEEK_BYTES = 8192;
    private static final Charset WINDOWS_1251 = Charset.forName("windows-1251");
    private static final Charset CP866 = Charset.forName("IBM866");

    private final ImportLimits limits;

    public ClientBankExchangeImporter(ImportLimits limits) {
        this.limits = limits;
    }

    public ImportSummary read(Path file, Consumer<BankEntry> entries, Consumer<ImportProblem> problemListener,
                              Progress progress) {
        try (Input input = Input.open(file, limits, progress)) {
            Charset charset = detect(input);
            BoundedLineReader reader = charset == StandardCharsets.UTF_8 ? input.utf8() : input.text(charset);
            Problems problems = new Problems(input.name, limits.problemsKeptMax(), problemListener);
            long[] counts = new long[2];
            LocalDate[] period = new LocalDate[2];
            try {
                parse(input, reader, entries, problems, counts, period);
            } catch (IOException e) {
                throw input.failure(e, charset.name());
            }
            input.finished(progress);
            if (period[0] != null && period[1] != null && period[0].isAfter(period[1])) {
                throw new UnusableInputException(input.name, "ДатаНачала " + period[0] + " is after ДатаКонца " + period[1]);
            }
            return problems.summary("1c", counts[0], counts[1], input.size, period[1] == null ? null
                    : new StatementPeriod(period[0], period[1], "1CClientBankExchange ДатаКонца"));
        }
    }

    /** Decides the encoding from the first bytes, before any text is decoded. */
    static Charset detect(Input input) {
        InputStream bytes = input.bytes();
        byte[] head;
        try {
            bytes.mark(PEEK_BYTES);
            head = bytes.readNBytes(PEEK_BYTES);
            bytes.reset();
        } catch (IOException e) {
            throw new UnusableInputException(input.name, "cannot be read: " + e.getMessage());
        }
        boolean bom = head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF;
        int start = bom ? 3 : 0;
        byte[] first = FIRST_LINE.getBytes(StandardCharsets.US_ASCII);
        if (head.length < start + first.length || !java.util.Arrays.equals(head, start, start + first.length, first, 0,
                first.length)) {
            throw new UnusableInputException(input.name, 1, "not a 1CClientBankExchange file: the first line must be "
                    + FIRST_LINE);
        }
        String declaredUtf8 = declared(head, StandardCharsets.UTF_8);
        String declaredWindows = declared(head, WINDOWS_1251);
        if (bom) {
            if (declaredUtf8 != null && !isUtf8Name(declaredUtf8)) {
                throw new UnusableInputException(input.name, "starts with a UTF-8 byte-order mark but declares Кодировка="
                        + declaredUtf8);
            }
            return StandardCharsets.UTF_8;
        }
        if (declaredUtf8 != null) {
            if (isUtf8Name(declaredUtf8)) {
                return StandardCharsets.UTF_8;
            }
            throw new UnusableInputException(input.name, "declares Кодировка=" + declaredUtf8
                    + " but is written in UTF-8: re-export it in the declared encoding or declare UTF-8");
        }
        if (declaredWindows != null) {
            switch (declaredWindows.toLowerCase(java.util.Locale.ROOT)) {
                case "windows":
                    return WINDOWS_1251;
                case "dos":
                    return CP866;
                default:
                    if (isUtf8Name(declaredWindows)) {
                        throw new UnusableInputException(input.name, "declares Кодировка=" + declaredWindows
                                + " but is not written in UTF-8 (Windows-1251?)");
                    }
                    throw new UnusableInputException(input.name, "Кодировка=" + declaredWindows
                            + " is not supported (Windows, DOS or UTF-8)");
            }
        }
        if (new String(head, StandardCharsets.ISO_8859_1).contains("=Windows")
                || new String(head, StandardCharsets.ISO_8859_1).contains("=DOS")) {
            throw new UnusableInputException(input.name, "has a Кодировка line in neither Windows-1251 nor UTF-8 (CP866?)");
        }
        throw new UnusableInputException(input.name, "has no Кодировка= line in its header");
    }

    private static boolean isUtf8Name(String value) {
        String v = value.toLowerCase(java.util.Locale.ROOT);
        return v.equals("utf-8") || v.equals("utf8");
    }

    /** The value of {@code Кодировка=} if the head contains the key encoded in {@code charset}. */
    private static String declared(byte[] head, Charset charset) {
        byte[] key = ENCODING_KEY.getBytes(charset);
        outer:
        for (int i = 0; i + key.length <= head.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (head[i + j] != key[j]) {
                    continue outer;
                }
            }
            int end = i + key.length;
            while (end < head.length && head[end] != '\r' && head[end] != '\n') {
                end++;
            }
            return new String(head, i + key.length, end - i - key.length, StandardCharsets.US_ASCII).strip();
        }
        return null;
    }

    private void parse(Input input, BoundedLineReader reader, Consumer<BankEntry> entries, Problems problems,
                       long[] counts, LocalDate[] period) throws IOException {
        Set<String> ourAccounts = new HashSet<>();
        Map<String, String> document = null;
        long documentLine = 0;
        boolean inAccountSection = false;
        boolean ended = false;
        String line = reader.readLine();
        if (line != null && line.startsWith("\uFEFF")) {
            line = line.substring(1);
        }
        if (line == null || !line.strip().equals(FIRST_LINE)) {
            throw new UnusableInputException(input.name, 1, "not a 1CClientBankExchange file");
        }
        while ((line = reader.readLine()) != null) {
            long number = reader.line() - 1;
            String text = line.strip();
            if (text.isEmpty()) {
                continue;
            }
            if (ended) {
                throw new UnusableInputException(input.name, number, "text after КонецФайла");
            }
            int eq = text.indexOf('=');
            String key = eq < 0 ? text : text.substring(0, eq).strip();
            String value = eq < 0 ? "" : text.substring(eq + 1).strip();
            if (document != null) {
                if (key.equals("КонецДокумента")) {
                    emit(document, documentLine, ourAccounts, entries, problems, counts);
                    document = null;
                } else if (key.equals("СекцияДокумент") || key.equals("КонецФайла")) {
                    throw new UnusableInputException(input.name, number, "document from line " + documentLine
                            + " has no КонецДокумента");
                } else if (eq > 0 && document.size() < 200) {
                    document.put(key, value);
                }
                continue;
            }
            switch (key) {
                case "СекцияДокумент":
                    document = new HashMap<>();
                    document.put(key, value);
                    documentLine = number;
                    break;
                case "СекцияРасчСчет":
                    inAccountSection = true;
                    break;
                case "КонецРасчСчет":
                    inAccountSection = false;
                    break;
                case "РасчСчет":
                    if (!inAccountSection) {
                        ourAccounts.add(value);
                    }
                    break;
                case "КонецФайла":
                    ended = true;
                    break;
                case "ДатаНачала": {
                    LocalDate day = headerDate(input, number, key, value);
                    period[0] = period[0] == null || day.isBefore(period[0]) ? day : period[0];
                    break;
                }
                case "ДатаКонца": {
                    LocalDate day = headerDate(input, number, key, value);
                    period[1] = period[1] == null || day.isAfter(period[1]) ? day : period[1];
                    break;
                }
                default:
                    if (eq < 0) {
                        throw new UnusableInputException(input.name, number, "'" + text + "' is not Key=Value");
                    }
                    break;
            }
        }
        if (document != null) {
            throw new UnusableInputException(input.name, documentLine, "document has no КонецДокумента (file cut short?)");
        }
        if (!ended) {
            throw new UnusableInputException(input.name, reader.line(), "has no КонецФайла (file cut short?)");
        }
    }

    private static LocalDate headerDate(Input input, long line, String key, String value) {
        try {
            return Times.dayMonthYear(key, value);
        } catch (RowProblem problem) {
            throw new UnusableInputException(input.name, line, problem.getMessage());
        }
    }

    /** A name as 1C writes it in {@code Плательщик}: {@code ИНН 7750005725 НКО "ЮМани" (ООО)} names the payer after the INN. */
    private static String name(String full) {
        if (full == null || full.isBlank()) {
            return null;
        }
        String name = full.strip().replaceFirst("^ИНН\\s+\\d+\\s+", "");
        return name.isEmpty() ? null : name;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static void emit(Map<String, String> d, long line, Set<String> ourAccounts, Consumer<BankEntry> entries,
                             Problems problems, long[] counts) {
        try {
            String number = d.getOrDefault("Номер", "");
            String dateText = d.get("Дата");
            if (dateText == null || dateText.isEmpty()) {
                throw new RowProblem("document has no Дата");
            }
            LocalDate date = Times.dayMonthYear("Дата", dateText);
            long minor = Amounts.parseMinor("Сумма", d.get("Сумма"), 2);
            if (minor <= 0) {
                throw new RowProblem("Сумма must be positive");
            }
            String in = d.getOrDefault("ДатаПоступило", "");
            String out = d.getOrDefault("ДатаСписано", "");
            boolean credit;
            if (ourAccounts.contains(d.getOrDefault("ПолучательСчет", ""))) {
                credit = true;
            } else if (ourAccounts.contains(d.getOrDefault("ПлательщикСчет", ""))) {
                credit = false;
            } else if (!in.isEmpty()) {
                credit = true;
            } else if (!out.isEmpty()) {
                credit = false;
            } else {
                throw new RowProblem("cannot tell money in from money out: neither account is in the header's РасчСчет "
                        + "and there is no ДатаПоступило or ДатаСписано");
            }
            String bookedText = credit ? in : out;
            LocalDate booked = bookedText.isEmpty() ? date : Times.dayMonthYear(credit ? "ДатаПоступило" : "ДатаСписано",
                    bookedText);
            String counterparty = credit ? d.getOrDefault("Плательщик", d.getOrDefault("Плательщик1", ""))
                    : d.getOrDefault("Получатель", d.getOrDefault("Получатель1", ""));
            String details = (d.getOrDefault("НазначениеПлатежа", "") + " " + counterparty).strip();
            String side = credit ? "Плательщик" : "Получатель";
            String partyName = d.containsKey(side + "1") ? blankToNull(d.get(side + "1")) : name(d.get(side));
            entries.accept(new BankEntry(number + "/" + dateText, minor, "RUB", credit, booked, booked, details, 1,
                    false, line, blankToNull(d.get(side + "Счет")), blankToNull(d.get(side + "ИНН")), partyName));
            counts[0]++;
        } catch (RowProblem problem) {
            counts[1]++;
            problems.add(line, problem.getMessage());
        }
    }
}
