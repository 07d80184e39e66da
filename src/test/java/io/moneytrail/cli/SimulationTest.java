package io.moneytrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bounded, seeded run of the fault-injection simulation: the sandbox and Moneytrail as two
 * processes, faults on webhooks and API calls, Moneytrail killed with SIGKILL once mid-run and
 * its PostgreSQL (postmaster and backends) once.
 * The full-size run is the {@code simulate} command (see README).
 */
class SimulationTest {

    @Test
    void customers_under_faults_a_kill_9_and_a_killed_database_lose_no_money_and_count_none_twice() throws Exception {
        long seed = Long.getLong("moneytrail.seed", System.nanoTime());
        System.out.println("SimulationTest seed " + seed);
        Path work = Files.createTempDirectory("moneytrail-simulation-test");
        List<String> launcher = List.of(SimulateCommand.javaBinary(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName());
        Map<String, Object> report = new Simulation(new Simulation.Settings(150, seed, 1, 1, 12, launcher, work,
                Duration.ofSeconds(180), System.out, SimulatedProvider.SANDBOX)).run();
        System.out.println("SimulationTest report " + report);
        assertThat(report.get("violation_examples")).as("seed %d, logs in %s", seed, work).isEqualTo(List.of());
        assertThat(report.get("violations")).isEqualTo(0);
        assertThat(report.get("settled")).isEqualTo(true);
        assertThat(report.get("restarts")).isEqualTo(1);
        assertThat(report.get("database_kills")).isEqualTo(1);
        @SuppressWarnings("unchecked")
        Map<String, Long> checked = (Map<String, Long>) report.get("checked");
        assertThat(checked.get("payments_compared_with_provider")).isGreaterThan(100L);
        assertThat(checked.get("events_not_delivered")).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> reconciliation = (Map<String, Object>) report.get("reconciliation");
        assertThat(reconciliation).as("the month reconciled against the provider's report")
                .containsEntry("discrepancies", 0L).containsEntry("report_rows_rejected", 0L);
    }
}
