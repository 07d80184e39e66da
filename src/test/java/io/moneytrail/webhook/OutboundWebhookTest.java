package io.moneytrail.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.order.OrderService;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.Orders;
import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import io.moneytrail.testing.Receiver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Events for the store: written with the change, signed, delivered at least once to a real
 * HTTP receiver, retried with backoff, parked, redelivered, listed.
 */
class OutboundWebhookTest extends ApiTest {

    @Autowired
    TransactionTemplate tx;
    @Autowired
    Orders orders;
    @Autowired
    OrderService orderService;
    @Autowired
    Outbox outbox;

    private final List<Receiver> receivers = new ArrayList<>();
    private final List<String> endpoints = new ArrayList<>();

    @AfterEach
    void disableEndpoints() {
        // the database is shared by every test class: leave no endpoint collecting events
        endpoints.forEach(id -> api.post("/v1/webhook_endpoints/" + id + "/disable", null).expect(200));
        receivers.forEach(Receiver::close);
    }

    private Receiver receiver() {
        Receiver receiver = Receiver.start();
        receivers.add(receiver);
        return receiver;
    }

    private Api.Response register(String url) {
        Api.Response endpoint = api.post("/v1/webhook_endpoints", "{\"url\":\"" + url + "\"}").expect(200);
        endpoints.add(endpoint.text("id"));
        return endpoint;
    }

    /** An order of 2 x 12.50 EUR paid through the sandbox page; returns {order, payment}. */
    private String[] paidOrder(String captureMethod, String outcome, String paymentStatus) {
        String order = api.createOrder(1250, 2).text("id");
        Api.Response payment = api.createPayment(order, captureMethod);
        api.completeSandboxPage(payment.body().path("next_action").path("redirect_url").asText(), outcome);
        api.eventually("/v1/payments/" + payment.text("id"), r -> paymentStatus.equals(r.text("status")));
        return new String[] {order, payment.text("id")};
    }

    /** A cancelled order: one {@code order.cancelled} event. Returns the event's id. */
    private String cancelledOrderEvent() {
        String order = api.createOrder(500, 1).text("id");
        api.post("/v1/orders/" + order + "/cancel", null).expect(200);
        return eventsOf(order).get(0).path("id").asText();
    }

    /** The order's events, oldest first. */
    private List<JsonNode> eventsOf(String order) {
        List<JsonNode> events = new ArrayList<>();
        api.get("/v1/events?limit=100&order=" + order).expect(200).body().path("data").forEach(events::add);
        java.util.Collections.reverse(events);
        return events;
    }

    private List<String> typesOf(String order) {
        return eventsOf(order).stream().map(e -> e.path("type").asText()).toList();
    }

    private JsonNode deliveryTo(String eventId, String endpointId) {
        for (JsonNode delivery : api.get("/v1/events/" + eventId).expect(200).body().path("deliveries")) {
            if (delivery.path("endpoint").asText().equals(endpointId)) {
                return delivery;
            }
        }
        return null;
    }

    private JsonNode awaitDelivery(String eventId, String endpointId, Predicate<JsonNode> condition) {
        api.eventually("/v1/events/" + eventId, r -> {
            JsonNode delivery = deliveryTo(eventId, endpointId);
            return delivery != null && condition.test(delivery);
        });
        return deliveryTo(eventId, endpointId);
    }

    // ------------------------------------------------------------------ content and signature

