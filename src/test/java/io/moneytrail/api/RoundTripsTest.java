package io.moneytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * What one checkout lifecycle costs Moneytrail's own connections, per HTTP call, counted on the
 * request's thread ({@link StatementCounting}): create the order, start the payment, pay on the
 * sandbox page (its webhook comes back to us), refund with an {@code Idempotency-Key}, read the
 * order. Prints the breakdown (and each call's SQL with {@code -Droundtrips.sql=true}); asserts
 * the bounds of the read path and of the lifecycle as a whole.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "moneytrail.data-dir=target/test-data-roundtrips",
        "moneytrail.db.embedded-clean=true",
        "moneytrail.payments.compensation.delay=0s",
        "logging.level.io.moneytrail=warn"
})
@Import(StatementCounting.class)
class RoundTripsTest {

    private static final Path DATA_DIR = Path.of("target/test-data-roundtrips");

    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void connect() throws Exception {
        api = new Api("http://localhost:" + port, Files.readString(DATA_DIR.resolve("secret-key")).trim());
    }

    private List<StatementCounting.Call> lifecycle() {
        StatementCounting.CALLS.clear();
        String order = api.createOrder(1250, 2).text("id");
        Api.Response payment = api.createPayment(order, "automatic");
        String redirect = payment.body().path("next_action").path("redirect_url").asText();
        assertThat(api.completeSandboxPage(redirect, "succeeded")).isIn(200, 303);
        api.eventually("/v1/orders/" + order, r -> "paid".equals(r.text("payment_status")));
        api.post("/v1/refunds", "{\"payment\":\"" + payment.text("id") + "\",\"amount\":1000}",
                UUID.randomUUID().toString()).expect(200);
        // the sandbox's webhooks of this lifecycle (the payment's and the refund's) have come in
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (StatementCounting.CALLS.stream().filter(c -> c.path().startsWith("/v1/webhooks/")).count() < 2
                && System.nanoTime() < deadline) {
            Api.sleep(20);
        }
        api.get("/v1/orders/" + order).expect(200);
        return List.copyOf(StatementCounting.CALLS);
    }

    @Test
    void a_checkout_lifecycle_costs_few_statements() {
        lifecycle(); // warm: caches, prepared plans
        List<StatementCounting.Call> calls = lifecycle();
        int statements = 0;
        int commits = 0;
        int polls = 0;
        int pollStatements = 0;
        boolean sql = Boolean.getBoolean("roundtrips.sql");
        StringBuilder report = new StringBuilder("one checkout lifecycle, per call:\n");
        for (StatementCounting.Call call : calls) {
            boolean poll = call.method().equals("GET");
            if (poll) {
                polls++;
                pollStatements += call.statements();
            }
            statements += call.statements();
            commits += call.commits();
            report.append("  ").append(call).append('\n');
            if (sql || !poll) {
                call.sql().forEach(s -> report.append("      ").append(s.length() > 160 ? s.substring(0, 160) + "…" : s)
                        .append('\n'));
            }
        }
        report.append("total: ").append(statements).append(" statements (").append(pollStatements).append(" in ")
                .append(polls).append(" GETs), ").append(commits).append(" commits");
        System.out.println(report);
        int writeStatements = 0;
        for (StatementCounting.Call call : calls) {
            // the API key's lookup runs when its cache entry has expired (moneytrail.api.key-cache-ttl), on any call
            long own = call.sql().stream().filter(s -> !s.contains(" from api_keys ")).count();
            if (call.method().equals("GET") && call.path().startsWith("/v1/orders/")) {
                assertThat(own).as("GET /v1/orders/{id}, one statement: %s", call.sql()).isLessThanOrEqualTo(1);
                assertThat(call.commits()).as("GET /v1/orders/{id} commits nothing").isZero();
            } else {
                writeStatements += (int) own;
            }
            if (call.method().equals("POST") && call.path().matches("/v1/orders/[^/]+/payments")) {
                assertThat(own).as("POST /v1/orders/{id}/payments: %s", call.sql()).isLessThanOrEqualTo(12);
            }
        }
        // create order, start the payment, refund and the two webhooks (2026-12-02: 62, then 39, now 33; a refund
        // webhook that overtakes the refund's own answer records the refund, and the answer then writes less)
        assertThat(writeStatements).as("statements of the lifecycle's POSTs").isLessThanOrEqualTo(35);
        // each request commits once, starting a payment and a refund twice (intent, then the provider's answer):
        // the refund's idempotency claim commits with its intent
        assertThat(commits).as("commits of the lifecycle's requests").isLessThanOrEqualTo(7);
        for (StatementCounting.Call call : calls) {
            if (call.method().equals("POST") && call.path().equals("/v1/refunds")) {
                assertThat(call.commits()).as("POST /v1/refunds: claim with the intent, then the answer").isEqualTo(2);
                assertThat(call.sql().stream().filter(s -> !s.contains(" from api_keys ")).count())
                        .as("POST /v1/refunds: %s", call.sql()).isLessThanOrEqualTo(11);
            }
            if (call.method().equals("POST") && call.path().startsWith("/v1/webhooks/")) {
                assertThat(call.statements()).as("a webhook: %s", call.sql()).isLessThanOrEqualTo(8);
                assertThat(call.sql().get(0)).as("a webhook's first statement is its inbox insert: the payment "
                        + "was known without one").startsWith("insert into webhook_inbox");
            }
        }
    }
}
