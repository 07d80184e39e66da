package io.moneytrail.ledger.export;

/** Free text (descriptions, names) made safe for the line-oriented formats. */
final class Text {

    private Text() {
    }

    /** One line: control characters (newlines, tabs) become spaces, runs of spaces one, trimmed. */
    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder line = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                space = true;
                continue;
            }
            if (space && line.length() > 0) {
                line.append(' ');
            }
            space = false;
            line.append(c);
        }
        return line.toString();
    }

    /**
     * A journal transaction's description: one line, and no {@code ;} (which would start a
     * comment in hledger and Ledger); it is written after the status mark and the code, so a
     * leading {@code *}, {@code !} or {@code (} is not mistaken for either.
     */
    static String payee(String description) {
        String line = oneLine(description).replace(';', ',');
        return line.isEmpty() ? "(no description)" : line;
    }

    /** A Beancount string literal: one line, backslashes and double quotes escaped. */
    static String quoted(String text) {
        return '"' + oneLine(text).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
