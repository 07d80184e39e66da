package io.moneytrail.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** A provider is on with all its credentials, off with none, and a half-configured one stops the start. */
class ProviderCredentialsTest {

    private static final List<String> STRIPE = List.of("moneytrail.stripe.secret-key", "moneytrail.stripe.webhook-secret");

    @Test
    void none_set_leaves_the_provider_off() {
        assertThat(ProviderCredentials.condition(new MockEnvironment(), "Stripe", STRIPE).isMatch()).isFalse();
    }

    @Test
    void all_set_turns_it_on() {
        MockEnvironment env = new MockEnvironment().withProperty("moneytrail.stripe.secret-key", "sk_test_x")
                .withProperty("moneytrail.stripe.webhook-secret", "whsec_x");
        assertThat(ProviderCredentials.condition(env, "Stripe", STRIPE).isMatch()).isTrue();
    }

    @Test
    void a_key_without_its_webhook_secret_is_refused_naming_both_variables() {
        MockEnvironment env = new MockEnvironment().withProperty("moneytrail.stripe.secret-key", "sk_test_x")
                .withProperty("moneytrail.stripe.webhook-secret", " ");
        assertThatThrownBy(() -> ProviderCredentials.condition(env, "Stripe", STRIPE))
                .isInstanceOf(ProviderMisconfiguredException.class)
                .hasMessage("Stripe is configured halfway: MONEYTRAIL_STRIPE_SECRET_KEY is set but "
                        + "MONEYTRAIL_STRIPE_WEBHOOK_SECRET is not");
    }

    @Test
    void an_api_base_on_this_process_is_resolved_with_the_port_known_at_use() {
        MockEnvironment env = new MockEnvironment();
        ApiBase base = ApiBase.of("/sandbox/stripe/", "https://api.stripe.com", env);
        env.setProperty("local.server.port", "41234");
        assertThat(base.resolve()).isEqualTo("http://localhost:41234/sandbox/stripe");
        assertThat(base.local()).isTrue();
        assertThat(ApiBase.of(" ", "https://api.stripe.com", env).resolve()).isEqualTo("https://api.stripe.com");
        assertThatThrownBy(() -> ApiBase.of("ftp://x", "https://api.stripe.com", env))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
