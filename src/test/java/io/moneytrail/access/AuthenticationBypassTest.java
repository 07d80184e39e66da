package io.moneytrail.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.ApiTest;
import org.junit.jupiter.api.Test;

/**
 * The spellings that reached controllers without a key (issue 9): each is refused before any
 * filter or controller of ours sees it, with the error envelope, with or without a key.
 */
class AuthenticationBypassTest extends ApiTest {

    @Test
    void get_orders_spelled_with_encoded_letters_is_400_request_rejected() {
        assertRejected(RawHttp.send(port, "GET", "/%76%31/orders"));
        assertRejected(RawHttp.send(port, "GET", "/%76%31/orders", bearer()));
    }

    @Test
    void get_orders_with_a_path_parameter_on_v1_is_400_request_rejected() {
        assertRejected(RawHttp.send(port, "GET", "/v1;x/orders"));
        assertRejected(RawHttp.send(port, "GET", "/v1;x/orders", bearer()));
    }

    @Test
    void get_trial_balance_with_a_path_parameter_on_v1_is_400_request_rejected() {
        assertRejected(RawHttp.send(port, "GET", "/v1;a=b/ledger/trial-balance"));
    }

    @Test
    void post_orders_with_a_path_parameter_on_v1_is_400_and_creates_no_order() {
        long before = orders();
        RawHttp.Response response = RawHttp.sendBody(port, "POST", "/v1;x/orders", """
                {"currency":"EUR","lines":[{"sku":"S","name":"N","quantity":1,"unit_amount":100,"vat_rate":0}]}""",
                "Content-Type: application/json");
        assertRejected(response);
        assertThat(orders()).isEqualTo(before);
    }

    @Test
    void post_refunds_spelled_with_encoded_letters_is_400_even_with_a_key_so_idempotency_cannot_be_skipped() {
        assertRejected(RawHttp.sendBody(port, "POST", "/%76%31/refunds", "{}", "Content-Type: application/json",
                "Idempotency-Key: bypass-1", bearer()));
    }

    @Test
    void an_encoded_slash_under_the_public_webhook_route_is_400_with_the_envelope_not_tomcats_html_page() {
        RawHttp.Response response = RawHttp.send(port, "GET", "/v1/webhooks/..%2F..%2Fv1/orders");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.isEnvelope()).as(response.body()).isTrue();
        assertThat(response.body()).doesNotContain("Tomcat");
    }

    @Test
    void double_slashes_dot_segments_encoded_dots_and_backslashes_are_400_with_the_envelope() {
        for (String target : new String[] {"/v1//orders", "/v1/./orders", "/v1/orders/../orders",
                "/v1/%2e%2e/v1/orders", "/v1/orders/%2E%2E/x", "/v1/orders%5Cx", "/v1/orders/%25"}) {
            RawHttp.Response response = RawHttp.send(port, "GET", target, bearer());
            assertThat(response.status()).as(target).isEqualTo(400);
            assertThat(response.isEnvelope()).as(target + " " + response.body()).isTrue();
        }
    }

    @Test
    void nul_in_the_path_or_query_and_an_undecodable_query_are_400_with_the_envelope() {
        for (String target : new String[] {"/v1/orders%00", "/v1/orders?starting_after=%00",
                "/v1/orders?starting_after=%zz", "/v1/orders?starting_after=%"}) {
            RawHttp.Response response = RawHttp.send(port, "GET", target, bearer());
            assertThat(response.status()).as(target).isEqualTo(400);
            assertThat(response.isEnvelope()).as(target + " " + response.body()).isTrue();
        }
    }

    @Test
    void an_unknown_http_method_is_400_with_the_envelope() {
        RawHttp.Response response = RawHttp.send(port, "FOO", "/v1/orders", bearer());
        assertRejected(response);
    }

    @Test
    void the_plain_spelling_still_needs_a_key_and_works_with_one() {
        assertThat(RawHttp.send(port, "GET", "/v1/orders").status()).isEqualTo(401);
        assertThat(RawHttp.send(port, "GET", "/v1/orders?limit=1", bearer()).status()).isEqualTo(200);
    }

    private String bearer() {
        return "Authorization: Bearer " + api.key();
    }

    private long orders() {
        return jdbc.sql("select count(*) from orders").query(Long.class).single();
    }

    private static void assertRejected(RawHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.isEnvelope()).as(response.body()).isTrue();
        assertThat(response.errorCode()).isEqualTo("request_rejected");
    }
}
