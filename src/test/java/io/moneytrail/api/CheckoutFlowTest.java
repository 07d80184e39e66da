package io.moneytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** End to end over HTTP: the store, the customer on the sandbox page, the sandbox's webhooks. */
class CheckoutFlowTest extends ApiTest {

    /** Creates an order of 2 x 12.50 EUR and a payment, and completes the sandbox page. */
    private String[] paidOrder(String captureMethod, String outcome, String expectedPaymentStatus) {
        String order = api.createOrder(1250, 2).text("id");
        Api.Response payment = api.createPayment(order, captureMethod);
        assertThat(payment.text("status")).isEqualTo("requires_action");
        String redirect = payment.body().path("next_action").path("redirect_url").asText();
        assertThat(payment.body().path("next_action").path("type").asText()).isEqualTo("redirect");
        assertThat(api.completeSandboxPage(redirect, outcome)).isIn(200, 303);
        api.eventually("/v1/payments/" + payment.text("id"), r -> expectedPaymentStatus.equals(r.text("status")));
        return new String[] {order, payment.text("id")};
    }

    @Test
    void automatic_capture_makes_the_order_paid_and_the_timeline_explains_it() {
        String[] ids = paidOrder("automatic", "succeeded", "captured");
        Api.Response order = api.eventually("/v1/orders/" + ids[0], r -> "paid".equals(r.text("payment_status")));
        assertThat(order.number("amount_total")).isEqualTo(2500);
        assertThat(order.number("amount_captured")).isEqualTo(2500);
        assertThat(order.number("amount_vat")).isEqualTo(451); // 2500 * 22 / 122 = 450.8 -> 451
        Api.Response payment = api.get("/v1/payments/" + ids[1]).expect(200);
        assertThat(payment.number("amount_captured")).isEqualTo(2500);
        assertThat(payment.body().path("next_action").isNull()).isTrue();

        List<String> kinds = new ArrayList<>();
        for (JsonNode entry : api.get("/v1/orders/" + ids[0] + "/timeline").expect(200).body().path("data")) {
            kinds.add(entry.path("kind").asText());
        }
        assertThat(kinds).startsWith("order.created", "payment.created")
                .contains("provider.call", "webhook.received", "transaction.recorded", "payment.status_changed");
    }

    @Test
    void two_stage_payment_with_partial_capture_then_void_of_the_rest() {
        String[] ids = paidOrder("manual", "succeeded", "authorized");
        assertThat(api.get("/v1/orders/" + ids[0]).text("payment_status")).isEqualTo("authorized");

        Api.Response captured = api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":1000}").expect(200);
        assertThat(captured.text("status")).isEqualTo("partially_captured");
        assertThat(captured.number("amount_captured")).isEqualTo(1000);
        assertThat(captured.number("amount_capturable")).isEqualTo(1500);
        assertThat(api.get("/v1/orders/" + ids[0]).text("payment_status")).isEqualTo("partially_paid");

