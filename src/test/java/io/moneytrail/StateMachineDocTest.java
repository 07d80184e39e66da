package io.moneytrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaStaticInitializer;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.moneytrail.money.StateMachineDocs;
import io.moneytrail.money.TransitionTable;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/state-machines.md} is generated from the transition tables. Its generated blocks
 * must be what {@link StateMachineDocs} writes for every static {@link TransitionTable} field
 * under {@code io.moneytrail}, so a changed table or a new one fails here until the file is
 * regenerated with:
 *
 * <pre>./mvnw -q test -Dtest=StateMachineDocTest -Dmoneytrail.write-docs=true</pre>
 */
class StateMachineDocTest {

    static final String REGENERATE = "./mvnw -q test -Dtest=StateMachineDocTest -Dmoneytrail.write-docs=true";

    private static final Path DOC = Path.of("docs/state-machines.md");
    private static final Path SOURCES = Path.of("src/main/java");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.moneytrail");

    @Test
    void the_state_machine_doc_is_what_the_tables_would_write() throws Exception {
        String current = Files.readString(DOC);
        StateMachineDocs.Rewrite rewrite = StateMachineDocs.rewrite(current, tables(), SOURCES);
        if (writeDocs()) {
            if (!rewrite.text().equals(current)) {
                Files.writeString(DOC, rewrite.text());
            }
            System.out.println(DOC + " written: changed " + rewrite.changed() + ", added " + rewrite.added()
                    + ", removed " + rewrite.removed());
            return;
        }
        if (!rewrite.text().equals(current)) {
            fail(DOC + " is out of date with the transition tables"
                    + (rewrite.changed().isEmpty() ? "" : "; tables changed: " + rewrite.changed())
                    + (rewrite.added().isEmpty() ? "" : "; tables with no section yet: " + rewrite.added())
                    + (rewrite.removed().isEmpty() ? "" : "; sections of tables that no longer exist: " + rewrite.removed())
                    + ". Regenerate it with\n    " + REGENERATE
                    + "\n(it rewrites only the generated blocks; a new table gets a section at the end of the file,"
                    + " to be moved and explained by hand).");
        }
    }

    @Test
    void every_table_is_found_including_the_ones_this_test_was_written_for() {
        assertThat(tables()).containsKeys(
                "io.moneytrail.order.OrderStatus.TABLE",
                "io.moneytrail.payment.PaymentState.TABLE",
                "io.moneytrail.payment.RefundState.TABLE",
                "io.moneytrail.reconrun.ExceptionStatus.TABLE");
    }

    /** So that the scan above cannot miss one: a table built anywhere else would not be a static field. */
    @Test
    void tables_are_built_only_in_static_initialisers() {
        List<String> elsewhere = MAIN.get(TransitionTable.class).getMethodCallsToSelf().stream()
                .filter(call -> call.getTarget().getName().equals("of"))
                .filter(call -> !(call.getOrigin() instanceof JavaStaticInitializer))
                .map(JavaMethodCall::getDescription)
                .toList();
        assertThat(elsewhere).as("TransitionTable.of(...) outside a static initialiser (make the table a static"
                + " final field, so that the state machine doc finds it)").isEmpty();
    }

    @Test
    void a_rendered_block_has_the_diagram_the_matrix_and_the_descriptions() {
        String block = StateMachineDocs.body(io.moneytrail.payment.RefundState.TABLE, SOURCES);
        assertThat(block)
                .startsWith("```mermaid\nstateDiagram-v2\n")
                .contains("    pending --> succeeded : succeed\n")
                .contains("    succeeded --> [*]\n")
                .contains("| from \\ event | succeed | fail | lose_track | confirm_pending | escalate |\n")
                .contains("| unknown | succeeded | failed | | pending | needs_review |\n")
                .contains("| failed (terminal) | | | | | |\n")
                .contains("- `needs_review`: the resolver gave up asking the provider; an operator decides\n")
                .endsWith("\n");
    }

