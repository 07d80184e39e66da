package io.moneytrail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.moneytrail.database.DatabaseEndpoint;
import io.moneytrail.payment.PaymentProviders;
import io.moneytrail.testing.ApiTest;
import io.moneytrail.testing.SecondInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

/**
 * A service on an external database (the test's PostgreSQL by URL, as production would be):
 * no sandbox unless asked, and not with its published secrets.
 */
class SandboxWithExternalDatabaseTest extends ApiTest {

    @Autowired
    DatabaseEndpoint database;

    @Test
    void on_an_external_database_the_service_starts_without_the_sandbox_or_the_sandbox_provider() {
        // blank values: as if the defaults SecondInstance passes were never given
        try (ConfigurableApplicationContext service = SecondInstance.start(database, api, "no-sandbox",
                "--moneytrail.sandbox.enabled=", "--moneytrail.provider.sandbox.base-url=",
                "--moneytrail.scheduling.enabled=false")) {
            assertThat(service.getBeanNamesForType(SandboxService.class)).isEmpty();
            assertThat(service.getBeanNamesForType(SandboxConfiguration.class)).isEmpty();
            assertThat(service.getBean(PaymentProviders.class).has("sandbox")).isFalse();
        }
    }

    @Test
    void the_sandbox_enabled_on_an_external_database_with_its_default_secrets_refuses_to_start() {
        Throwable failure = catchThrowable(() -> SecondInstance.start(database, api, "unsafe-sandbox",
                "--moneytrail.sandbox.enabled=true", "--moneytrail.scheduling.enabled=false").close());

        assertThat(NestedExceptionUtils.getMostSpecificCause(failure)).isInstanceOf(UnsafeSandboxException.class)
                .hasMessageContaining("published default API key (MONEYTRAIL_SANDBOX_API_KEY)");
    }

    @Test
    void the_yookassa_dialect_on_an_external_database_with_its_default_secret_key_refuses_to_start() {
        Throwable failure = catchThrowable(() -> SecondInstance.start(database, api, "unsafe-yookassa",
                "--moneytrail.sandbox.enabled=true", "--moneytrail.sandbox.api-key=sk_staging_own",
                "--moneytrail.sandbox.webhook-secret=whsec_staging_own", "--moneytrail.scheduling.enabled=false")
                .close());

        assertThat(NestedExceptionUtils.getMostSpecificCause(failure)).isInstanceOf(UnsafeSandboxException.class)
                .hasMessageContaining("MONEYTRAIL_SANDBOX_YOOKASSA_SECRET_KEY");
    }
}
