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
                        "reconciliation", "reconrun");
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
    void module_documentation_is_generated() {
        new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
        assertThat(java.nio.file.Path.of("target/spring-modulith-docs/components.puml")).exists();
    }
}
