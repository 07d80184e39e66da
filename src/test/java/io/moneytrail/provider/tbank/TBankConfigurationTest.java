package io.moneytrail.provider.tbank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.provider.ProviderMisconfiguredException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** T-Bank is on with its terminal key and password, off with neither, and a start with one of them is refused. */
class TBankConfigurationTest {

    @Test
    void terminal_key_and_password_turn_tbank_on_and_neither_leaves_it_off() {
        assertThat(condition(new MockEnvironment()).isMatch()).isFalse();
        assertThat(condition(new MockEnvironment().withProperty("moneytrail.tbank.terminal-key", "T1DEMO")
                .withProperty("moneytrail.tbank.password", "secret")).isMatch()).isTrue();
    }

    @Test
    void a_terminal_key_without_its_password_stops_the_start_naming_the_variable() {
        assertThatThrownBy(() -> condition(new MockEnvironment().withProperty("moneytrail.tbank.terminal-key", "T1DEMO")))
                .isInstanceOf(ProviderMisconfiguredException.class)
                .hasMessageContaining("MONEYTRAIL_TBANK_PASSWORD");
    }

    @Test
    void the_password_never_appears_in_the_properties_text() {
        assertThat(new TBankProperties("T1DEMO", "s3cret", null, null, null, null, null, null).toString())
                .doesNotContain("s3cret");
    }

    private static org.springframework.boot.autoconfigure.condition.ConditionOutcome condition(MockEnvironment env) {
        return OnTBankProvider.outcome(env);
    }
}
