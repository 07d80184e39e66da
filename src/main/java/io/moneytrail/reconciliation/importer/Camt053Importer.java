package io.moneytrail.reconciliation.importer;

import io.moneytrail.reconciliation.BankEntry;
import io.moneytrail.reconciliation.ImportLimits;
import io.moneytrail.reconciliation.ImportProblem;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.Progress;
import io.moneytrail.reconciliation.StatementPeriod;
import io.moneytrail.reconciliation.UnusableInputException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * ISO 20022 camt.053 bank-to-customer statements, versions {@code camt.053.001.02} and
 * {@code camt.053.001.08}, read with the JDK's StAX parser one {@code Ntry} at a time.
 *
 * <p>Why not Prowide's pw-iso20022: it binds the whole document to a JAXB model in memory, and
 * a statement of a busy account is large; streaming matters more here than a typed model, and
 * the few paths we read are stable across versions. The one difference we meet: {@code Sts} is
 * plain text ({@code BOOK}) in .02 and {@code <Sts><Cd>BOOK</Cd></Sts>} in .08.
 *
 * <p>Safety: DTDs and external entities are off, and a document with a DOCTYPE is refused
 * outright (no entity expansion, so no XML bomb). Only booked entries ({@code BOOK}) are
 * passed on; pending ones are skipped.
 *
 * <p>The period each {@code Stmt} covers is read from its own header: {@code FrToDt/FrDtTm} and
 * {@code FrToDt/ToDtTm}, and the dates of its balances ({@code Bal/Tp/CdOrPrtry/Cd} {@code OPBD}
 * or {@code PRCD} opens it, {@code CLBD} closes it); the last day is the later of {@code ToDtTm} and
 * the closing balance's date. The counterparty of an entry is its first {@code TxDtls/RltdPties}:
 * the debtor of a credit, the creditor of a debit ({@code Nm} or {@code Pty/Nm}, the account's
 * {@code Id/IBAN} or {@code Id/Othr/Id}, and {@code Id/OrgId/Othr/Id} as the tax id).
 */
public final class Camt053Importer {

    static final String NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:";
    static final List<String> VERSIONS = List.of("camt.053.001.02", "camt.053.001.08");
    /** Depth of {@code Document/BkToCstmrStmt/Stmt}. */
    private static final int STMT_DEPTH = 3;
    private static final int DEPTH_MAX = 64;

    private final ImportLimits limits;

    public Camt053Importer(ImportLimits limits) {
        this.limits = limits;
    }

    static XMLInputFactory safeFactory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    public ImportSummary read(Path file, Consumer<BankEntry> entries, Consumer<ImportProblem> problemListener,
                              Progress progress) {
        try (Input input = Input.open(file, limits, progress)) {
            Problems problems = new Problems(input.name, limits.problemsKeptMax(), problemListener);
            long[] counts = new long[2];
            StatementPeriod[] period = new StatementPeriod[1];
            XMLStreamReader xml = null;
            try {
                xml = safeFactory().createXMLStreamReader(input.bytes());
                read(input, xml, entries, problems, counts, period);
            } catch (XMLStreamException e) {
                long line = e.getLocation() == null ? 0 : e.getLocation().getLineNumber();
                String message = e.getMessage() == null ? "malformed XML" : e.getMessage().replaceAll("\\s+", " ");
                int detail = message.indexOf("Message: ");
                throw new UnusableInputException(input.name, line, "not well-formed XML: "
                        + (detail >= 0 ? message.substring(detail + 9) : message));
            } finally {
                if (xml != null) {
                    try {
                        xml.close();
                    } catch (XMLStreamException ignored) {
                        // closing after the end
                    }
                }
            }
            input.finished(progress);
            return problems.summary("camt053", counts[0], counts[1], input.size, period[0]);
        }
    }

