package io.moneytrail.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.ApiTest;
import org.junit.jupiter.api.Test;

/**
 * Every refusal under {@code /v1} is the JSON error envelope, never an HTML page of Tomcat or
 * Spring, even when the client asks for HTML.
 */
class ErrorEnvelopeUnderV1Test extends ApiTest {

    private static final String HTML = "Accept: text/html,application/xhtml+xml";

    @Test
    void malformed_json_is_400_with_the_envelope() {
        assertEnvelope(RawHttp.sendBody(port, "POST", "/v1/orders", "{", "Content-Type: application/json", key(), HTML),
                400, "body_invalid");
    }

    @Test
    void a_request_tomcat_refuses_itself_is_400_with_the_envelope() {
        assertEnvelope(RawHttp.send(port, "GET", "/v1/orders/a%2Fb", key(), HTML), 400, "request_malformed");
    }

    @Test
    void an_unknown_route_is_404_with_the_envelope() {
        assertEnvelope(RawHttp.send(port, "GET", "/v1/no_such_thing", key(), HTML), 404, "route_missing");
    }

    @Test
    void a_wrong_method_is_405_with_the_envelope() {
        assertEnvelope(RawHttp.send(port, "DELETE", "/v1/orders", key(), HTML), 405, "method_not_allowed");
    }

    @Test
    void asking_for_html_only_is_406_with_the_envelope() {
        assertEnvelope(RawHttp.send(port, "GET", "/v1/orders", key(), "Accept: text/html"), 406, "not_acceptable");
    }

    @Test
    void a_body_over_the_bound_is_413_with_the_envelope() {
        String big = "{\"reference\":\"" + "a".repeat(1_100_000) + "\"}";
        assertEnvelope(RawHttp.sendBody(port, "POST", "/v1/orders", big, "Content-Type: application/json", key(), HTML),
                413, "body_too_large");
    }

    @Test
    void a_body_that_is_not_json_is_415_with_the_envelope() {
        assertEnvelope(RawHttp.sendBody(port, "POST", "/v1/orders", "x", "Content-Type: text/plain", key(), HTML),
                415, "content_type_unsupported");
    }

    @Test
    void a_missing_key_is_401_and_a_wrong_role_403_with_the_envelope() {
        assertEnvelope(RawHttp.send(port, "GET", "/v1/orders", HTML), 401, "invalid_api_key");
    }

    private String key() {
        return "Authorization: Bearer " + api.key();
    }

    private static void assertEnvelope(RawHttp.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.isEnvelope()).as(response.headers() + " " + response.body()).isTrue();
        assertThat(response.errorCode()).isEqualTo(code);
    }
}
