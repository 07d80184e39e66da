package io.moneytrail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** When the in-process sandbox runs, and when it refuses to. */
class SandboxModeTest {

    private static final SandboxProperties DEFAULTS = new SandboxProperties(null, null, null, null, null, null, null);
    private static final SandboxProperties OWN_SECRETS = new SandboxProperties(true, "sk_sandbox_staging_9f2c",
            "whsec_staging_41aa", null, null, null, null);

    @Test
    void with_the_embedded_database_the_sandbox_is_on_unless_switched_off() {
        assertThat(SandboxMode.decide(null, false).enabled()).isTrue();
        assertThat(SandboxMode.decide(false, false).enabled()).isFalse();
    }

    @Test
    void with_an_external_database_the_sandbox_is_off_unless_enabled_explicitly() {
        assertThat(SandboxMode.decide(null, true).enabled()).isFalse();
        assertThat(SandboxMode.decide(null, true).reason()).contains("external database");
        assertThat(SandboxMode.decide(true, true).enabled()).isTrue();
    }

    @Test
    void enabled_next_to_an_external_database_it_refuses_its_published_default_secrets() {
        assertThatThrownBy(() -> SandboxMode.refuseUnsafe(true, DEFAULTS)).isInstanceOf(UnsafeSandboxException.class)
                .hasMessageStartingWith("The sandbox provider is enabled with an external database (MONEYTRAIL_DB_URL)"
                        + " but keeps its published default API key (MONEYTRAIL_SANDBOX_API_KEY) and webhook secret"
                        + " (MONEYTRAIL_SANDBOX_WEBHOOK_SECRET)")
                .hasMessageContaining("Leave the sandbox off in production");
        SandboxProperties defaultSecretOnly = new SandboxProperties(true, "sk_sandbox_staging_9f2c", null, null,
                null, null, null);
        assertThatThrownBy(() -> SandboxMode.refuseUnsafe(true, defaultSecretOnly))
                .hasMessageContaining("published default webhook secret (MONEYTRAIL_SANDBOX_WEBHOOK_SECRET)");
    }

    @Test
    void with_secrets_of_its_own_or_the_embedded_database_it_starts() {
        SandboxMode.refuseUnsafe(true, OWN_SECRETS);
        SandboxMode.refuseUnsafe(false, DEFAULTS);
    }

    @Test
    void the_documented_environment_variables_reach_the_decision_and_the_secrets() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("MONEYTRAIL_SANDBOX_ENABLED", "true", "MONEYTRAIL_DB_URL", "jdbc:postgresql://db/x",
                                "MONEYTRAIL_SANDBOX_API_KEY", "sk_own", "MONEYTRAIL_SANDBOX_WEBHOOK_SECRET", "whsec_own")));
        ConfigurationPropertySources.attach(environment);

        assertThat(SandboxMode.decide(environment).enabled()).isTrue();
        assertThat(SandboxMode.externalDatabase(environment)).isTrue();
        SandboxProperties bound = Binder.get(environment).bind("moneytrail.sandbox", SandboxProperties.class).get();
        assertThat(bound.apiKey()).isEqualTo("sk_own");
        assertThat(bound.webhookSecret()).isEqualTo("whsec_own");
    }

    @Test
    void the_switch_is_true_false_or_unset() {
        assertThat(SandboxMode.explicit(" TRUE ")).isTrue();
        assertThat(SandboxMode.explicit("")).isNull();
        assertThatThrownBy(() -> SandboxMode.explicit("yes")).hasMessageContaining("true or false");
    }
}
