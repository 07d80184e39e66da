package io.moneytrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bench checkout} end to end, as its users run it: Moneytrail on a temporary embedded
 * database in this JVM, the sandbox as its own process. It starts two services and two
 * PostgreSQL servers, which takes well over 30 s on a busy 2-core machine, so it is not part of
 * the suite: run it with {@code -Dtest=CheckoutBenchTest -Dmoneytrail.bench.test=true}.
 */
@EnabledIfSystemProperty(named = "moneytrail.bench.test", matches = "true")
class CheckoutBenchTest {

    @Test
    void the_json_line_carries_the_counted_figures_and_the_ceiling() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = new CommandLine(new CheckoutBench()).execute("--lifecycles", "20", "--warmup", "5",
                    "--concurrency", "4", "--ceiling-seconds", "1", "--json");
        } finally {
            System.setOut(previous);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        String[] lines = out.strip().split("\n");
        JsonNode figures = new JsonMapper().readTree(lines[lines.length - 1]);
        assertThat(figures.path("failures").asInt(-1)).as(out).isZero();
        assertThat(figures.path("sandbox").asText()).isEqualTo("process");
        assertThat(figures.path("synchronous_commit").asText()).isEqualTo("on");
        assertThat(figures.path("fsync").asText()).isEqualTo("on");
        assertThat(figures.path("lifecycles_per_second").asDouble()).isPositive();
        assertThat(figures.path("statements_per_lifecycle").asDouble()).isPositive();
        assertThat(figures.path("commits_per_lifecycle").asDouble()).isPositive()
                .isLessThan(figures.path("statements_per_lifecycle").asDouble());
        assertThat(figures.path("commit_ceiling_per_second").asDouble()).isPositive();
        assertThat(figures.path("ratio_to_ceiling").asDouble()).isPositive();
        for (String call : new String[] {"create_order", "create_payment", "pay_page", "until_paid", "get_order",
                "refund"}) {
            JsonNode latency = figures.path("calls").path(call);
            assertThat(latency.path("p50_ms").asDouble()).as(call).isPositive();
            assertThat(latency.path("p99_ms").asDouble()).as(call).isGreaterThanOrEqualTo(latency.path("p50_ms").asDouble());
        }
        // the sandbox runs elsewhere: the pay page costs Moneytrail no statement, the webhooks it sends do
        JsonNode byCall = figures.path("statements_by_call");
        assertThat(byCall.path("create_order").path("statements_per_request").asDouble()).isPositive();
        assertThat(byCall.path("webhook").path("requests").asLong()).isGreaterThanOrEqualTo(20);
        assertThat(byCall.has("POST /sandbox/pay/{id}")).isFalse();
        assertThat(out).doesNotContain("\"p99\"");
        JsonNode cpu = figures.path("cpu_ms_per_lifecycle");
        assertThat(cpu.path("moneytrail_and_client_jvm").asDouble()).isPositive();
        assertThat(cpu.path("sandbox_jvm").asDouble()).isPositive();
        assertThat(cpu.path("postgres").asDouble()).isPositive();
        assertThat(figures.path("cpu_bound_lifecycles_per_second").asDouble()).isPositive();
    }
}
