package io.moneytrail.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Base of tests that drive the running service over real HTTP against the embedded
 * PostgreSQL. Every test class shares one Spring context and one database per JVM (same
 * configuration, so the context cache reuses it). The secret key is the one the service
 * generated on its first start, read from the data directory as a user would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "moneytrail.data-dir=target/test-data",
        "moneytrail.db.embedded-clean=true",
        "moneytrail.webhooks.retry-interval-ms=500",
        "moneytrail.payments.worker-interval-ms=200",
        "moneytrail.payments.resolver.schedule=300ms,1s,2s",
        "moneytrail.payments.compensation.delay=0s",
        "moneytrail.provider.sandbox.read-timeout-ms=2000",
        // Stripe through the sandbox's Stripe dialect, with its well-known local test credentials
        "moneytrail.stripe.api-base=/sandbox/stripe",
        "moneytrail.stripe.read-timeout-ms=2000",
        "moneytrail.stripe.secret-key=sk_test_moneytrail_sandbox",
        "moneytrail.stripe.webhook-secret=whsec_moneytrail_sandbox",
        // T-Bank through the sandbox's T-Bank dialect, with its well-known local terminal
        "moneytrail.tbank.api-base=/sandbox/tbank",
        "moneytrail.tbank.password=sandbox_tbank_local",
        "moneytrail.tbank.read-timeout-ms=2000",
        "moneytrail.tbank.terminal-key=SandboxTerminalDEMO",
        // YooKassa through the sandbox's YooKassa dialect (its well-known local shop); its notifications come from loopback
        "moneytrail.yookassa.api-base=/sandbox/yookassa",
        "moneytrail.yookassa.read-timeout-ms=2000",
        "moneytrail.yookassa.secret-key=test_sandbox_yookassa_local",
        "moneytrail.yookassa.shop-id=100500",
        "moneytrail.yookassa.trusted-networks=127.0.0.1/32,::1/128",
        // payments through YooKassa get YooKassa's own receipts; the other providers' keep ATOL (the default)
        "moneytrail.fiscal.yookassa-receipts=true",
        // loopback is the tests' proxy: a test may claim another sender with X-Forwarded-For
        "moneytrail.trusted-proxies=127.0.0.1/32,::1/128",
        "moneytrail.ledger.accounts.[assets\\:bank\\:configured]=A bank account added by configuration",
        "moneytrail.ledger.approval-above=100000000",
        // outbound webhooks: quick polls and short backoff, so retry tests take a second, not an hour
        "moneytrail.outbound.poll-interval-ms=100",
        "moneytrail.outbound.backoff-base-ms=50",
        "moneytrail.outbound.attempts-max=5",
        "moneytrail.outbound.request-timeout-ms=1000",
        // the tests' store receiver listens on 127.0.0.1 (MONEYTRAIL_OUTBOUND_ALLOW_PRIVATE=true)
        "moneytrail.outbound.allow-private=true",
        // reconciliation uploads: past the 1 MiB API body bound, below the service default (200 MiB)
        "moneytrail.reconciliation.file-bytes-max=2097152",
        // a repeat waits this long for a claim in progress before 409 idempotency_key_in_use
        "moneytrail.api.idempotency-wait=3s",
        // the 1C exchange (issue 14): its well-known local test user
        "moneytrail.onec.username=" + ApiTest.ONEC_USERNAME,
        "moneytrail.onec.password=" + ApiTest.ONEC_PASSWORD,
        // checkout (issue 13): the confirmation shows long enough for a screenshot on a busy machine
        "moneytrail.checkout.redirect-delay=5s",
        "logging.level.io.moneytrail=warn"
})
public abstract class ApiTest {

    public static final Path DATA_DIR = Path.of("target/test-data");
    /** The 1C exchange's user in tests (a well-known local test credential). */
    public static final String ONEC_USERNAME = "1c-exchange";
    public static final String ONEC_PASSWORD = "onec-local-test-password";

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    protected Api api;

    @BeforeEach
    void connect() throws Exception {
        AwayFromMidnight.await();
        api = new Api("http://localhost:" + port, Files.readString(DATA_DIR.resolve("secret-key")).trim());
    }
}
