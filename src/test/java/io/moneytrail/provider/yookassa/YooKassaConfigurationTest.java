package io.moneytrail.provider.yookassa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.provider.ProviderCredentials;
import io.moneytrail.provider.ProviderMisconfiguredException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class YooKassaConfigurationTest {

    private static boolean enabled(MockEnvironment environment) {
        return ProviderCredentials.condition(environment, "YooKassa", OnYooKassaConfigured.CREDENTIALS).isMatch();
    }

    @Test
    void yookassa_is_on_with_both_credentials_and_off_with_neither() {
        assertThat(enabled(new MockEnvironment())).isFalse();
        assertThat(enabled(new MockEnvironment().withProperty("moneytrail.yookassa.shop-id", "100500")
                .withProperty("moneytrail.yookassa.secret-key", "test_x"))).isTrue();
    }

    @Test
    void a_shop_id_without_its_secret_key_stops_the_start_naming_the_missing_variable() {
        assertThatThrownBy(() -> enabled(new MockEnvironment().withProperty("moneytrail.yookassa.shop-id", "100500")))
                .isInstanceOf(ProviderMisconfiguredException.class)
                .hasMessageContaining("MONEYTRAIL_YOOKASSA_SHOP_ID")
                .hasMessageContaining("MONEYTRAIL_YOOKASSA_SECRET_KEY");
        assertThatThrownBy(() -> enabled(new MockEnvironment().withProperty("moneytrail.yookassa.secret-key", "test_x")))
                .isInstanceOf(ProviderMisconfiguredException.class)
                .hasMessageContaining("MONEYTRAIL_YOOKASSA_SHOP_ID")
                .hasMessageNotContaining("test_x");
    }
}
