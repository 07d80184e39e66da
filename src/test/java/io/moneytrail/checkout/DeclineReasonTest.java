package io.moneytrail.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

class DeclineReasonTest {

    @Test
    void each_providers_codes_map_to_the_customers_words() {
        assertThat(DeclineReason.of("sandbox", "declined")).isEqualTo(DeclineReason.GENERIC);
        assertThat(DeclineReason.of("sandbox", "3ds_failed")).isEqualTo(DeclineReason.THREE_DS_FAILED);
        assertThat(DeclineReason.of("stripe", "insufficient_funds")).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
        assertThat(DeclineReason.of("stripe", "payment_intent_authentication_failure"))
                .isEqualTo(DeclineReason.THREE_DS_FAILED);
        assertThat(DeclineReason.of("stripe", "expired_card")).isEqualTo(DeclineReason.CARD_EXPIRED);
        assertThat(DeclineReason.of("yookassa", "3d_secure_failed")).isEqualTo(DeclineReason.THREE_DS_FAILED);
        assertThat(DeclineReason.of("yookassa", "card_expired")).isEqualTo(DeclineReason.CARD_EXPIRED);
        assertThat(DeclineReason.of("yookassa", "insufficient_funds")).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
        assertThat(DeclineReason.of("tbank", "1051")).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
        assertThat(DeclineReason.of("tbank", "101")).isEqualTo(DeclineReason.THREE_DS_FAILED);
        assertThat(DeclineReason.of("tbank", "1054")).isEqualTo(DeclineReason.CARD_EXPIRED);
    }

    @Test
    void an_unknown_code_or_provider_is_the_plain_decline_never_a_guess() {
        assertThat(DeclineReason.of("stripe", "something_new")).isEqualTo(DeclineReason.GENERIC);
        assertThat(DeclineReason.of("acme", "insufficient_funds")).isEqualTo(DeclineReason.GENERIC);
        assertThat(DeclineReason.of("tbank", null)).isEqualTo(DeclineReason.GENERIC);
    }

    @Test
    void every_reason_has_its_sentence_in_english_and_russian() {
        for (String language : new String[] {"en", "ru"}) {
            ResourceBundle bundle = ResourceBundle.getBundle("messages", Locale.forLanguageTag(language),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            for (DeclineReason reason : DeclineReason.values()) {
                assertThat(bundle.containsKey(reason.messageKey())).as("%s in %s", reason.messageKey(), language).isTrue();
            }
        }
    }
}
