package io.moneytrail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

class ModularityTest {

    private final ApplicationModules modules = ApplicationModules.of(Moneytrail.class);

    @Test
    void module_graph_has_no_cycles_and_no_reaching_into_internals() {
        modules.verify();
    }

    @Test
    void the_designed_modules_exist() {
        assertThat(modules.stream().map(m -> m.getIdentifier().toString()))
                .contains("money", "order", "payment", "provider", "sandbox", "webhook", "api", "cli", "database",
                        "reconciliation", "reconrun", "backoffice");
    }

    @Test
    void reconciliation_depends_on_the_money_kernel_only() {
        var reconciliation = modules.getModuleByName("reconciliation").orElseThrow();
        assertThat(reconciliation.getDirectDependencies(modules).stream()
                .map(d -> d.getTargetModule().getIdentifier().toString()))
                .containsOnly("money");
    }

    @Test
    void database_backed_reconciliation_never_depends_on_the_api() {
        var reconrun = modules.getModuleByName("reconrun").orElseThrow();
        assertThat(reconrun.getDirectDependencies(modules).stream()
                .map(d -> d.getTargetModule().getIdentifier().toString()))
                .doesNotContain("api", "cli")
                .contains("reconciliation");
    }

    @Test
    void nothing_depends_on_the_edges_api_and_cli() {
        modules.forEach(module -> {
            var name = module.getIdentifier().toString();
            if (!name.equals("cli") && !name.equals("api") && !name.equals("backoffice")) {
                assertThat(dependencies(name)).as("%s depends on (the edges call the modules, never the reverse)", name)
                        .doesNotContain("api", "cli", "backoffice");
            }
        });
        assertThat(dependencies("api")).doesNotContain("cli", "backoffice");
        assertThat(dependencies("backoffice")).doesNotContain("cli", "api");
    }

    @Test
    void the_sandbox_is_reached_over_http_only() {
        modules.forEach(module -> assertThat(dependencies(module.getIdentifier().toString()))
                .as("%s depends on", module.getIdentifier()).doesNotContain("sandbox"));
        assertThat(dependencies("sandbox")).isSubsetOf("database", "money");
    }

    @Test
    void the_kernel_and_the_database_set_up_depend_on_no_module() {
        assertThat(dependencies("money")).isEmpty();
        assertThat(dependencies("database")).isSubsetOf("money");
    }

    @Test
    void provider_adapters_depend_on_the_payment_spi_and_the_kernel_only() {
        assertThat(dependencies("provider")).isSubsetOf("payment", "money");
    }

    private java.util.List<String> dependencies(String module) {
        return modules.getModuleByName(module).orElseThrow().getDirectDependencies(modules).stream()
                .map(d -> d.getTargetModule().getIdentifier().toString())
                .distinct()
                .toList();
    }

    @Test
    void module_documentation_is_generated() {
        new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
        assertThat(java.nio.file.Path.of("target/spring-modulith-docs/components.puml")).exists();
    }
}
