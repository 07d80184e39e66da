package io.moneytrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The funnel report counts exactly what customers did: a seeded run of the checkout generator
 * ({@code simulate --checkout}) with 60 customers through the sandbox and the Stripe, YooKassa
 * and T-Bank dialects, in its own Moneytrail process, compared step by step with
 * {@code GET /v1/reports/funnel}. The seed is printed; {@code -Dmoneytrail.seed=N} repeats a run.
 */
class CheckoutSimulationTest {

    @Test
    void the_funnel_report_returns_exactly_the_counts_the_generator_produced() throws Exception {
        long seed = Long.getLong("moneytrail.seed", System.nanoTime());
        System.out.println("CheckoutSimulationTest seed " + seed);
        Path work = Files.createTempDirectory("moneytrail-checkout-simulation-test");
        List<String> launcher = List.of(SimulateCommand.javaBinary(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName());
        Map<String, Object> result = new CheckoutSimulation(new CheckoutSimulation.Settings(60, seed, 6,
                List.of("sandbox", "stripe", "yookassa", "tbank"), Duration.ofSeconds(45), Duration.ofSeconds(110),
                launcher, work, System.out)).run();
        System.out.println("CheckoutSimulationTest seed " + seed + "\n" + result.get("table"));
        assertThat(result.get("mismatches")).as("seed %d, logs in %s", seed, work).isEqualTo(List.of());
        assertThat(result.get("pass")).isEqualTo(true);
        assertThat(result.get("settled")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        Map<String, Long> generated = (Map<String, Long>) result.get("generated");
        assertThat(generated.get("viewed")).as("customers who opened the page").isGreaterThan(40L);
        assertThat(generated.get("paid")).isPositive();
        assertThat(generated.get("declined")).isPositive();
        assertThat(generated.get("abandoned")).isPositive();
    }
}
