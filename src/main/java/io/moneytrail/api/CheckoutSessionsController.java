package io.moneytrail.api;

import io.moneytrail.checkout.CheckoutSession;
import io.moneytrail.checkout.Checkouts;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.OrderService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Hosted checkout sessions (issue 13): the store opens one for an order and sends the customer to its {@code url}. */
@RestController
@Tag(name = "Checkout sessions")
class CheckoutSessionsController {

    record CreateCheckoutSession(String returnUrl, String cancelUrl, String locale, List<String> providers) {
    }

    record CheckoutSessionView(String id, String object, String order, String url, String status, long expiresAt,
                               String returnUrl, String cancelUrl, String locale, List<String> providers,
                               String currentPayment, long created) {
    }

    private final Checkouts checkouts;
    private final OrderService orders;
    private final Clock clock;

    CheckoutSessionsController(Checkouts checkouts, OrderService orders, Clock clock) {
        this.checkouts = checkouts;
        this.orders = orders;
        this.clock = clock;
    }

    @PostMapping("/v1/orders/{id}/checkout_sessions")
    @Operation(summary = "Open a hosted checkout session for an open order; send the customer to its url")
    CheckoutSessionView create(@PathVariable String id, @RequestBody(required = false) CreateCheckoutSession body,
                               HttpServletRequest http) {
        if (body == null) {
            throw MoneytrailException.invalid("parameter_missing", "return_url", "return_url is required");
        }
        orders.requireExists(id);
        String base = ServletUriComponentsBuilder.fromContextPath(http).build().toUriString();
        return view(checkouts.create(id, new Checkouts.NewSession(body.returnUrl(), body.cancelUrl(), body.locale(),
                body.providers()), base, (String) http.getAttribute(IdempotencyFilter.CREATION_KEY)));
    }

    @GetMapping("/v1/checkout_sessions/{id}")
    @Operation(summary = "A checkout session: its status (open, complete, expired) and its url")
    CheckoutSessionView get(@PathVariable String id) {
        return view(checkouts.get(id));
    }

    private CheckoutSessionView view(CheckoutSession session) {
        return new CheckoutSessionView(session.id(), "checkout_session", session.orderId(), session.url(),
                session.statusAt(clock.instant()).wire(), session.expiresAt().getEpochSecond(), session.returnUrl(),
                session.cancelUrl(), session.locale(), session.providers(), session.currentPaymentId(),
                session.created().getEpochSecond());
    }
}