    @Test
    void regenerating_keeps_the_hand_written_text_and_adds_missing_tables() {
        String doc = "# Title\n\nprose\n\n<!-- BEGIN GENERATED x.Gone.TABLE -->\nold\n<!-- END GENERATED x.Gone.TABLE -->\n"
                + "\n<!-- BEGIN GENERATED io.moneytrail.order.OrderStatus.TABLE -->\nstale\n"
                + "<!-- END GENERATED io.moneytrail.order.OrderStatus.TABLE -->\nmore prose\n";
        Map<String, TransitionTable<?, ?>> tables = new LinkedHashMap<>();
        tables.put("io.moneytrail.order.OrderStatus.TABLE", io.moneytrail.order.OrderStatus.TABLE);
        tables.put("io.moneytrail.payment.RefundState.TABLE", io.moneytrail.payment.RefundState.TABLE);
        StateMachineDocs.Rewrite rewrite = StateMachineDocs.rewrite(doc, tables, null);
        assertThat(rewrite.changed()).containsExactly("io.moneytrail.order.OrderStatus.TABLE");
        assertThat(rewrite.removed()).containsExactly("x.Gone.TABLE");
        assertThat(rewrite.added()).containsExactly("io.moneytrail.payment.RefundState.TABLE");
        assertThat(rewrite.text())
                .startsWith("# Title\n\nprose\n\n\n<!-- BEGIN GENERATED io.moneytrail.order.OrderStatus.TABLE -->\n```mermaid")
                .contains("<!-- END GENERATED io.moneytrail.order.OrderStatus.TABLE -->\nmore prose\n\n## Refund (`RefundState.TABLE`)\n")
                .doesNotContain("old", "stale");
        assertThat(StateMachineDocs.rewrite(rewrite.text(), tables, null).upToDate()).isTrue();
    }

    @Test
    void a_table_moved_to_another_package_keeps_its_place_in_the_document() {
        String doc = "## Orders\n\n<!-- BEGIN GENERATED io.moneytrail.old.OrderStatus.TABLE -->\nold\n"
                + "<!-- END GENERATED io.moneytrail.old.OrderStatus.TABLE -->\n\nprose\n";
        StateMachineDocs.Rewrite rewrite = StateMachineDocs.rewrite(doc,
                Map.of("io.moneytrail.order.OrderStatus.TABLE", io.moneytrail.order.OrderStatus.TABLE), null);
        assertThat(rewrite.changed())
                .containsExactly("io.moneytrail.old.OrderStatus.TABLE -> io.moneytrail.order.OrderStatus.TABLE");
        assertThat(rewrite.added()).isEmpty();
        assertThat(rewrite.removed()).isEmpty();
        assertThat(rewrite.text()).startsWith("## Orders\n\n<!-- BEGIN GENERATED io.moneytrail.order.OrderStatus.TABLE -->\n")
                .endsWith("<!-- END GENERATED io.moneytrail.order.OrderStatus.TABLE -->\n\nprose\n");
    }

    /** Every static TransitionTable field of the main classes, by "class name.field name". */
    static Map<String, TransitionTable<?, ?>> tables() {
        Map<TransitionTable<?, ?>, String> ids = new IdentityHashMap<>();
        for (JavaClass type : MAIN) {
            for (JavaField field : type.getFields()) {
                if (!field.getRawType().isEquivalentTo(TransitionTable.class)
                        || !field.getModifiers().contains(JavaModifier.STATIC)) {
                    continue;
                }
                TransitionTable<?, ?> table = valueOf(field.reflect());
                String id = type.getName() + "." + field.getName();
                // an alias of a table declared elsewhere is not a second machine: keep the declaring enum's field
                ids.merge(table, id, (a, b) -> declaredBy(table, a) ? a : declaredBy(table, b) ? b : a.compareTo(b) <= 0 ? a : b);
            }
        }
        Map<String, TransitionTable<?, ?>> tables = new TreeMap<>();
        ids.forEach((table, id) -> tables.put(id, table));
        return tables;
    }

    private static boolean declaredBy(TransitionTable<?, ?> table, String id) {
        return id.startsWith(table.stateType().getName() + ".");
    }

    private static TransitionTable<?, ?> valueOf(Field field) {
        try {
            field.setAccessible(true);
            return (TransitionTable<?, ?>) field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean writeDocs() {
        return Boolean.getBoolean("moneytrail.write-docs") || "true".equals(System.getenv("MONEYTRAIL_WRITE_DOCS"));
    }
}
