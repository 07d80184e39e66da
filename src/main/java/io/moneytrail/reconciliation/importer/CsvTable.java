package io.moneytrail.reconciliation.importer;

import io.moneytrail.reconciliation.UnusableInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file read record by record with commons-csv: the header first (checked by the
 * importer), then each row handed over as its values and the line it starts on. A row whose
 * reader throws {@link RowProblem} is reported and the file goes on; a row with the wrong
 * number of fields is a row problem; an I/O or quoting failure ends the file with one error.
 */
final class CsvTable {

    /** Reads one row's values; throws {@link RowProblem} for a bad row. */
    interface RowReader {
        void read(String[] values, long line);
    }

    private final Input input;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final String charsetName;
    private final String[] header;
    private final Map<String, Integer> columns = new HashMap<>();
    private long lastLineEnd;

    CsvTable(Input input, BoundedLineReader reader, char delimiter, String charsetName) {
        this.input = input;
        this.charsetName = charsetName;
        CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true)
                .setTrim(false).get();
        try {
            this.parser = CSVParser.builder().setReader(reader).setFormat(format).get();
            this.records = parser.iterator();
            if (!records.hasNext()) {
                throw new UnusableInputException(input.name, "is empty: expected a header line");
            }
            CSVRecord first = records.next();
            lastLineEnd = parser.getCurrentLineNumber();
            this.header = first.values();
        } catch (IOException e) {
            throw input.failure(e, charsetName);
        } catch (UncheckedIOException e) {
            throw input.failure(e.getCause(), charsetName);
        }
        for (int i = 0; i < header.length; i++) {
            String name = header[i].strip();
            header[i] = name;
            if (columns.putIfAbsent(name, i) != null) {
                throw new UnusableInputException(input.name, 1, "column '" + name + "' appears twice in the header");
            }
        }
    }

    String[] header() {
        return header.clone();
    }

    boolean has(String column) {
        return columns.containsKey(column);
    }

    /** The column's index, or -1. */
    int optional(String column) {
        return columns.getOrDefault(column, -1);
    }

    /** Checks that every required column is present, or refuses the file naming what is missing. */
    void require(List<String> required, String formatName) {
        List<String> missing = new ArrayList<>();
        for (String column : required) {
            if (!columns.containsKey(column)) {
                missing.add(column);
            }
        }
        if (!missing.isEmpty()) {
            throw new UnusableInputException(input.name, 1, "not a " + formatName + " header: missing column"
                    + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + " (header is: "
                    + String.join(",", Arrays.asList(header)) + ")");
        }
    }

    int index(String column) {
        Integer index = columns.get(column);
        if (index == null) {
            throw new IllegalStateException("column not required before use: " + column);
        }
        return index;
    }

    /** Reads every row; returns {accepted, rejected}. */
    long[] forEach(RowReader reader, Problems problems) {
        long accepted = 0;
        long rejected = 0;
        long rowsMax = input.limits.rowsMax();
        try {
            while (records.hasNext()) {
                CSVRecord record = records.next();
                long line = lastLineEnd + 1;
                lastLineEnd = parser.getCurrentLineNumber();
                if (accepted + rejected >= rowsMax) {
                    throw new UnusableInputException(input.name, line, "more than " + rowsMax
                            + " rows (the limit per file; split it by period)");
                }
                String[] values = record.values();
                if (values.length != header.length) {
                    rejected++;
                    problems.add(line, "row has " + values.length + " fields, the header has " + header.length);
                    continue;
                }
                try {
                    reader.read(values, line);
                    accepted++;
                } catch (RowProblem problem) {
                    rejected++;
                    problems.add(line, problem.getMessage());
                }
            }
        } catch (UncheckedIOException e) {
            UnusableInputException failure = input.failure(e.getCause(), charsetName);
            if (failure.getMessage().contains("cannot be read")) {
                throw new UnusableInputException(input.name, lastLineEnd + 1, "malformed CSV: " + e.getCause().getMessage());
            }
            throw failure;
        } catch (IllegalStateException e) {
            // commons-csv reports some malformed input (e.g. a quote inside an unquoted field) this way
            throw new UnusableInputException(input.name, lastLineEnd + 1, "malformed CSV: " + e.getMessage());
        }
        return new long[] {accepted, rejected};
    }

    static String value(String[] values, int index) {
        return index < 0 ? "" : values[index];
    }

    /** The value or null when empty. */
    static String valueOrNull(String[] values, int index) {
        if (index < 0) {
            return null;
        }
        String value = values[index].strip();
        return value.isEmpty() ? null : value;
    }
}
