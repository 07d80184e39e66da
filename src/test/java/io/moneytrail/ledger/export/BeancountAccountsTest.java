package io.moneytrail.ledger.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BeancountAccountsTest {

    /** A Beancount (v2) account component after the root: capital or digit, then letters, digits, dashes. */
    private static final String COMPONENT = "[A-Z0-9][A-Za-z0-9-]*";

    @Test
    void codes_become_capitalised_components_under_the_five_roots() {
        assertThat(BeancountAccounts.name("assets:psp:sandbox")).isEqualTo("Assets:Psp:Sandbox");
        assertThat(BeancountAccounts.name("liabilities:customer_advances")).isEqualTo("Liabilities:Customer-Advances");
        assertThat(BeancountAccounts.name("liabilities:vat_payable")).isEqualTo("Liabilities:Vat-Payable");
        assertThat(BeancountAccounts.name("income:sales_returns")).isEqualTo("Income:Sales-Returns");
        assertThat(BeancountAccounts.name("expenses:psp_fees")).isEqualTo("Expenses:Psp-Fees");
        assertThat(BeancountAccounts.name("equity:opening_balances")).isEqualTo("Equity:Opening-Balances");
        assertThat(BeancountAccounts.name("assets:bank:2024")).isEqualTo("Assets:Bank:2024");
        assertThat(BeancountAccounts.name("assets:bank:_old")).isEqualTo("Assets:Bank:XX-Old");
        assertThat(BeancountAccounts.name("assets:bank:x_")).isEqualTo("Assets:Bank:X-");
    }

    @Test
    void the_mapping_is_injective_and_every_name_is_valid_beancount() {
        Set<String> segments = new LinkedHashSet<>();
        String alphabet = "ax0_";
        for (int length = 1; length <= 4; length++) {
            collect("", length, alphabet, segments);
        }
        segments.add("xx");
        segments.add("xx_a");
        Map<String, String> codeByName = new HashMap<>();
        for (String first : segments) {
            for (String second : List.of("", ":a", ":_", ":xx_0")) {
                String code = "assets:" + first + second;
                String name = BeancountAccounts.name(code);
                assertThat(name).as("name of %s", code).matches("Assets(:" + COMPONENT + ")+");
                String clash = codeByName.put(name, code);
                assertThat(clash).as("%s and %s both map to %s", clash, code, name).isNull();
            }
        }
        assertThat(codeByName).hasSizeGreaterThan(1000);
    }

    private static void collect(String prefix, int length, String alphabet, Set<String> out) {
        if (prefix.length() == length) {
            out.add(prefix);
            return;
        }
        for (char c : alphabet.toCharArray()) {
            collect(prefix + c, length, alphabet, out);
        }
    }
}
