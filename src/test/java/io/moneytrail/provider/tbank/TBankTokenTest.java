package io.moneytrail.provider.tbank;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** T-Bank's token against the test vectors of its own documentation (provider-examples/tbank/token-*.json). */
class TBankTokenTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    static JsonNode example(String file) {
        try (InputStream in = TBankTokenTest.class.getResourceAsStream("/provider-examples/tbank/" + file)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void init_token_matches_the_documented_example_leaving_out_data_and_receipt() {
        JsonNode example = example("token-init.json");
        String password = example.get("password").asString();
        assertThat(TBankToken.of(example.get("request"), password)).isEqualTo(example.get("token").asString());
        assertThat(TBankToken.sha256(example.get("concatenated").asString())).isEqualTo(example.get("token").asString());
    }

    @Test
    void a_request_built_as_a_map_signs_like_the_documented_json() {
        JsonNode example = example("token-init.json");
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("TerminalKey", "MerchantTerminalKey");
        request.put("Amount", 19200L);
        request.put("OrderId", "21090");
        request.put("Description", "Подарочная карта на 1000 рублей");
        request.put("DATA", Map.of("Phone", "+71234567890", "Email", "a@test.com"));
        assertThat(TBankToken.of(request, example.get("password").asString()))
                .isEqualTo(example.get("token").asString());
    }

    @Test
    void notification_token_matches_the_documented_example_with_booleans_as_true_false() {
        JsonNode example = example("token-notification.json");
        String password = example.get("password").asString();
        assertThat(TBankToken.of(example.get("notification"), password)).isEqualTo(example.get("token").asString());
        ((tools.jackson.databind.node.ObjectNode) example.get("notification")).put("Token", example.get("token").asString());
        assertThat(TBankToken.matches(example.get("notification"), password)).isTrue();
        assertThat(TBankToken.matches(example.get("notification"), password + "x")).isFalse();
    }

    @Test
    void a_changed_value_breaks_the_token() {
        JsonNode example = example("token-notification.json");
        tools.jackson.databind.node.ObjectNode notification = (tools.jackson.databind.node.ObjectNode) example.get("notification");
        notification.put("Token", example.get("token").asString());
        notification.put("Status", "CONFIRMED");
        assertThat(TBankToken.matches(notification, example.get("password").asString())).isFalse();
    }
}
