package io.moneytrail.api;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

/**
 * Text that PostgreSQL cannot store, refused where it enters: a NUL character (U+0000; a
 * {@code text} value cannot hold it and {@code jsonb} refuses its escape) and an unpaired
 * surrogate (not Unicode at all; it would be stored as '?'). Every JSON string of a request
 * body, map keys included, passes {@link #module()}; query strings pass {@link BadInputFilter}.
 */
final class TextCheck {

    static final int SHOWN_MAX = 100;

    private TextCheck() {
    }

    /** What is wrong with the text, as the end of a sentence, or null when it can be stored. */
    static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "contains a NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains an unpaired surrogate (not valid Unicode)";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains an unpaired surrogate (not valid Unicode)";
            }
        }
        return null;
    }

    /** The text as it can be shown back in an error: bounded, NUL written as \0. */
    static String shown(String text) {
        String bounded = text.length() > SHOWN_MAX ? text.substring(0, SHOWN_MAX) + "..." : text;
        StringBuilder out = new StringBuilder(bounded.length());
        for (int i = 0; i < bounded.length(); i++) {
            char c = bounded.charAt(i);
            out.append(c == '\u0000' ? "\\0" : Character.isSurrogate(c) ? "?" : String.valueOf(c));
        }
        return out.toString();
    }

    /** String values and map keys checked as they are read; the error names the field's path. */
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("moneytrail-text-check");
        module.addDeserializer(String.class, new CheckedString());
        module.addKeyDeserializer(String.class, new CheckedKey());
        return module;
    }

    /** The value Jackson refused, when it was refused by this check. */
    static String refused(InvalidFormatException e) {
        return e.getValue() instanceof String text && problem(text) != null ? problem(text) : null;
    }

    private static final class CheckedString extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String value = super.deserialize(p, ctxt);
            String problem = value == null ? null : problem(value);
            if (problem != null) {
                throw InvalidFormatException.from(p, "text " + problem, value, String.class);
            }
            return value;
        }
    }

    private static final class CheckedKey extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) {
            String problem = problem(key);
            if (problem != null) {
                throw InvalidFormatException.from(ctxt.getParser(), "a key " + problem, key, String.class);
            }
            return key;
        }
    }
}
