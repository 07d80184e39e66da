package io.moneytrail.money;

import java.math.BigDecimal;

/**
 * The cells of every CSV file Moneytrail writes, so that a spreadsheet opening the file never
 * runs a formula that came from data (CSV or formula injection). Text is neutralised by the
 * OWASP rule: a cell that begins with {@code =}, {@code +}, {@code -}, {@code @}, TAB, CR
 * (or LF) gets a single quote in front, which spreadsheets show and never evaluate; so a
 * reference {@code =HYPERLINK("http://evil.example","x")} is written
 * {@code '=HYPERLINK("http://evil.example","x")}. Numbers are written as numbers: an amount
 * of {@code -12.50} stays {@code -12.50}. Callers therefore pass amounts as numbers
 * ({@link BigDecimal}, {@link Long}, {@link Integer}), never as text.
 *
 * <p>A neutralised cell reads back with the quote; only files meant for people and their
 * tools go through here, not files Moneytrail writes for its own importers.
 */
public final class CsvCells {

    private CsvCells() {
    }

    /**
     * One row's cells: text ({@link CharSequence} and anything else that is not a number)
     * neutralised, numbers as plain decimals (never in exponent notation), {@code null} as an
     * empty cell.
     */
    public static Object[] row(Object... values) {
        Object[] cells = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            cells[i] = cell(values[i]);
        }
        return cells;
    }

    /** One cell, as {@link #row} writes it. */
    public static String cell(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return value.toString();
        }
        return text(value.toString());
    }

    /** Text as a cell: prefixed with {@code '} when a spreadsheet would read it as a formula. */
    public static String text(String value) {
        return value != null && startsAFormula(value) ? "'" + value : value;
    }

    /** True when the text begins with a character a spreadsheet takes for the start of a formula. */
    public static boolean startsAFormula(String value) {
        if (value.isEmpty()) {
            return false;
        }
        return switch (value.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r', '\n' -> true;
            default -> false;
        };
    }
}