    @Test
    void a_paid_order_sends_one_order_paid_event_signed_with_the_endpoint_secret() {
        Receiver receiver = receiver();
        Api.Response endpoint = register(receiver.url());
        String secret = endpoint.text("secret");
        assertThat(secret).startsWith("whsec_");

        String[] ids = paidOrder("automatic", "succeeded", "captured");
        String order = ids[0];
        Receiver.Received paid = receiver.await(r -> order.equals(r.order()) && "order.paid".equals(r.type()));

        assertThat(OutboundSignature.verify(paid.body(), paid.signature(), secret, Clock.systemUTC(),
                OutboundSignature.TOLERANCE_DEFAULT)).isTrue();
        assertThat(OutboundSignature.verify(paid.body(), paid.signature(), "whsec_someone_else", Clock.systemUTC(),
                OutboundSignature.TOLERANCE_DEFAULT)).isFalse();
        assertThat(paid.eventId()).isEqualTo(paid.id()).startsWith("evt_");
        assertThat(paid.instance()).startsWith("ins_");
        assertThat(paid.attempt()).isEqualTo(1);

        JsonNode event = paid.json();
        assertThat(event.path("object").asText()).isEqualTo("event");
        assertThat(event.path("created").asLong()).isPositive();
        assertThat(event.path("sequence").asLong()).isPositive();
        JsonNode object = event.path("data").path("object");
        assertThat(object.path("object").asText()).isEqualTo("order");
        assertThat(object.path("id").asText()).isEqualTo(order);
        assertThat(object.path("payment_status").asText()).isEqualTo("paid");
        assertThat(object.path("amount_captured").asLong()).isEqualTo(2500);
        assertThat(object.path("lines").get(0).path("sku").asText()).isEqualTo("SKU-1");
        assertThat(event.path("data").path("previous_attributes").path("payment_status").asText()).isEqualTo("pending");

        // exactly one order.paid, after payment.captured; polled events are the ones sent
        assertThat(typesOf(order)).containsExactly("payment.captured", "order.paid");
        List<JsonNode> events = eventsOf(order);
        assertThat(events.get(0).path("sequence").asLong()).isLessThan(events.get(1).path("sequence").asLong());
        assertThat(events.get(1)).isEqualTo(event);
        assertThat(events.get(0).path("data").path("object").path("id").asText()).isEqualTo(ids[1]);

        JsonNode delivery = awaitDelivery(paid.id(), endpoint.text("id"), d -> "delivered".equals(d.path("status").asText()));
        assertThat(delivery.path("attempts").asInt()).isEqualTo(1);
        assertThat(delivery.path("last_status").asInt()).isEqualTo(200);
        assertThat(delivery.path("delivered").asLong()).isPositive();
        Api.sleep(300);
        assertThat(receiver.received(r -> paid.id().equals(r.id()))).hasSize(1);
    }

