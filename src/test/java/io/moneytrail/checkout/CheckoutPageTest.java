package io.moneytrail.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.Api;
import io.moneytrail.testing.ApiTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The hosted page over plain HTTP: its headers and weight, the funnel steps it records, and the
 * safety rules a browser cannot show at the same instant (two clicks, a provider switch, expiry).
 */
class CheckoutPageTest extends ApiTest {

    @Autowired
    FunnelEvents funnel;

    @Autowired
    CheckoutSweeper sweeper;

    private String newSession(String order) {
        return CheckoutSessionsTest.session(api, order, "").expect(200).text("url");
    }

    private int paymentCount(String order) {
        return jdbc.sql("select count(*) from payments where order_id = :order").param("order", order)
                .query(Integer.class).single();
    }

    @Test
    void the_page_is_small_self_contained_and_sends_a_strict_policy() {
        String url = newSession(CheckoutSessionsTest.order(api, "EUR", 1250));
        Customer.Page page = new Customer(Customer.DESKTOP).get(url);
        assertThat(page.status()).isEqualTo(200);
        int bytes = page.body().getBytes(StandardCharsets.UTF_8).length;
        assertThat(bytes).as("page weight in bytes").isLessThan(50 * 1024);
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "script-src 'nonce-", "style-src 'nonce-", "frame-ancestors 'none'",
                "base-uri 'none'", "connect-src 'self'").doesNotContain("unsafe");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
        assertThat(page.body()).doesNotContain("<script src", "<link ", "https://", "http://")
                .contains("Pay with sandbox", "Pay by card (Stripe)", "Pay with YooKassa", "Mug", "€25.00",
                        "incl. VAT 22%", "€4.51")
                .doesNotContain("T-Bank"); // roubles only
        System.out.println("checkout page weight: " + bytes + " bytes");
        assertThat(new Customer(Customer.DESKTOP).get(url + "x").status()).isEqualTo(404);
    }

    @Test
    void a_paid_checkout_records_each_step_once_with_the_device() {
        String order = CheckoutSessionsTest.order(api, "EUR", 1250);
        String url = newSession(order);
        Customer phone = new Customer(Customer.PHONE);
        assertThat(phone.get(url).status()).isEqualTo(200);
        phone.get(url); // a reload is no second view
        Customer.Page chosen = phone.choose(url, "sandbox");
        assertThat(chosen.status()).isEqualTo(303);
        assertThat(chosen.location()).contains("/sandbox/pay/");
        api.completeSandboxPage(chosen.location(), "succeeded");
        Customer.Page back = phone.get(url + "/return?sandbox_payment=whatever");
        assertThat(back.status()).isEqualTo(303);
        assertThat(back.location()).endsWith(url.substring(url.indexOf("/checkout/")));
        api.eventually("/v1/orders/" + order, r -> r.text("payment_status").equals("paid"));
        assertThat(phone.get(url).body()).contains("Payment received", "order=" + order, "status=paid");
        List<FunnelEvent> events = funnel.ofOrder(order);
        assertThat(events).extracting(FunnelEvent::step).containsExactlyInAnyOrder(FunnelStep.VIEWED,
                FunnelStep.PROVIDER_CHOSEN, FunnelStep.REDIRECTED, FunnelStep.RETURNED, FunnelStep.AUTHORIZED,
                FunnelStep.PAID);
        assertThat(events.get(0).step()).isEqualTo(FunnelStep.VIEWED);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.device()).isEqualTo(DeviceClass.MOBILE);
            assertThat(e.sessionId()).startsWith("chk_");
        });
        assertThat(events).filteredOn(e -> e.step() != FunnelStep.VIEWED).extracting(FunnelEvent::provider)
                .containsOnly("sandbox");
        assertThat(api.get("/v1/checkout_sessions/" + events.get(0).sessionId()).text("status")).isEqualTo("complete");
    }

    @Test
    void the_return_address_proves_nothing_the_money_decides() {
        String order = CheckoutSessionsTest.order(api, "EUR", 1250);
        String url = newSession(order);
        Customer customer = new Customer(Customer.DESKTOP);
        customer.get(url);
        customer.choose(url, "sandbox");
        customer.get(url + "/return?status=paid&order=" + order);
        String page = customer.get(url).body();
        assertThat(page).doesNotContain("Payment received").contains("Checking your payment");
        assertThat(api.get("/v1/orders/" + order).text("payment_status")).isEqualTo("pending");
    }

    @Test
    void two_clicks_at_the_same_instant_start_one_payment() throws Exception {
        String order = CheckoutSessionsTest.order(api, "EUR", 1250);
        String url = newSession(order);
        new Customer(Customer.DESKTOP).get(url);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Customer.Page>> clicks = List.of(1, 2, 3).stream()
                .map(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new Customer(Customer.DESKTOP).choose(url, "sandbox");
                })).toList();
        go.countDown();
        List<Customer.Page> answers = clicks.stream().map(CompletableFuture::join).toList();
        assertThat(paymentCount(order)).isEqualTo(1);
        String page = answers.get(0).location();
        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isEqualTo(303));
        assertThat(answers.stream().map(Customer.Page::location).filter(l -> l.contains("/sandbox/pay/")).distinct())
                .hasSizeLessThanOrEqualTo(1);
        assertThat(page).isNotNull();
    }

    @Test
    void another_provider_voids_the_first_attempt_before_the_second_starts() {
        String order = CheckoutSessionsTest.order(api, "EUR", 1250);
        String url = newSession(order);
        Customer customer = new Customer(Customer.DESKTOP);
        customer.get(url);
        String first = customer.choose(url, "sandbox").location();
        assertThat(customer.choose(url, "sandbox").location()).as("the same provider again continues").isEqualTo(first);
        assertThat(paymentCount(order)).isEqualTo(1);
        Customer.Page second = customer.choose(url, "stripe");
        assertThat(second.location()).contains("/sandbox/stripe/");
        List<String> states = jdbc.sql("select provider || ':' || status from payments where order_id = :order order by created_at")
                .param("order", order).query(String.class).list();
        assertThat(states).containsExactly("sandbox:voided", "stripe:requires_action");
        // the first provider's page can no longer take the money
        assertThat(api.completeSandboxPage(first, "succeeded")).isGreaterThanOrEqualTo(400);
    }

    @Test
    void an_idle_viewed_session_is_abandoned_once_and_the_store_is_told() {
        String order = CheckoutSessionsTest.order(api, "EUR", 1250);
        String url = newSession(order);
        Customer customer = new Customer(Customer.DESKTOP);
        customer.get(url);
        customer.choose(url, "sandbox");
        String session = funnel.ofOrder(order).get(0).sessionId();
        assertThat(sweeper.abandonIfIdle(session, Instant.now().plus(Duration.ofMinutes(29)))).isFalse();
        assertThat(sweeper.abandonIfIdle(session, Instant.now().plus(Duration.ofMinutes(31)))).isTrue();
        assertThat(sweeper.abandonIfIdle(session, Instant.now().plus(Duration.ofMinutes(62)))).isFalse();
        assertThat(funnel.ofOrder(order)).filteredOn(e -> e.step() == FunnelStep.ABANDONED).singleElement()
                .satisfies(e -> assertThat(e.provider()).isEqualTo("sandbox"));
        Api.Response events = api.get("/v1/events?type=checkout.abandoned&order=" + order).expect(200);
        assertThat(events.body().path("data")).hasSize(1);
        var object = events.body().path("data").get(0).path("data").path("object");
        assertThat(object.path("id").asText()).isEqualTo(session);
        assertThat(object.path("url").asText()).isEqualTo(url);
        assertThat(object.path("last_step").asText()).isEqualTo("redirected");
        assertThat(object.path("customer").path("email").asText()).isEqualTo("ann@example.com");
    }

    @Test
    void an_expired_session_says_so_voids_its_open_attempt_and_offers_the_cancel_url() {
        String order = CheckoutSessionsTest.order(api, "EUR", 1250);
        String url = newSession(order);
        Customer customer = new Customer(Customer.DESKTOP);
        customer.get(url);
        String providerPage = customer.choose(url, "sandbox").location();
        String session = funnel.ofOrder(order).get(0).sessionId();
        jdbc.sql("update checkout_sessions set expires_at = now() - interval '1 second' where id = :id")
                .param("id", session).update();
        String page = customer.get(url).body();
        assertThat(page).contains("This checkout has expired", "https://shop.example/cart?order=" + order
                + "&amp;status=expired").doesNotContain("Pay with sandbox");
        assertThat(api.get("/v1/checkout_sessions/" + session).text("status")).isEqualTo("expired");
        assertThat(jdbc.sql("select status from payments where order_id = :order").param("order", order)
                .query(String.class).single()).isEqualTo("voided");
        assertThat(api.completeSandboxPage(providerPage, "succeeded")).isGreaterThanOrEqualTo(400);
        assertThat(funnel.ofOrder(order)).extracting(FunnelEvent::step).contains(FunnelStep.EXPIRED);
        assertThat(customer.choose(url, "sandbox").location()).doesNotContain("/sandbox/pay/");
        assertThat(paymentCount(order)).isEqualTo(1);
    }
}
