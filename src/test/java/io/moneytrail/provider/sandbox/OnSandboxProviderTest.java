package io.moneytrail.provider.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The sandbox is offered as a payment provider only when there is a sandbox to talk to. */
class OnSandboxProviderTest {

    private static boolean offered(String... properties) {
        MockEnvironment environment = new MockEnvironment();
        for (int i = 0; i < properties.length; i += 2) {
            environment.setProperty(properties[i], properties[i + 1]);
        }
        return OnSandboxProvider.outcome(environment).isMatch();
    }

    @Test
    void with_the_embedded_database_the_in_process_sandbox_is_offered() {
        assertThat(offered()).isTrue();
        assertThat(offered("moneytrail.sandbox.enabled", "false")).isFalse();
    }

    @Test
    void with_an_external_database_it_is_offered_only_when_a_sandbox_is_configured() {
        assertThat(offered("moneytrail.db.url", "jdbc:postgresql://db/moneytrail")).isFalse();
        assertThat(offered("moneytrail.db.url", "jdbc:postgresql://db/moneytrail",
                "moneytrail.sandbox.enabled", "true")).isTrue();
        assertThat(offered("moneytrail.db.url", "jdbc:postgresql://db/moneytrail",
                "moneytrail.provider.sandbox.base-url", "http://sandbox:8081/sandbox")).isTrue();
    }

    @Test
    void an_explicit_setting_wins() {
        assertThat(offered("moneytrail.provider.sandbox.enabled", "false")).isFalse();
        assertThat(offered("moneytrail.db.url", "jdbc:postgresql://db/moneytrail",
                "moneytrail.provider.sandbox.enabled", "true")).isTrue();
    }
}
