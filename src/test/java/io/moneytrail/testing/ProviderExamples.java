package io.moneytrail.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The providers' documented examples under {@code src/test/resources/provider-examples/}: each
 * file's first line names the documentation page it follows ({@code # source: …}), the rest is
 * the example. {@link #assertSameShape} compares an answer with an example field by field.
 */
public final class ProviderExamples {

    private static final JsonMapper JSON = new JsonMapper();

    private ProviderExamples() {
    }

    /** The example's text without its source line. */
    public static String text(String name) {
        try (InputStream in = ProviderExamples.class.getResourceAsStream("/provider-examples/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no provider example " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).as("%s names its documentation page on its first line", name).startsWith("# source: http");
            return text.substring(text.indexOf('\n') + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String name) {
        return JSON.readTree(text(name));
    }

    /**
     * Asserts that {@code actual} has exactly the fields of {@code documented} (recursively; an
     * array is compared by its first element), each with the same JSON type; that the fields
     * named in {@code sameValues} (dotted paths, e.g. {@code confirmation.type}) have the same
     * value; and leaves the content of the objects named in {@code freeForm} (e.g. metadata)
     * to the caller.
     */
    public static void assertSameShape(JsonNode documented, JsonNode actual, Set<String> sameValues,
                                       Set<String> freeForm) {
        List<String> differences = new ArrayList<>();
        compare("", documented, actual, sameValues, freeForm, differences);
        assertThat(differences).as("differences from the documented example; answer was %s", actual).isEmpty();
    }

    private static void compare(String path, JsonNode documented, JsonNode actual, Set<String> sameValues,
                                Set<String> freeForm, List<String> differences) {
        String here = path.isEmpty() ? "(root)" : path;
        if (actual == null || actual.isMissingNode()) {
            differences.add(here + ": missing");
            return;
        }
        if (documented.getNodeType() != actual.getNodeType()) {
            differences.add(here + ": documented " + documented.getNodeType() + ", answered " + actual.getNodeType());
            return;
        }
        if (sameValues.contains(path) && !documented.equals(actual)) {
            differences.add(here + ": documented " + documented + ", answered " + actual);
        }
        if (documented.isObject() && !freeForm.contains(path)) {
            Set<String> documentedNames = names(documented);
            Set<String> actualNames = names(actual);
            for (String name : actualNames) {
                if (!documentedNames.contains(name)) {
                    differences.add((path.isEmpty() ? "" : path + ".") + name + ": not in the documented example");
                }
            }
            for (String name : documentedNames) {
                compare(path.isEmpty() ? name : path + "." + name, documented.get(name), actual.get(name), sameValues,
                        freeForm, differences);
            }
        }
        if (documented.isArray() && !documented.isEmpty() && !actual.isEmpty()) {
            compare(path + "[]", documented.get(0), actual.get(0), sameValues, freeForm, differences);
        }
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        Iterator<String> it = node.propertyNames().iterator();
        it.forEachRemaining(names::add);
        return names;
    }
}
