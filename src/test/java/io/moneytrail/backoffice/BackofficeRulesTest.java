package io.moneytrail.backoffice;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.access.BackofficeRules;
import io.moneytrail.access.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page table decides as documented, and {@code docs/backoffice.md} prints the table the code enforces. */
class BackofficeRulesTest {

    static final List<Role> PEOPLE = List.of(Role.ADMIN, Role.OPERATOR, Role.ACCOUNTANT, Role.VIEWER);

    @Test
    void each_role_may_what_its_api_key_may() {
        assertThat(BackofficeRules.allows(Role.VIEWER, "GET", "/admin/orders/ord_1")).isTrue();
        assertThat(BackofficeRules.allows(Role.VIEWER, "POST", "/admin/orders/ord_1/actions/refund")).isFalse();
        assertThat(BackofficeRules.allows(Role.OPERATOR, "POST", "/admin/orders/ord_1/actions/refund")).isTrue();
        assertThat(BackofficeRules.allows(Role.OPERATOR, "GET", "/admin/orders/ord_1/ledger")).isFalse();
        assertThat(BackofficeRules.allows(Role.ACCOUNTANT, "GET", "/admin/orders/ord_1/ledger")).isTrue();
        assertThat(BackofficeRules.allows(Role.ACCOUNTANT, "POST", "/admin/orders/ord_1/actions/capture")).isFalse();
        assertThat(BackofficeRules.allows(Role.OPERATOR, "GET", "/admin/settings/access")).isFalse();
        assertThat(BackofficeRules.allows(Role.ADMIN, "GET", "/admin/anything/else")).isTrue();
        assertThat(BackofficeRules.allows(Role.ACCOUNTANT, "GET", "/admin/anything/else")).as("deny by default")
                .isFalse();
        assertThat(BackofficeRules.allows(null, "GET", "/admin/login")).isTrue();
        assertThat(BackofficeRules.allows(Role.STORE, "GET", "/admin")).as("a machine role is no person").isFalse();
    }

    @Test
    void docs_backoffice_md_prints_the_table_the_code_enforces() throws IOException {
        String doc = Files.readString(Path.of("docs/backoffice.md"));
        int start = doc.indexOf("## Roles");
        int end = doc.indexOf("\n## ", start + 1);
        List<String> documented = doc.substring(start, end < 0 ? doc.length() : end).lines()
                .filter(line -> line.matches("\\| `(any|GET|POST) .*")).map(String::strip).toList();
        assertThat(documented).as("docs/backoffice.md, section Roles; the table the code enforces is:%n%s",
                String.join("\n", table())).isEqualTo(table());
    }

    static List<String> table() {
        List<String> rows = new ArrayList<>();
        for (BackofficeRules.Rule rule : BackofficeRules.RULES) {
            List<String> cells = new ArrayList<>();
            cells.add("`" + (rule.method() == null ? "any" : rule.method()) + " " + rule.pattern() + "`");
            for (Role role : PEOPLE) {
                cells.add(rule.roles().isEmpty() || rule.roles().contains(role) ? "✓" : "–");
            }
            rows.add("| " + String.join(" | ", cells) + " |");
        }
        return rows;
    }
}
