package io.moneytrail.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import io.moneytrail.testing.Receiver;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Over the API, with the tests' setting {@code MONEYTRAIL_OUTBOUND_ALLOW_PRIVATE=true} (the
 * receiver is on 127.0.0.1): what registration refuses regardless, what a stored endpoint that
 * is no longer allowed comes to at send time, and rolling an endpoint's secret. What is refused
 * only without allow-private is proven in {@link EndpointAddressPolicyTest}.
 */
class WebhookEndpointSecurityTest extends ApiTest {

    private final List<Receiver> receivers = new ArrayList<>();
    private final List<String> endpoints = new ArrayList<>();

    @AfterEach
    void disableEndpoints() {
        // the database is shared by every test class: leave no endpoint collecting events
        endpoints.forEach(id -> api.post("/v1/webhook_endpoints/" + id + "/disable", null).expect(200));
        receivers.forEach(Receiver::close);
    }

    private Api.Response register(String url) {
        Api.Response response = api.post("/v1/webhook_endpoints", "{\"url\":\"" + url + "\"}");
        if (response.status() == 200) {
            endpoints.add(response.text("id"));
        }
        return response;
    }

    private void assertRefused(String url, String code) {
        Api.Response refused = register(url).expect(400);
        assertThat(refused.errorType()).isEqualTo("invalid_request_error");
        assertThat(refused.errorCode()).as(url + " -> " + refused.raw()).isEqualTo(code);
        assertThat(refused.errorParam()).isEqualTo("url");
    }

    private String cancelledOrderEvent() {
        String order = api.createOrder(500, 1).text("id");
        api.post("/v1/orders/" + order + "/cancel", null).expect(200);
        return api.get("/v1/events?limit=1&order=" + order).expect(200).body().path("data").get(0).path("id").asText();
    }