    @Test
    void two_stage_payment_refunds_and_fulfilment_each_emit_their_event_in_sequence() {
        String[] ids = paidOrder("manual", "succeeded", "authorized");
        String order = ids[0];
        api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":1000}").expect(200);
        api.post("/v1/payments/" + ids[1] + "/capture", "{}").expect(200);
        api.post("/v1/orders/" + order + "/fulfill", null).expect(200);
        api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":500}").expect(200);
        api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\"}").expect(200);

        assertThat(typesOf(order)).containsExactly("payment.authorized", "order.partially_paid", "payment.captured",
                "order.paid", "order.fulfilled", "refund.succeeded", "order.partially_refunded", "refund.succeeded",
                "order.refunded");
        List<JsonNode> events = eventsOf(order);
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).path("sequence").asLong()).isGreaterThan(events.get(i - 1).path("sequence").asLong());
        }
        JsonNode refund = events.get(5).path("data").path("object");
        assertThat(refund.path("object").asText()).isEqualTo("refund");
        assertThat(refund.path("amount").asLong()).isEqualTo(500);
        assertThat(refund.path("status").asText()).isEqualTo("succeeded");
        assertThat(events.get(5).path("data").path("previous_attributes").path("status").asText()).isEqualTo("pending");
        assertThat(events.get(4).path("data").path("object").path("status").asText()).isEqualTo("fulfilled");
        assertThat(events.get(8).path("data").path("object").path("amount_refunded").asLong()).isEqualTo(2500);
    }

    @Test
    void a_declined_payment_emits_order_payment_failed_with_the_payment() {
        String[] ids = paidOrder("automatic", "declined", "failed");
        assertThat(typesOf(ids[0])).containsExactly("order.payment_failed");
        JsonNode data = eventsOf(ids[0]).get(0).path("data");
        assertThat(data.path("object").path("payment_status").asText()).isEqualTo("unpaid");
        assertThat(data.path("payment").path("id").asText()).isEqualTo(ids[1]);
        assertThat(data.path("payment").path("failure_code").asText()).isEqualTo("declined");
    }

    // ------------------------------------------------------------------ atomicity

    @Test
    void an_event_exists_if_and_only_if_its_change_committed() {
        String order = api.createOrder(700, 1).text("id");
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            orders.lock(order);
            orderService.transition(order, OrderStatus.Event.CANCEL, "test: rolled back below");
            long written = outbox.list(null, order, null, 10).size(); // reads flush the transaction's events
            assertThat(written).as("the event is written inside the changing transaction").isEqualTo(1);
            throw new IllegalStateException("the change fails after its event was written");
        })).hasMessageContaining("the change fails");
        assertThat(api.get("/v1/orders/" + order).text("status")).isEqualTo("open");
        assertThat(eventsOf(order)).isEmpty();
        assertThat(jdbc.sql("select count(*) from outbox_deliveries d join outbox_events e on e.id = d.event_id "
                + "where e.order_id = :o").param("o", order).query(Long.class).single()).isZero();

        api.post("/v1/orders/" + order + "/cancel", null).expect(200);
        List<JsonNode> events = eventsOf(order);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("type").asText()).isEqualTo("order.cancelled");
        assertThat(events.get(0).path("data").path("object").path("status").asText()).isEqualTo("cancelled");
        assertThat(events.get(0).path("data").path("previous_attributes").path("status").asText()).isEqualTo("open");
    }

    @Test
    void a_refused_refund_or_cancel_emits_nothing() {
        String[] ids = paidOrder("automatic", "succeeded", "captured");
        api.eventually("/v1/events?order=" + ids[0], r -> r.body().path("data").size() == 2);

        Api.Response tooMuch = api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":999999}").expect(400);
        assertThat(tooMuch.errorCode()).isEqualTo("amount_too_large");
        api.post("/v1/orders/" + ids[0] + "/cancel", null).expect(409);

        assertThat(typesOf(ids[0])).containsExactly("payment.captured", "order.paid");
    }

    // ------------------------------------------------------------------ retries, parking, redelivery, leases

    /** Scenario 21: the store's endpoint is down (answers 5xx); delivery retries, nothing is dropped. */
    @Test
    void an_endpoint_answering_500_is_retried_with_growing_backoff_then_delivered() {
        int failuresBeforeSuccess = 3;
        Receiver receiver = receiver().answer(r -> r.attempt() <= failuresBeforeSuccess ? 500 : 200);
        String endpoint = register(receiver.url()).text("id");
        String event = cancelledOrderEvent();

        List<Receiver.Received> attempts = receiver.awaitCount(r -> event.equals(r.id()), failuresBeforeSuccess + 1);
        assertThat(attempts).extracting(Receiver.Received::attempt).containsExactly(1, 2, 3, 4);
        // backoff base 50 ms in tests: after the n-th failure the delay is at most 50 * 2^(n-1) ms,
        // plus up to one poll interval (100 ms) and scheduling slack
        for (int n = 1; n <= failuresBeforeSuccess; n++) {
            long gapMs = Duration.ofNanos(attempts.get(n).arrivedNanos() - attempts.get(n - 1).arrivedNanos()).toMillis();
            assertThat(gapMs).as("delay after failure %d", n).isLessThanOrEqualTo((50L << (n - 1)) + 100 + 1_000);
        }
        JsonNode delivery = awaitDelivery(event, endpoint, d -> "delivered".equals(d.path("status").asText()));
        assertThat(delivery.path("attempts").asInt()).isEqualTo(4);
        assertThat(delivery.path("last_status").asInt()).isEqualTo(200);
        assertThat(delivery.path("last_error").isNull()).isTrue();
        Api.sleep(300);
        assertThat(receiver.received(r -> event.equals(r.id()))).hasSize(4);
    }

    /** Scenario 21: an endpoint that is slower than the request timeout gets the event again. */
    @Test
    void a_slow_endpoint_times_out_and_gets_the_event_again() {
        Receiver receiver = receiver().answer(r -> {
            if (r.attempt() == 1) {
                Api.sleep(1_500); // past the request timeout of 1 s in tests
            }
            return 200;
        });
        String endpoint = register(receiver.url()).text("id");
        String event = cancelledOrderEvent();
        List<Receiver.Received> attempts = receiver.awaitCount(r -> event.equals(r.id()), 2);
        assertThat(attempts).extracting(Receiver.Received::attempt).containsExactly(1, 2);
        JsonNode delivery = awaitDelivery(event, endpoint, d -> "delivered".equals(d.path("status").asText()));
        assertThat(delivery.path("attempts").asInt()).isEqualTo(2);
    }

    /** Scenario 21: an endpoint that stays down: parked after the bound, delivered on request. */
    @Test
    void an_endpoint_that_is_down_gets_its_delivery_parked_then_redelivered_on_request() {
        int port = Receiver.freePort();
        String endpoint = register(Receiver.url(port)).text("id");
        String event = cancelledOrderEvent();

        JsonNode parked = awaitDelivery(event, endpoint, d -> "failed".equals(d.path("status").asText()));
        assertThat(parked.path("attempts").asInt()).isEqualTo(5); // attempts-max in tests
        assertThat(parked.path("last_status").isNull()).isTrue();
        assertThat(parked.path("last_error").asText()).contains("connect");
        assertThat(parked.path("next_attempt").isNull()).isTrue();

        Receiver receiver = Receiver.start(port);
        receivers.add(receiver);
        Api.Response redelivered = api.post("/v1/events/" + event + "/redeliver", null).expect(200);
        assertThat(redelivered.text("id")).isEqualTo(event);
        Receiver.Received received = receiver.await(r -> event.equals(r.id()));
        assertThat(received.attempt()).isEqualTo(1);
        JsonNode delivered = awaitDelivery(event, endpoint, d -> "delivered".equals(d.path("status").asText()));
        assertThat(delivered.path("attempts").asInt()).isEqualTo(1);

        Api.Response nothing = api.post("/v1/events/" + event + "/redeliver", null).expect(409);
        assertThat(nothing.errorCode()).isEqualTo("nothing_to_redeliver");
        assertThat(api.post("/v1/events/evt_01jzzzzzzzzzzzzzzzzzzzzzzz/redeliver", null).expect(404).errorCode())
                .isEqualTo("resource_missing");
    }

    /** Scenario 25: an instance that claimed a delivery and died; another sends it when the lease runs out. */
    @Test
    void a_delivery_leased_by_an_instance_that_died_is_sent_again_when_the_lease_runs_out() {
        Receiver receiver = receiver();
        String endpoint = register(receiver.url()).text("id");
        String event = cancelledOrderEvent();
        receiver.await(r -> event.equals(r.id()));
        awaitDelivery(event, endpoint, d -> "delivered".equals(d.path("status").asText()));

        // as if another instance had claimed it again and died while sending
        jdbc.sql("""
                update outbox_deliveries
                set status = 'pending', attempts = 0, next_attempt_at = now(), delivered_at = null,
                    lease_until = now() + interval '1 second', lease_token = 'dead', leased_by = 'ins_dead'
                where event_id = :e and endpoint_id = :w
                """).param("e", event).param("w", endpoint).update();
        Api.sleep(500);
        assertThat(receiver.received(r -> event.equals(r.id()))).as("nobody sends under a live lease").hasSize(1);
        receiver.awaitCount(r -> event.equals(r.id()), 2);
        awaitDelivery(event, endpoint, d -> "delivered".equals(d.path("status").asText()));
    }

    // ------------------------------------------------------------------ endpoints

    @Test
    void endpoints_show_their_secret_once_and_a_disabled_one_gets_nothing_more() {
        Receiver receiver = receiver();
        Api.Response created = register(receiver.url());
        String id = created.text("id");
        assertThat(id).startsWith("we_");
        assertThat(created.text("object")).isEqualTo("webhook_endpoint");
        assertThat(created.text("url")).isEqualTo(receiver.url());
        assertThat(created.body().path("enabled").asBoolean()).isTrue();
        assertThat(created.number("created")).isPositive();

        JsonNode listed = null;
        for (JsonNode endpoint : api.get("/v1/webhook_endpoints?limit=100").expect(200).body().path("data")) {
            if (endpoint.path("id").asText().equals(id)) {
                listed = endpoint;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.has("secret")).as("the secret is shown on creation only").isFalse();
        assertThat(api.get("/v1/webhook_endpoints/" + id).expect(200).body().has("secret")).isFalse();

        Api.Response disabled = api.post("/v1/webhook_endpoints/" + id + "/disable", null).expect(200);
        assertThat(disabled.body().path("enabled").asBoolean()).isFalse();
        api.post("/v1/webhook_endpoints/" + id + "/disable", null).expect(200); // again: no change

        String event = cancelledOrderEvent();
        assertThat(deliveryTo(event, id)).isNull();
        Api.sleep(300);
        assertThat(receiver.received(r -> event.equals(r.id()))).isEmpty();
    }

    @Test
    void disabling_an_endpoint_parks_its_pending_deliveries_and_they_cannot_be_redelivered() {
        String endpoint = register(Receiver.url(Receiver.freePort())).text("id");
        String event = cancelledOrderEvent();
        api.post("/v1/webhook_endpoints/" + endpoint + "/disable", null).expect(200);
        JsonNode parked = deliveryTo(event, endpoint);
        assertThat(parked.path("status").asText()).isEqualTo("failed");
        assertThat(parked.path("last_error").asText()).isEqualTo("endpoint disabled");
        assertThat(api.post("/v1/events/" + event + "/redeliver", null).expect(409).errorCode())
                .isEqualTo("nothing_to_redeliver");
    }

    // ------------------------------------------------------------------ listing

    @Test
    void events_are_listed_newest_first_and_paged_with_a_cursor() {
        String[] ids = paidOrder("automatic", "succeeded", "captured");
        String order = ids[0];
        api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":1000}").expect(200);
        api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\"}").expect(200);
        List<String> all = new ArrayList<>();
        api.get("/v1/events?limit=100&order=" + order).expect(200).body().path("data")
                .forEach(e -> all.add(e.path("id").asText()));
        assertThat(all).hasSize(6);
        assertThat(all).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        List<String> paged = new ArrayList<>();
        List<Boolean> hasMore = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get("/v1/events?limit=4&order=" + order
                    + (cursor == null ? "" : "&starting_after=" + cursor)).expect(200);
            assertThat(page.text("object")).isEqualTo("list");
            page.body().path("data").forEach(e -> paged.add(e.path("id").asText()));
            hasMore.add(page.body().path("has_more").asBoolean());
            cursor = paged.get(paged.size() - 1);
        } while (hasMore.get(hasMore.size() - 1));
        assertThat(paged).isEqualTo(all);
        assertThat(hasMore).containsExactly(true, false);

        Api.Response refunds = api.get("/v1/events?type=refund.succeeded&order=" + order).expect(200);
        assertThat(refunds.body().path("data").size()).isEqualTo(2);
        Map<String, Long> byType = eventsOf(order).stream()
                .collect(Collectors.groupingBy(e -> e.path("type").asText(), Collectors.counting()));
        assertThat(byType).containsEntry("refund.succeeded", 2L).containsEntry("order.refunded", 1L);
        Api.Response newest = api.get("/v1/events?limit=1").expect(200);
        assertThat(newest.body().path("data").size()).isEqualTo(1);
        assertThat(newest.body().path("has_more").asBoolean()).isTrue();
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void bad_input_is_answered_with_the_error_envelope() {
        assertBad(api.post("/v1/webhook_endpoints", "{}"), 400, "parameter_missing", "url");
        assertBad(api.post("/v1/webhook_endpoints", null), 400, null, null);
        assertBad(api.post("/v1/webhook_endpoints", "{\"url\":\"/relative/path\"}"), 400, "url_invalid", "url");
        assertBad(api.post("/v1/webhook_endpoints", "{\"url\":\"ftp://files.example/x\"}"), 400, "url_invalid", "url");
        assertBad(api.post("/v1/webhook_endpoints", "{\"url\":\"http://\"}"), 400, "url_invalid", "url");
        assertBad(api.post("/v1/webhook_endpoints", "{\"url\":\"not a url\"}"), 400, "url_invalid", "url");
        assertBad(api.post("/v1/webhook_endpoints", "{\"url\":\"https://x.example/" + "a".repeat(2001) + "\"}"),
                400, "url_invalid", "url");
        assertBad(api.post("/v1/webhook_endpoints", "{\"url\":\"https://x.example/h\",\"events\":[]}"),
                400, "parameter_unknown", "events");
        assertBad(api.post("/v1/webhook_endpoints", "{\"url\":5}"), 400, null, "url");
        assertBad(api.get("/v1/webhook_endpoints?starting_after=nope"), 400, "parameter_invalid", "starting_after");
        assertBad(api.post("/v1/webhook_endpoints/we_01jzzzzzzzzzzzzzzzzzzzzzzz/disable", null), 404,
                "resource_missing", null);
        assertBad(api.get("/v1/webhook_endpoints/nope"), 404, "resource_missing", null);

        assertBad(api.get("/v1/events?type=order.teleported"), 400, "parameter_invalid", "type");
        assertBad(api.get("/v1/events?limit=0"), 400, "parameter_invalid", "limit");
        assertBad(api.get("/v1/events?limit=101"), 400, "parameter_invalid", "limit");
        assertBad(api.get("/v1/events?limit=ten"), 400, "parameter_invalid", "limit");
        assertBad(api.get("/v1/events?order=12345"), 400, "parameter_invalid", "order");
        assertBad(api.get("/v1/events?starting_after=ord_01jzzzzzzzzzzzzzzzzzzzzzzz"), 400, "parameter_invalid",
                "starting_after");
        assertBad(api.get("/v1/events/evt_01jzzzzzzzzzzzzzzzzzzzzzzz"), 404, "resource_missing", null);
        assertBad(api.post("/v1/events/nope/redeliver", null), 404, "resource_missing", null);
    }

    @Test
    void the_openapi_document_describes_events_and_endpoints() {
        JsonNode paths = new Api(api.base(), "").get("/v3/api-docs").expect(200).body().path("paths");
        assertThat(paths.has("/v1/events")).isTrue();
        assertThat(paths.has("/v1/events/{id}")).isTrue();
        assertThat(paths.has("/v1/events/{id}/redeliver")).isTrue();
        assertThat(paths.has("/v1/webhook_endpoints")).isTrue();
        assertThat(paths.has("/v1/webhook_endpoints/{id}/disable")).isTrue();
    }

    private static void assertBad(Api.Response response, int status, String code, String param) {
        response.expect(status);
        assertThat(response.errorType()).isEqualTo("invalid_request_error");
        if (code != null) {
            assertThat(response.errorCode()).as(response.raw()).isEqualTo(code);
        }
        if (param != null) {
            assertThat(response.errorParam()).as(response.raw()).isEqualTo(param);
        }
    }
}
