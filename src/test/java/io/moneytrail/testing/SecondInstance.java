package io.moneytrail.testing;

import io.moneytrail.Moneytrail;
import io.moneytrail.database.DatabaseEndpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A second Moneytrail instance in this JVM against the test's own PostgreSQL, with its own
 * workers, for the tests that prove several instances share the work without doing a job
 * twice. Settings are command-line arguments: they take precedence over application.yml
 * (default properties would not, and the instance would start its own embedded database).
 */
public final class SecondInstance {

    private SecondInstance() {
    }

    /**
     * Starts it on a random port, without a sandbox of its own (it uses the test's, at
     * {@code api}), with {@code target/test-data-second-<name>} as its data directory.
     */
    public static ConfigurableApplicationContext start(DatabaseEndpoint database, Api api, String name,
                                                       String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--moneytrail.db.url=" + database.jdbcUrl(),
                "--moneytrail.db.user=" + database.username(),
                "--moneytrail.db.password=" + database.password(),
                "--moneytrail.db.migration-user=" + database.ownerUsername(),
                "--moneytrail.db.migration-password=" + database.ownerPassword(),
                "--moneytrail.db.pool-size=8",
                "--moneytrail.data-dir=target/test-data-second-" + name,
                "--moneytrail.sandbox.enabled=false",
                "--moneytrail.provider.sandbox.base-url=" + api.base() + "/sandbox",
                // the same YooKassa as the test's instance (ApiTest): its payments are in the shared database
                "--moneytrail.yookassa.shop-id=100500",
                "--moneytrail.yookassa.secret-key=test_sandbox_yookassa_local",
                "--moneytrail.yookassa.api-base=" + api.base() + "/sandbox/yookassa",
                "--moneytrail.yookassa.trusted-networks=127.0.0.1/32,::1/128",
                "--moneytrail.yookassa.read-timeout-ms=2000",
                "--moneytrail.fiscal.yookassa-receipts=true",
                "--moneytrail.outbound.allow-private=true", // the tests' store receiver is on 127.0.0.1
                "--spring.main.banner-mode=off",
                "--logging.level.io.moneytrail=warn"));
        // a setting given here replaces the default of the same name (a repeated argument would be read as a list)
        for (String setting : settings) {
            String key = setting.contains("=") ? setting.substring(0, setting.indexOf('=') + 1) : setting;
            args.removeIf(arg -> arg.startsWith(key));
        }
        args.addAll(Arrays.asList(settings));
        return new SpringApplicationBuilder(Moneytrail.class).run(args.toArray(new String[0]));
    }
}