    private JsonNode deliveryTo(String eventId, String endpointId) {
        for (JsonNode delivery : api.get("/v1/events/" + eventId).expect(200).body().path("deliveries")) {
            if (delivery.path("endpoint").asText().equals(endpointId)) {
                return delivery;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ registration

    @Test
    void registering_cloud_metadata_or_any_link_local_address_is_refused_even_with_allow_private() {
        assertRefused("http://169.254.169.254/latest/meta-data/", "url_not_allowed");
        assertRefused("http://169.254.170.2/v2/credentials", "url_not_allowed");
        assertRefused("http://[fe80::1]/", "url_not_allowed");
        assertRefused("http://[::ffff:169.254.169.254]/", "url_not_allowed");
        assertRefused("http://2852039166/", "url_not_allowed"); // 169.254.169.254 in decimal
    }

    @Test
    void registering_a_numeric_host_spelled_other_than_a_dotted_quad_is_refused() {
        assertRefused("http://2130706433/hooks", "url_not_allowed");
        assertRefused("http://0x7f000001/hooks", "url_not_allowed");
        assertRefused("http://0x7f.0.0.1/hooks", "url_not_allowed");
        assertRefused("http://0177.0.0.1/hooks", "url_not_allowed");
        assertRefused("http://127.1/hooks", "url_not_allowed");
    }

    @Test
    void registering_multicast_unspecified_broadcast_or_reserved_addresses_is_refused() {
        assertRefused("http://0.0.0.0:8080/", "url_not_allowed");
        assertRefused("http://[::]/", "url_not_allowed");
        assertRefused("http://224.0.0.251/", "url_not_allowed");
        assertRefused("http://[ff02::1]/", "url_not_allowed");
        assertRefused("http://255.255.255.255/", "url_not_allowed");
        assertRefused("http://192.0.2.10/", "url_not_allowed");
    }

    @Test
    void registering_a_url_with_credentials_or_another_scheme_is_refused() {
        assertRefused("https://user:secret@store.example/hooks", "url_not_allowed");
        assertRefused("https://store.example@127.0.0.1/hooks", "url_not_allowed");
        assertRefused("file:///etc/passwd", "url_invalid");
        assertRefused("gopher://127.0.0.1:6379/_INFO", "url_invalid");
    }

    @Test
    void loopback_private_and_mapped_addresses_are_accepted_with_allow_private() {
        for (String url : List.of("http://127.0.0.1:9/hooks", "http://localhost:9/hooks", "http://10.1.2.3/hooks",
                "http://192.168.10.20/hooks", "http://[::ffff:127.0.0.1]:9/hooks", "http://[::1]:9/hooks")) {
            Api.Response created = register(url);
            assertThat(created.status()).as(url + " -> " + created.raw()).isEqualTo(200);
            // disabled at once: these endpoints must not collect other tests' events
            api.post("/v1/webhook_endpoints/" + created.text("id") + "/disable", null).expect(200);
        }
    }

    // ------------------------------------------------------------------ send time

    @Test
    void a_stored_endpoint_at_a_refused_address_fails_its_deliveries_without_connecting() {
        // as an endpoint registered before these checks, or by SQL: registration would refuse it
        String endpoint = "we_01jzzzzzzzzzzzzzzzzzzzzzzm";
        jdbc.sql("""
                insert into webhook_endpoints (id, url, secret, enabled, created_at)
                values (:id, 'http://169.254.169.254/latest/meta-data/', 'whsec_x', true, :now)
                """).param("id", endpoint).param("now", Timestamp.from(Instant.now())).update();
        endpoints.add(endpoint);

        String event = cancelledOrderEvent();
        api.eventually("/v1/events/" + event,
                r -> "failed".equals(deliveryTo(event, endpoint).path("status").asText()));

        JsonNode parked = deliveryTo(event, endpoint);
        assertThat(parked.path("attempts").asInt()).isEqualTo(5); // retried like any failure, then parked
        assertThat(parked.path("last_status").isNull()).isTrue();
        assertThat(parked.path("last_error").asText())
                .isEqualTo("address not allowed: 169.254.169.254 is a link-local address (169.254.169.254)");
    }

    // ------------------------------------------------------------------ rolling the secret

    @Test
    void a_rolled_secret_signs_the_next_deliveries_and_the_old_one_stops_at_once() {
        Receiver receiver = Receiver.start();
        receivers.add(receiver);
        Api.Response created = register(receiver.url()).expect(200);
        String endpoint = created.text("id");
        String first = created.text("secret");

        Api.Response rolled = api.post("/v1/webhook_endpoints/" + endpoint + "/roll_secret", null).expect(200);
        String second = rolled.text("secret");
        assertThat(second).startsWith("whsec_").isNotEqualTo(first);
        assertThat(rolled.body().has("previous_secret_expires")).isFalse();
        assertThat(api.get("/v1/webhook_endpoints/" + endpoint).expect(200).body().has("secret")).isFalse();
        assertThat(jdbc.sql("""
                select count(*) from audit_log
                where action = 'webhook_endpoint.roll_secret' and object_id = :id and outcome = 'succeeded'
                """).param("id", endpoint).query(Long.class).single()).isEqualTo(1);

        String event = cancelledOrderEvent();
        Receiver.Received received = receiver.await(r -> event.equals(r.id()));
        assertThat(verifies(received, second)).isTrue();
        assertThat(verifies(received, first)).isFalse();
    }

    @Test
    void during_an_overlap_deliveries_are_signed_with_the_new_and_the_previous_secret() {
        Receiver receiver = Receiver.start();
        receivers.add(receiver);
        Api.Response created = register(receiver.url()).expect(200);
        String endpoint = created.text("id");
        String first = created.text("secret");

        long before = Instant.now().getEpochSecond();
        Api.Response rolled = api.post("/v1/webhook_endpoints/" + endpoint + "/roll_secret",
                "{\"overlap_seconds\":3600}").expect(200);
        String second = rolled.text("secret");
        assertThat(rolled.number("previous_secret_expires")).isBetween(before + 3590, before + 3610);
        assertThat(api.get("/v1/webhook_endpoints/" + endpoint).expect(200).number("previous_secret_expires"))
                .isEqualTo(rolled.number("previous_secret_expires"));

        String event = cancelledOrderEvent();
        Receiver.Received received = receiver.await(r -> event.equals(r.id()));
        assertThat(received.signature().split(",")).hasSize(3); // t, v1 (new), v1 (previous)
        assertThat(verifies(received, second)).isTrue();
        assertThat(verifies(received, first)).isTrue();

        // rolling again ends the first secret's overlap: only the two newest sign
        String third = api.post("/v1/webhook_endpoints/" + endpoint + "/roll_secret",
                "{\"overlap_seconds\":60}").expect(200).text("secret");
        String next = cancelledOrderEvent();
        Receiver.Received after = receiver.await(r -> next.equals(r.id()));
        assertThat(verifies(after, third)).isTrue();
        assertThat(verifies(after, second)).isTrue();
        assertThat(verifies(after, first)).isFalse();
    }

    @Test
    void rolling_with_a_bad_overlap_or_an_unknown_endpoint_is_refused() {
        Receiver receiver = Receiver.start();
        receivers.add(receiver);
        String endpoint = register(receiver.url()).expect(200).text("id");
        for (String body : List.of("{\"overlap_seconds\":-1}", "{\"overlap_seconds\":86401}")) {
            Api.Response refused = api.post("/v1/webhook_endpoints/" + endpoint + "/roll_secret", body).expect(400);
            assertThat(refused.errorCode()).isEqualTo("parameter_invalid");
            assertThat(refused.errorParam()).isEqualTo("overlap_seconds");
        }
        assertThat(api.post("/v1/webhook_endpoints/" + endpoint + "/roll_secret", "{\"overlap\":5}").expect(400)
                .errorCode()).isEqualTo("parameter_unknown");
        assertThat(api.post("/v1/webhook_endpoints/we_01jzzzzzzzzzzzzzzzzzzzzzzz/roll_secret", null).expect(404)
                .errorCode()).isEqualTo("resource_missing");
    }

    private static boolean verifies(Receiver.Received received, String secret) {
        return OutboundSignature.verify(received.body(), received.signature(), secret, Clock.systemUTC(),
                Duration.ofMinutes(5));
    }
}
