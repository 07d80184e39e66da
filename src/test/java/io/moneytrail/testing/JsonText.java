package io.moneytrail.testing;

/** JSON text compared as a provider would receive it, whatever the whitespace of the file it is kept in. */
public final class JsonText {

    private JsonText() {
    }

    /** The JSON text without whitespace between tokens (strings kept as they are). */
    public static String compact(String json) {
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\') {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (!Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