        Api.Response tooMuch = api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":2000}").expect(400);
        assertThat(tooMuch.errorCode()).isEqualTo("amount_too_large");
        assertThat(tooMuch.errorParam()).isEqualTo("amount");

        Api.Response released = api.post("/v1/payments/" + ids[1] + "/cancel", null).expect(200);
        assertThat(released.text("status")).isEqualTo("captured");
        assertThat(released.number("amount_captured")).isEqualTo(1000);
        assertThat(released.number("amount_capturable")).isZero();
        assertThat(api.get("/v1/orders/" + ids[0]).text("payment_status")).isEqualTo("partially_paid");

        Api.Response again = api.post("/v1/payments/" + ids[1] + "/capture", "{\"amount\":1}").expect(409);
        assertThat(again.errorType()).isEqualTo("state_error");
        assertThat(again.errorCode()).isEqualTo("invalid_transition");
    }

    @Test
    void full_capture_of_an_authorisation_pays_the_order() {
        String[] ids = paidOrder("manual", "succeeded", "authorized");
        Api.Response captured = api.post("/v1/payments/" + ids[1] + "/capture", "{}").expect(200);
        assertThat(captured.text("status")).isEqualTo("captured");
        assertThat(api.get("/v1/orders/" + ids[0]).text("payment_status")).isEqualTo("paid");
    }

    @Test
    void declined_card_fails_the_payment_and_leaves_the_order_unpaid() {
        String[] ids = paidOrder("automatic", "declined", "failed");
        Api.Response payment = api.get("/v1/payments/" + ids[1]);
        assertThat(payment.text("failure_code")).isEqualTo("declined");
        Api.Response order = api.get("/v1/orders/" + ids[0]);
        assertThat(order.text("payment_status")).isEqualTo("unpaid");
        assertThat(order.text("status")).isEqualTo("open");
        // the customer may try again
        assertThat(api.createPayment(ids[0], "automatic").text("status")).isEqualTo("requires_action");
    }

    @Test
    void three_d_secure_failure_fails_the_payment() {
        String[] ids = paidOrder("automatic", "3ds_failed", "failed");
        assertThat(api.get("/v1/payments/" + ids[1]).text("failure_code")).isEqualTo("3ds_failed");
        assertThat(api.get("/v1/orders/" + ids[0]).text("payment_status")).isEqualTo("unpaid");
    }

    @Test
    void three_d_secure_success_captures() {
        String[] ids = paidOrder("automatic", "3ds_succeeded", "captured");
        api.eventually("/v1/orders/" + ids[0], r -> "paid".equals(r.text("payment_status")));
    }

    @Test
    void partial_then_full_refund() {
        String[] ids = paidOrder("automatic", "succeeded", "captured");
        Api.Response first = api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":1000,\"reason\":\"damaged\"}")
                .expect(200);
        assertThat(first.text("object")).isEqualTo("refund");
        assertThat(first.text("status")).isEqualTo("succeeded");
        assertThat(first.text("id")).startsWith("re_");
        assertThat(api.get("/v1/orders/" + ids[0]).text("payment_status")).isEqualTo("partially_refunded");

        Api.Response rest = api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\"}").expect(200);
        assertThat(rest.number("amount")).isEqualTo(1500);
        Api.Response order = api.get("/v1/orders/" + ids[0]);
        assertThat(order.text("payment_status")).isEqualTo("refunded");
        assertThat(order.number("amount_refunded")).isEqualTo(2500);
        assertThat(api.get("/v1/refunds/" + rest.text("id")).text("status")).isEqualTo("succeeded");

        Api.Response nothingLeft = api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":1}").expect(409);
        assertThat(nothingLeft.errorCode()).isEqualTo("nothing_to_refund");
    }

    @Test
    void refund_beyond_captured_amount_is_rejected_and_nothing_is_written() {
        String[] ids = paidOrder("automatic", "succeeded", "captured");
        Api.Response rejected = api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":2501}").expect(400);
        assertThat(rejected.errorCode()).isEqualTo("amount_too_large");
        assertThat(rejected.errorParam()).isEqualTo("amount");
        assertThat(jdbc.sql("select count(*) from refunds where payment_id = :p").param("p", ids[1])
                .query(Long.class).single()).isZero();
    }

    @Test
    void refund_of_an_uncaptured_payment_is_a_state_error() {
        String[] ids = paidOrder("manual", "succeeded", "authorized");
        Api.Response rejected = api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\"}").expect(409);
        assertThat(rejected.errorCode()).isEqualTo("payment_not_captured");
    }

    @Test
    void cancel_before_payment_closes_the_order_to_payments() {
        String order = api.createOrder(500, 1).text("id");
        assertThat(api.post("/v1/orders/" + order + "/cancel", null).expect(200).text("status")).isEqualTo("cancelled");
        Api.Response refused = api.post("/v1/orders/" + order + "/payments", "{\"provider\":\"sandbox\"}").expect(409);
        assertThat(refused.errorCode()).isEqualTo("order_not_open");
        assertThat(api.post("/v1/orders/" + order + "/cancel", null).expect(409).errorCode())
                .isEqualTo("invalid_transition");
    }

    @Test
    void cancelling_an_order_voids_its_open_authorisation() {
        String[] ids = paidOrder("manual", "succeeded", "authorized");
        Api.Response order = api.post("/v1/orders/" + ids[0] + "/cancel", null).expect(200);
        assertThat(order.text("status")).isEqualTo("cancelled");
        assertThat(order.text("payment_status")).isEqualTo("unpaid");
        assertThat(api.get("/v1/payments/" + ids[1]).text("status")).isEqualTo("voided");
    }

    @Test
    void cancel_is_refused_after_capture_until_the_money_is_refunded() {
        String[] ids = paidOrder("automatic", "succeeded", "captured");
        Api.Response refused = api.post("/v1/orders/" + ids[0] + "/cancel", null).expect(409);
        assertThat(refused.errorType()).isEqualTo("state_error");
        assertThat(refused.errorCode()).isEqualTo("order_has_captured_funds");
        assertThat(refused.body().path("error").path("message").asText()).contains("refund it first");
        assertThat(api.get("/v1/orders/" + ids[0]).text("status")).isEqualTo("open");

        api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\"}").expect(200);
        assertThat(api.post("/v1/orders/" + ids[0] + "/cancel", null).expect(200).text("status")).isEqualTo("cancelled");
    }

    @Test
    void only_a_paid_order_can_be_fulfilled_and_only_once() {
        String unpaid = api.createOrder(500, 1).text("id");
        assertThat(api.post("/v1/orders/" + unpaid + "/fulfill", null).expect(409).errorCode()).isEqualTo("order_not_paid");

        String[] ids = paidOrder("automatic", "succeeded", "captured");
        api.eventually("/v1/orders/" + ids[0], r -> "paid".equals(r.text("payment_status")));
        assertThat(api.post("/v1/orders/" + ids[0] + "/fulfill", null).expect(200).text("status")).isEqualTo("fulfilled");
        assertThat(api.post("/v1/orders/" + ids[0] + "/fulfill", null).expect(409).errorCode())
                .isEqualTo("invalid_transition");
        // a refund after fulfilment is still possible
        assertThat(api.post("/v1/refunds", "{\"payment\":\"" + ids[1] + "\",\"amount\":100}").expect(200)
                .text("status")).isEqualTo("succeeded");
    }

    @Test
    void a_second_payment_attempt_while_one_is_in_flight_is_refused() {
        String order = api.createOrder(500, 1).text("id");
        String first = api.createPayment(order, "automatic").text("id");
        Api.Response second = api.post("/v1/orders/" + order + "/payments", "{\"provider\":\"sandbox\"}").expect(409);
        assertThat(second.errorCode()).isEqualTo("payment_in_progress");
        assertThat(second.body().path("error").path("message").asText()).contains(first);
    }

    @Test
    void lists_page_through_orders_newest_first_with_filters() {
        String a = api.createOrder(100, 1).text("id");
        String b = api.createOrder(100, 1).text("id");
        Api.Response page = api.get("/v1/orders?limit=1").expect(200);
        assertThat(page.text("object")).isEqualTo("list");
        assertThat(page.body().path("has_more").asBoolean()).isTrue();
        assertThat(page.body().path("data").get(0).path("id").asText()).isEqualTo(b);
        Api.Response next = api.get("/v1/orders?limit=1&starting_after=" + b).expect(200);
        assertThat(next.body().path("data").get(0).path("id").asText()).isEqualTo(a);
        for (JsonNode order : api.get("/v1/orders?payment_status=unpaid&status=open&limit=100").body().path("data")) {
            assertThat(order.path("payment_status").asText()).isEqualTo("unpaid");
        }
        assertThat(api.get("/v1/orders?payment_status=bogus").expect(400).errorParam()).isEqualTo("payment_status");
        assertThat(api.get("/v1/orders?limit=1000").expect(400).errorParam()).isEqualTo("limit");
    }
}
