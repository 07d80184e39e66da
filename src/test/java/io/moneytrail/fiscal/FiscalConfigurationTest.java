package io.moneytrail.fiscal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** MONEYTRAIL_FISCAL_* as the issue lists them: defaults, the e-mail fallback, what a real ATOL needs. */
class FiscalConfigurationTest {

    private static FiscalProperties fiscal(String provider, String inn, String sno, String address, String email) {
        return new FiscalProperties(provider, null, inn, sno, address, email, null, null, null, null, null, null, null);
    }

    private static final AtolProperties NO_ATOL = new AtolProperties(null, null, null, null, null, null);

    @Test
    void unset_it_is_atol_against_the_sandbox_on_the_embedded_default_and_none_with_an_external_database() {
        assertThat(FiscalConfiguration.provider(null, new MockEnvironment())).isEqualTo("atol");
        assertThat(FiscalConfiguration.provider(null, new MockEnvironment()
                .withProperty("moneytrail.db.url", "jdbc:postgresql://db/shop"))).isEqualTo("none");
        assertThat(FiscalConfiguration.provider(null, new MockEnvironment()
                .withProperty("moneytrail.sandbox.enabled", "false"))).isEqualTo("none");
        assertThat(FiscalConfiguration.provider("none", new MockEnvironment())).isEqualTo("none");
        assertThatThrownBy(() -> FiscalConfiguration.provider("kkt", new MockEnvironment()))
                .hasMessageContaining("none, atol or yookassa");

        FiscalSettings sandbox = new FiscalConfiguration().fiscalSettings(fiscal(null, null, null, null, null), NO_ATOL,
                new MockEnvironment());
        assertThat(sandbox.provider()).isEqualTo("atol");
        assertThat(sandbox.mode()).isEqualTo(FiscalMode.PREPAYMENT);
        assertThat(sandbox.company()).isEqualTo(new FiscalCompany(FiscalConfiguration.SANDBOX_INN, "osn",
                "https://shop.example.com", "noreply@shop.example.com"));
    }

    @Test
    void without_an_email_receipts_name_noreply_at_the_payment_address_host() {
        FiscalSettings settings = new FiscalConfiguration().fiscalSettings(fiscal("atol", "7707083893", "usn_income",
                        "https://www.myshop.ru/", null), new AtolProperties("login", "pass", "group",
                        "https://online.atol.ru/possystem/v5", null, null),
                new MockEnvironment().withProperty("moneytrail.db.url", "jdbc:postgresql://db/shop"));
        assertThat(settings.company().email()).isEqualTo("noreply@myshop.ru");
        assertThat(settings.company().sno()).isEqualTo("usn_income");
    }

    @Test
    void a_real_atol_refuses_to_start_naming_what_is_missing_and_a_wrong_tax_system() {
        MockEnvironment external = new MockEnvironment().withProperty("moneytrail.db.url", "jdbc:postgresql://db/shop");
        assertThatThrownBy(() -> new FiscalConfiguration().fiscalSettings(fiscal("atol", null, "osn",
                "https://myshop.ru", "shop@myshop.ru"), NO_ATOL, external))
                .hasMessageContaining("MONEYTRAIL_FISCAL_INN").hasMessageContaining("MONEYTRAIL_ATOL_LOGIN")
                .hasMessageContaining("MONEYTRAIL_ATOL_PASSWORD").hasMessageContaining("MONEYTRAIL_ATOL_GROUP");
        assertThatThrownBy(() -> new FiscalConfiguration().fiscalSettings(fiscal("atol", "7707083893", "envd",
                "https://myshop.ru", "shop@myshop.ru"), new AtolProperties("l", "p", "g", null, null, null), external))
                .hasMessageContaining("MONEYTRAIL_FISCAL_SNO");
        assertThat(FiscalMode.fromWire("full_payment")).isEqualTo(FiscalMode.FULL_PAYMENT);
        assertThatThrownBy(() -> FiscalMode.fromWire("later")).hasMessageContaining("MONEYTRAIL_FISCAL_MODE");
    }

    @Test
    void yookassas_own_receipts_need_only_the_tax_system_and_take_every_payment_or_only_yookassas() {
        MockEnvironment external = new MockEnvironment().withProperty("moneytrail.db.url", "jdbc:postgresql://db/shop");
        FiscalSettings yookassa = new FiscalConfiguration().fiscalSettings(fiscal("yookassa", null, "usn_income", null,
                null), NO_ATOL, external);
        assertThat(yookassa.yookassaReceipts()).isTrue();
        assertThat(yookassa.company().sno()).isEqualTo("usn_income");
        assertThat(yookassa.providers()).containsExactly("yookassa");
        assertThat(yookassa.providerFor("yookassa")).isEqualTo("yookassa");
        assertThat(yookassa.providerFor("stripe")).isEqualTo("yookassa"); // and YooKassaOwnReceipts fails it, saying why
        assertThatThrownBy(() -> new FiscalConfiguration().fiscalSettings(fiscal("yookassa", null, null, null, null),
                NO_ATOL, external)).hasMessageContaining("MONEYTRAIL_FISCAL_SNO")
                .hasMessageNotContaining("MONEYTRAIL_FISCAL_INN");

        FiscalProperties both = new FiscalProperties("atol", null, null, null, null, null, null, null, null, null, null,
                null, true);
        FiscalSettings mixed = new FiscalConfiguration().fiscalSettings(both, NO_ATOL, new MockEnvironment());
        assertThat(mixed.provider()).isEqualTo("atol");
        assertThat(mixed.providers()).containsExactlyInAnyOrder("atol", "yookassa");
        assertThat(mixed.providerFor("yookassa")).isEqualTo("yookassa");
        assertThat(mixed.providerFor("sandbox")).isEqualTo("atol");

        FiscalSettings atolOnly = new FiscalConfiguration().fiscalSettings(fiscal(null, null, null, null, null), NO_ATOL,
                new MockEnvironment());
        assertThat(atolOnly.providerFor("yookassa")).isEqualTo("atol");
        assertThat(atolOnly.providers()).containsExactly("atol");
        FiscalSettings none = new FiscalConfiguration().fiscalSettings(fiscal("none", null, null, null, null), NO_ATOL,
                external);
        assertThat(none.providers()).isEmpty();
        assertThat(none.providerFor("yookassa")).isEqualTo("none");
    }
}
