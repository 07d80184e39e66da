package io.moneytrail.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The role × endpoint table is enforced as written: every row of it, called with a key of every
 * role, is refused with 403 {@code permission_denied} exactly when the role is not in the row;
 * and {@code docs/security.md} prints the same table.
 */
class RoleTableTest extends ApiTest {

    private final Map<Role, String> keys = new EnumMap<>(Role.class);
    private final Map<Role, String> keyIds = new EnumMap<>(Role.class);

    @BeforeEach
    void keysOfEveryRole() {
        for (Role role : Role.values()) {
            Api.Response created = api.post("/v1/api_keys", "{\"name\":\"role table " + role.wireName()
                    + "\",\"role\":\"" + role.wireName() + "\"}").expect(201);
            keys.put(role, created.text("secret"));
            keyIds.put(role, created.text("id"));
        }
    }

    @Test
    void every_row_of_the_table_refuses_exactly_the_roles_it_does_not_name() {
        List<String> checked = new ArrayList<>();
        for (EndpointRules.Rule rule : EndpointRules.RULES) {
            if (rule.isPublic() || !(rule.pattern().startsWith("/v1") || rule.pattern().startsWith("/actuator"))) {
                continue;
            }
            String method = rule.method() == null ? "GET" : rule.method().name();
            String target = rule.pattern().replace("/**", "").replaceAll("\\{[^}]+}", "x_1");
            for (Role role : Role.values()) {
                RawHttp.Response response = RawHttp.sendBody(port, method, target, "POST".equals(method) ? "" : null,
                        "Content-Type: application/json", "Authorization: Bearer " + keys.get(role));
                String what = role.wireName() + " on " + method + " " + target + ": " + response.body();
                if (rule.roles().contains(role)) {
                    assertThat(response.status()).as(what).isNotIn(401, 403);
                } else {
                    assertThat(response.status()).as(what).isEqualTo(403);
                    assertThat(response.errorCode()).isEqualTo("permission_denied");
                    assertThat(response.json().path("error").path("message").asText())
                            .contains(rule.rolesText()).contains("this key's role is " + role.wireName());
                }
                checked.add(what);
            }
        }
        assertThat(checked).hasSizeGreaterThan(100);
    }

    @Test
    void a_store_key_cannot_post_a_ledger_adjustment_and_is_told_who_can() {
        Api store = new Api(api.base(), keys.get(Role.STORE));
        Api.Response refused = store.post("/v1/ledger/adjustments", "{}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorType()).isEqualTo("authentication_error");
        assertThat(refused.errorCode()).isEqualTo("permission_denied");
        assertThat(refused.body().path("error").path("message").asText())
                .isEqualTo("POST /v1/ledger/adjustments needs a key with one of the roles admin, accountant;"
                        + " this key's role is store");
    }

    @Test
    void a_request_the_role_table_refuses_is_in_the_audit_log_with_its_key() {
        assertThat(new Api(api.base(), keys.get(Role.VIEWER)).post("/v1/refunds", "{}").status()).isEqualTo(403);
        assertThat(jdbc.sql("""
                        select count(*) from audit_log
                        where actor_id = :key and actor_role = 'viewer' and http_method = 'POST'
                          and http_path = '/v1/refunds' and http_status = 403 and outcome = 'refused'""")
                .param("key", keyIds.get(Role.VIEWER)).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void a_store_key_creates_orders_and_a_viewer_key_only_reads_them() {
        Api store = new Api(api.base(), keys.get(Role.STORE));
        String order = store.createOrder(1000, 1).text("id");
        Api viewer = new Api(api.base(), keys.get(Role.VIEWER));
        viewer.get("/v1/orders/" + order).expect(200);
        assertThat(viewer.post("/v1/orders/" + order + "/cancel", "{}").status()).isEqualTo(403);
        assertThat(new Api(api.base(), keys.get(Role.ONEC)).get("/v1/orders/" + order).status()).isEqualTo(403);
    }

    @Test
    void docs_security_md_prints_the_table_the_code_enforces() throws IOException {
        String doc = Files.readString(Path.of("docs/security.md"));
        int start = doc.indexOf("## Roles");
        int end = doc.indexOf("\n## ", start + 1);
        List<String> documented = doc.substring(start, end).lines()
                .filter(line -> line.matches("\\| `(any|GET|HEAD|POST|PUT|PATCH|DELETE) .*")).map(String::strip).toList();
        assertThat(documented).as("docs/security.md, section Roles; the table the code enforces is:%n%s",
                String.join("\n", table())).isEqualTo(table());
    }

    /** The table as docs/security.md prints it, one row per rule, in the order rules are tried. */
    static List<String> table() {
        List<String> rows = new ArrayList<>();
        for (EndpointRules.Rule rule : EndpointRules.RULES) {
            List<String> cells = new ArrayList<>();
            cells.add("`" + rule.endpoint() + "`");
            cells.add(rule.isPublic() ? "✓" : "–");
            for (Role role : Role.values()) {
                cells.add(rule.isPublic() || rule.roles().contains(role) ? "✓" : "–");
            }
            rows.add("| " + String.join(" | ", cells) + " |");
        }
        return rows;
    }
}