    private void read(Input input, XMLStreamReader xml, Consumer<BankEntry> entries, Problems problems, long[] counts,
                      StatementPeriod[] period) throws XMLStreamException {
        String version = null;
        List<String> path = new ArrayList<>();
        int entryDepth = -1;
        Entry entry = null;
        Header header = null;
        StringBuilder text = new StringBuilder();
        Currencies currencies = new Currencies();
        while (xml.hasNext()) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.DTD:
                    throw new UnusableInputException(input.name, xml.getLocation().getLineNumber(),
                            "has a DOCTYPE: DTDs and entity declarations are not allowed in a bank statement");
                case XMLStreamConstants.ENTITY_REFERENCE:
                    throw new UnusableInputException(input.name, xml.getLocation().getLineNumber(),
                            "uses an entity reference (&" + xml.getLocalName() + ";): not allowed");
                case XMLStreamConstants.START_ELEMENT: {
                    String name = xml.getLocalName();
                    if (path.isEmpty()) {
                        version = version(input, xml);
                    }
                    path.add(name);
                    if (path.size() > DEPTH_MAX) {
                        throw new UnusableInputException(input.name, xml.getLocation().getLineNumber(),
                                "nests elements deeper than " + DEPTH_MAX);
                    }
                    text.setLength(0);
                    if (name.equals("Stmt") && path.size() == STMT_DEPTH) {
                        header = new Header();
                    }
                    if (name.equals("Ntry") && entry == null && path.size() >= 3
                            && path.get(path.size() - 2).equals("Stmt")) {
                        entry = new Entry(xml.getLocation().getLineNumber());
                        entryDepth = path.size();
                    } else if (entry != null && name.equals("Amt") && path.size() == entryDepth + 1) {
                        entry.currency = xml.getAttributeValue(null, "Ccy");
                    } else if (entry != null && name.equals("TxDtls")) {
                        entry.transactions++;
                    }
                    break;
                }
                case XMLStreamConstants.CHARACTERS:
                case XMLStreamConstants.CDATA:
                case XMLStreamConstants.SPACE:
                    if (entry != null || header != null) {
                        if (text.length() + xml.getTextLength() > limits.lineCharsMax()) {
                            throw new UnusableInputException(input.name, xml.getLocation().getLineNumber(),
                                    "has a text longer than " + limits.lineCharsMax() + " characters");
                        }
                        text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                    }
                    break;
                case XMLStreamConstants.END_ELEMENT: {
                    if (entry != null) {
                        if (path.size() == entryDepth) {
                            emit(entry, version, currencies, entries, problems, counts);
                            entry = null;
                            entryDepth = -1;
                        } else {
                            entry.field(String.join("/", path.subList(entryDepth, path.size())), text.toString().strip());
                        }
                    } else if (header != null) {
                        long line = xml.getLocation().getLineNumber();
                        if (path.size() == STMT_DEPTH) {
                            StatementPeriod own = header.period(input.name, line);
                            period[0] = own == null ? period[0] : own.union(period[0]);
                            header = null;
                        } else {
                            header.field(input.name, line, String.join("/", path.subList(STMT_DEPTH, path.size())),
                                    text.toString().strip());
                        }
                    }
                    path.remove(path.size() - 1);
                    text.setLength(0);
                    break;
                }
                default:
                    break;
            }
        }
        if (version == null) {
            throw new UnusableInputException(input.name, "is empty: expected a camt.053 Document");
        }
    }

    private static String version(Input input, XMLStreamReader xml) {
        String namespace = xml.getNamespaceURI();
        long line = xml.getLocation().getLineNumber();
        if (!xml.getLocalName().equals("Document") || namespace == null || !namespace.startsWith(NAMESPACE_PREFIX)) {
            throw new UnusableInputException(input.name, line, "not an ISO 20022 camt.053 statement: root element "
                    + xml.getLocalName() + " in namespace '" + (namespace == null ? "" : namespace) + "'");
        }
        String version = namespace.substring(NAMESPACE_PREFIX.length());
        if (!VERSIONS.contains(version)) {
            throw new UnusableInputException(input.name, line, (version.startsWith("camt.053.")
                    ? "camt.053 version " + version + " is not supported" : "foreign namespace " + namespace
                    + " (a " + version + " message, not a camt.053 statement)")
                    + "; supported: " + String.join(", ", VERSIONS));
        }
        return version;
    }

    private static void emit(Entry entry, String version, Currencies currencies, Consumer<BankEntry> entries,
                             Problems problems, long[] counts) {
        try {
            BankEntry parsed = entry.toBankEntry(version, currencies);
            if (parsed != null) {
                entries.accept(parsed);
            }
            counts[0]++;
        } catch (RowProblem problem) {
            counts[1]++;
            problems.add(entry.line, problem.getMessage());
        }
    }

    /** The fields of one {@code Ntry}, by path relative to it. */
    private static final class Entry {
        final long line;
        String currency;
        String amount;
        String creditDebit;
        String reversal;
        String statusText;
        String statusCode;
        String bookingDate;
        String valueDate;
        String servicerRef;
        String entryRef;
        String endToEndId;
        String batchCount;
        int transactions;
        String debtorName;
        String debtorAccount;
        String debtorTaxId;
        String creditorName;
        String creditorAccount;
        String creditorTaxId;
        final StringBuilder details = new StringBuilder();

        Entry(long line) {
            this.line = line;
        }

        void field(String path, String value) {
            switch (path) {
                case "Amt": amount = value; break;
                case "CdtDbtInd": creditDebit = value; break;
                case "RvslInd": reversal = value; break;
                case "Sts": statusText = value; break;
                case "Sts/Cd": statusCode = value; break;
                case "BookgDt/Dt": case "BookgDt/DtTm": bookingDate = value; break;
                case "ValDt/Dt": case "ValDt/DtTm": valueDate = value; break;
                case "AcctSvcrRef": servicerRef = value; break;
                case "NtryRef": entryRef = value; break;
                case "NtryDtls/Btch/NbOfTxs": batchCount = value; break;
                case "NtryDtls/TxDtls/Refs/EndToEndId":
                    if (endToEndId == null && !value.equals("NOTPROVIDED")) {
                        endToEndId = value;
                    }
                    break;
                case "AddtlNtryInf":
                case "NtryDtls/TxDtls/RmtInf/Ustrd":
                case "NtryDtls/TxDtls/RltdPties/Dbtr/Nm":
                case "NtryDtls/TxDtls/RltdPties/Dbtr/Pty/Nm":
                    debtorName = debtorName == null ? value : debtorName;
                    appendDetails(value);
                    break;
                case "NtryDtls/TxDtls/RltdPties/Cdtr/Nm":
                case "NtryDtls/TxDtls/RltdPties/Cdtr/Pty/Nm":
                    creditorName = creditorName == null ? value : creditorName;
                    break;
                case "NtryDtls/TxDtls/RltdPties/DbtrAcct/Id/IBAN":
                case "NtryDtls/TxDtls/RltdPties/DbtrAcct/Id/Othr/Id":
                    debtorAccount = debtorAccount == null ? value : debtorAccount;
                    break;
                case "NtryDtls/TxDtls/RltdPties/CdtrAcct/Id/IBAN":
                case "NtryDtls/TxDtls/RltdPties/CdtrAcct/Id/Othr/Id":
                    creditorAccount = creditorAccount == null ? value : creditorAccount;
                    break;
                case "NtryDtls/TxDtls/RltdPties/Dbtr/Id/OrgId/Othr/Id":
                case "NtryDtls/TxDtls/RltdPties/Dbtr/Pty/Id/OrgId/Othr/Id":
                    debtorTaxId = debtorTaxId == null ? value : debtorTaxId;
                    break;
                case "NtryDtls/TxDtls/RltdPties/Cdtr/Id/OrgId/Othr/Id":
                case "NtryDtls/TxDtls/RltdPties/Cdtr/Pty/Id/OrgId/Othr/Id":
                    creditorTaxId = creditorTaxId == null ? value : creditorTaxId;
                    break;
                case "NtryDtls/TxDtls/AddtlTxInf":
                    appendDetails(value);
                    break;
                default:
                    break;
            }
        }

        private void appendDetails(String value) {
            if (details.length() < 1_000) {
                if (details.length() > 0) {
                    details.append(' ');
                }
                details.append(value);
            }
        }

        BankEntry toBankEntry(String version, Currencies currencies) {
            String status = version.equals("camt.053.001.02") ? statusText : statusCode;
            if (status == null || status.isEmpty()) {
                throw new RowProblem("Ntry has no status (" + (version.equals("camt.053.001.02") ? "Sts" : "Sts/Cd")
                        + " for " + version + ")");
            }
            if (!status.equals("BOOK")) {
                return null; // pending or informational entries are not money yet
            }
            if (currency == null || currency.isEmpty()) {
                throw new RowProblem("Ntry/Amt has no Ccy attribute");
            }
            String code = currencies.code(currency);
            long minor = Amounts.parseMinor("Ntry/Amt", amount, currencies.exponent(code));
            if (minor <= 0) {
                throw new RowProblem("Ntry/Amt must be positive (the direction is CdtDbtInd)");
            }
            boolean credit;
            if ("CRDT".equals(creditDebit)) {
                credit = true;
            } else if ("DBIT".equals(creditDebit)) {
                credit = false;
            } else {
                throw new RowProblem("Ntry/CdtDbtInd '" + creditDebit + "' is not CRDT or DBIT");
            }
            if (bookingDate == null) {
                throw new RowProblem("Ntry has no BookgDt");
            }
            LocalDate booked = Times.isoDate("BookgDt", bookingDate);
            LocalDate valued = valueDate == null ? booked : Times.isoDate("ValDt", valueDate);
            int batch = 1;
            if (batchCount != null) {
                try {
                    batch = Integer.parseInt(batchCount);
                } catch (NumberFormatException e) {
                    throw new RowProblem("NtryDtls/Btch/NbOfTxs '" + batchCount + "' is not a number");
                }
            } else if (transactions > 1) {
                batch = transactions;
            }
            String ref = servicerRef != null ? servicerRef : entryRef != null ? entryRef : endToEndId;
            String text = (endToEndId != null ? endToEndId + " " : "") + details;
            return new BankEntry(ref == null ? "line " + line : ref, minor, code, credit, booked, valued, text.strip(),
                    batch, "true".equals(reversal), line, credit ? debtorAccount : creditorAccount,
                    credit ? debtorTaxId : creditorTaxId, credit ? debtorName : creditorName);
        }

    }

    /** A {@code Stmt}'s own fields, outside its entries: the period it covers and its balances' dates. */
    private static final class Header {
        LocalDate from;
        LocalDate to;
        LocalDate opening;
        LocalDate closing;
        String balanceCode;
        LocalDate balanceDate;

        void field(String file, long line, String path, String value) {
            switch (path) {
                case "FrToDt/FrDtTm": from = date(file, line, path, value); break;
                case "FrToDt/ToDtTm": to = date(file, line, path, value); break;
                case "Bal/Tp/CdOrPrtry/Cd": balanceCode = value; break;
                case "Bal/Dt/Dt": case "Bal/Dt/DtTm": balanceDate = date(file, line, path, value); break;
                case "Bal":
                    if (balanceDate != null && "CLBD".equals(balanceCode)) {
                        closing = closing == null || balanceDate.isAfter(closing) ? balanceDate : closing;
                    } else if (balanceDate != null && ("OPBD".equals(balanceCode) || "PRCD".equals(balanceCode))) {
                        opening = opening == null || balanceDate.isBefore(opening) ? balanceDate : opening;
                    }
                    balanceCode = null;
                    balanceDate = null;
                    break;
                default:
                    break;
            }
        }

        /** The period this statement declares, or null when it declares none. */
        StatementPeriod period(String file, long line) {
            LocalDate end = to == null ? closing : closing == null || to.isAfter(closing) ? to : closing;
            if (end == null) {
                return null;
            }
            LocalDate start = from != null ? from : opening;
            if (start != null && start.isAfter(end)) {
                throw new UnusableInputException(file, line, "Stmt covers " + start + " to " + end
                        + ": its start is after its end");
            }
            String source = "camt.053 " + (to != null && closing != null ? "FrToDt/ToDtTm and Bal CLBD"
                    : to != null ? "FrToDt/ToDtTm" : "Bal CLBD");
            return new StatementPeriod(start, end, source);
        }

        private static LocalDate date(String file, long line, String path, String value) {
            try {
                return Times.isoDate("Stmt/" + path, value);
            } catch (RowProblem problem) {
                throw new UnusableInputException(file, line, problem.getMessage());
            }
        }
    }
}
