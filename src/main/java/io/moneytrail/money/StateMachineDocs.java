package io.moneytrail.money;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code docs/state-machines.md} from the transition tables. Each table has one
 * generated block in that file, between {@code <!-- BEGIN GENERATED <id> -->} and
 * {@code <!-- END GENERATED <id> -->}, where {@code <id>} names the static field holding the
 * table ({@code io.moneytrail.payment.PaymentState.TABLE}). A block holds a Mermaid
 * {@code stateDiagram-v2}, the from-state × event matrix and the javadoc of the states and
 * events that carry one (read from the enums' sources). Everything outside the blocks is
 * hand-written and left alone.
 *
 * <p>{@code StateMachineDocTest} finds every static {@link TransitionTable} field under
 * {@code io.moneytrail}, fails when the file differs from what this class would write, and
 * writes it when run with {@code -Dmoneytrail.write-docs=true}.
 */
public final class StateMachineDocs {

    private static final Pattern BLOCK = Pattern.compile(
            "<!-- BEGIN GENERATED (\\S+) -->\\n.*?<!-- END GENERATED \\1 -->\\n?", Pattern.DOTALL);

    private StateMachineDocs() {
    }

    /** The document after regenerating its blocks, and what changed. */
    public record Rewrite(String text, List<String> changed, List<String> added, List<String> removed) {
        public boolean upToDate() {
            return changed.isEmpty() && added.isEmpty() && removed.isEmpty();
        }
    }

    /**
     * Regenerates every block of {@code document}. A table without a block gets a new section at
     * the end of the file (to be moved and described by hand); a block whose table moved to
     * another package (same class and field name) is rewritten in place under its new id; a
     * block whose table no longer exists is dropped.
     *
     * @param tables the tables by id ({@code <class name>.<field name>}), in a stable order
     * @param sources the root of the Java sources, for the enums' javadoc; null for none
     */
    public static Rewrite rewrite(String document, Map<String, TransitionTable<?, ?>> tables, Path sources) {
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        StringBuilder out = new StringBuilder();
        Set<String> inDocument = new LinkedHashSet<>();
        for (Matcher block = BLOCK.matcher(document); block.find(); ) {
            inDocument.add(block.group(1));
        }
        Matcher block = BLOCK.matcher(document);
        int at = 0;
        while (block.find()) {
            out.append(document, at, block.start());
            at = block.end();
            String found = block.group(1);
            String id = found;
            if (!tables.containsKey(id)) {
                // a table moved to another class or package keeps its place (and the prose around it)
                List<String> moved = tables.keySet().stream()
                        .filter(other -> !inDocument.contains(other) && !seen.contains(other))
                        .filter(other -> shortId(other).equals(shortId(found)))
                        .toList();
                if (moved.size() == 1) {
                    changed.add(id + " -> " + moved.get(0));
                    id = moved.get(0);
                }
            }
            TransitionTable<?, ?> table = tables.get(id);
            if (table == null || !seen.add(id)) {
                removed.add(id);
                continue;
            }
            String fresh = wrap(id, body(table, sources));
            if (!fresh.equals(block.group()) && !changed.contains(found + " -> " + id)) {
                changed.add(id);
            }
            out.append(fresh);
        }
        out.append(document, at, document.length());
        List<String> added = new ArrayList<>();
        for (Map.Entry<String, TransitionTable<?, ?>> entry : tables.entrySet()) {
            if (seen.contains(entry.getKey())) {
                continue;
            }
            added.add(entry.getKey());
            TransitionTable<?, ?> table = entry.getValue();
            if (!out.isEmpty() && !out.toString().endsWith("\n\n")) {
                out.append(out.toString().endsWith("\n") ? "\n" : "\n\n");
            }
            out.append("## ").append(capitalised(table.machine())).append(" (`")
                    .append(shortId(entry.getKey())).append("`)\n\n")
                    .append(wrap(entry.getKey(), body(table, sources)));
        }
        return new Rewrite(out.toString(), List.copyOf(changed), List.copyOf(added), List.copyOf(removed));
    }

    /** One table's generated block body: the diagram, the matrix, the descriptions. */
    public static String body(TransitionTable<?, ?> table, Path sources) {
        return mermaid(table) + "\n" + matrix(table) + descriptions(table, sources);
    }

    /** A Mermaid {@code stateDiagram-v2}: one arrow per (from, to), labelled with its events. */
    public static String mermaid(TransitionTable<?, ?> table) {
        return mermaidOf(table);
    }

    private static <S extends Enum<S>, E extends Enum<E>> String mermaidOf(TransitionTable<S, E> table) {
        StringBuilder out = new StringBuilder("```mermaid\nstateDiagram-v2\n");
        Set<S> mentioned = new LinkedHashSet<>();
        for (S from : table.stateType().getEnumConstants()) {
            Map<S, List<String>> arrows = new LinkedHashMap<>();
            table.movesFrom(from).forEach((event, to) -> arrows.computeIfAbsent(to, t -> new ArrayList<>()).add(wire(event)));
            arrows.forEach((to, events) -> {
                mentioned.add(from);
                mentioned.add(to);
                out.append("    ").append(wire(from)).append(" --> ").append(wire(to))
                        .append(" : ").append(String.join(", ", events)).append('\n');
            });
        }
        for (S state : table.stateType().getEnumConstants()) {
            if (!mentioned.contains(state)) {
                out.append("    ").append(wire(state)).append('\n');
            } else if (table.isTerminal(state)) {
                out.append("    ").append(wire(state)).append(" --> [*]\n");
            }
        }
        return out.append("```\n").toString();
    }

    /** The from-state × event matrix; an empty cell is a rejected pair. */
    public static String matrix(TransitionTable<?, ?> table) {
        return matrixOf(table);
    }

    private static <S extends Enum<S>, E extends Enum<E>> String matrixOf(TransitionTable<S, E> table) {
        E[] events = table.eventType().getEnumConstants();
        StringBuilder out = new StringBuilder("| from \\ event |");
        for (E event : events) {
            out.append(' ').append(wire(event)).append(" |");
        }
        out.append("\n| ---").append(" | ---".repeat(events.length)).append(" |\n");
        for (S from : table.stateType().getEnumConstants()) {
            out.append("| ").append(wire(from)).append(table.isTerminal(from) ? " (terminal)" : "").append(" |");
            for (E event : events) {
                out.append(table.find(from, event).map(to -> " " + wire(to) + " |").orElse(" |"));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String descriptions(TransitionTable<?, ?> table, Path sources) {
        if (sources == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        list(out, "States", table.stateType(), sources);
        list(out, "Events", table.eventType(), sources);
        return out.toString();
    }

    private static void list(StringBuilder out, String title, Class<? extends Enum<?>> type, Path sources) {
        Map<String, String> docs = EnumJavadoc.read(sources, type);
        if (docs.isEmpty()) {
            return;
        }
        out.append('\n').append(title).append(":\n\n");
        for (Enum<?> constant : type.getEnumConstants()) {
            String doc = docs.get(constant.name());
            if (doc != null) {
                String prefix = wire(constant) + ": ";
                doc = doc.regionMatches(true, 0, prefix, 0, prefix.length()) ? doc.substring(prefix.length()) : doc;
                out.append("- `").append(wire(constant)).append("`: ").append(doc).append('\n');
            }
        }
    }

    private static String wrap(String id, String body) {
        return "<!-- BEGIN GENERATED " + id + " -->\n" + body + "\n<!-- END GENERATED " + id + " -->\n";
    }

    private static String shortId(String id) {
        String[] parts = id.split("\\.");
        return parts.length < 2 ? id : parts[parts.length - 2].replace('$', '.') + "." + parts[parts.length - 1];
    }

    private static String capitalised(String machine) {
        return machine.isEmpty() ? machine : Character.toUpperCase(machine.charAt(0)) + machine.substring(1);
    }

    private static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The javadoc comments of an enum's constants, read from its source file. */
    static final class EnumJavadoc {

        private static final Pattern CONSTANT_DOC =
                Pattern.compile("/\\*\\*(.*?)\\*/\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*([A-Z][A-Z0-9_]*)\\b", Pattern.DOTALL);

        private EnumJavadoc() {
        }

        /** Constant name -> its javadoc as one line of Markdown; empty when the source is absent. */
        static Map<String, String> read(Path sources, Class<?> type) {
            Class<?> top = type;
            while (top.getEnclosingClass() != null) {
                top = top.getEnclosingClass();
            }
            Path file = sources.resolve(top.getName().replace('.', '/') + ".java");
            if (!Files.isRegularFile(file)) {
                return Map.of();
            }
            String source;
            try {
                source = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String constants = constantsOf(source, type.getSimpleName());
            Map<String, String> docs = new LinkedHashMap<>();
            Matcher doc = CONSTANT_DOC.matcher(constants);
            while (doc.find()) {
                docs.put(doc.group(2), markdown(doc.group(1)));
            }
            return docs;
        }

        /** The text of an enum's constant list: from its opening brace to the first ';' or '}' at its level. */
        private static String constantsOf(String source, String simpleName) {
            Matcher declaration = Pattern.compile("\\benum\\s+" + Pattern.quote(simpleName) + "\\b[^{]*\\{").matcher(source);
            if (!declaration.find()) {
                return "";
            }
            int depth = 0;
            boolean inComment = false;
            for (int i = declaration.end(); i < source.length(); i++) {
                if (!inComment && source.startsWith("//", i)) {
                    int end = source.indexOf('\n', i);
                    i = end < 0 ? source.length() : end;
                } else if (!inComment && source.startsWith("/*", i)) {
                    inComment = true;
                } else if (inComment && source.startsWith("*/", i)) {
                    inComment = false;
                    i++;
                } else if (!inComment) {
                    char c = source.charAt(i);
                    if (c == '{' || c == '(') {
                        depth++;
                    } else if ((c == '}' || c == ')') && depth > 0) {
                        depth--;
                    } else if ((c == ';' || c == '}') && depth == 0) {
                        return source.substring(declaration.end(), i);
                    }
                }
            }
            return source.substring(declaration.end());
        }

        private static String markdown(String javadoc) {
            String text = javadoc.replaceAll("(?m)^\\s*\\*", " ").replaceAll("\\s+", " ").strip();
            text = text.replaceAll("\\{@(?:code|literal) ([^}]*)}", "`$1`");
            text = text.replaceAll("\\{@link(?:plain)? [^}\\s]+ ([^}]+)}", "$1");
            text = text.replaceAll("\\{@link(?:plain)? (?:[\\w.]*#)?([^}\\s]+)}", "`$1`");
            return text.replaceAll("<[^>]+>", "");
        }
    }
}
