package io.moneytrail.api;

import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.NewOrder;
import io.moneytrail.order.Order;
import io.moneytrail.order.OrderService;
import io.moneytrail.order.Timeline;
import io.moneytrail.payment.PaymentActions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/orders")
@Tag(name = "Orders")
class OrdersController {

    private final OrderService orders;
    private final PaymentActions payments;
    private final Timeline timeline;

    OrdersController(OrderService orders, PaymentActions payments, Timeline timeline) {
        this.orders = orders;
        this.payments = payments;
        this.timeline = timeline;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.OK)
    @Operation(summary = "Create an order; the total and VAT are computed from the lines")
    Views.OrderView create(@RequestBody Requests.CreateOrder body, jakarta.servlet.http.HttpServletRequest http) {
        if (body == null) {
            throw MoneytrailException.invalid("body_invalid", null, "request body is required");
        }
        List<NewOrder.Line> lines = body.lines() == null ? null : body.lines().stream()
                .map(l -> l == null ? null : new NewOrder.Line(l.sku(), l.name(), l.quantity(), l.unitAmount(), l.vatRate(),
                        l.paymentObject(), l.measure()))
                .toList();
        Requests.Customer customer = body.customer() == null ? new Requests.Customer(null, null) : body.customer();
        Order order = orders.create(new NewOrder(body.currency(), body.reference(), customer.email(), customer.phone(),
                lines, body.metadata()), (String) http.getAttribute(IdempotencyFilter.CREATION_KEY));
        return Views.order(order);
    }

    @GetMapping("/{id}")
    Views.OrderView get(@PathVariable String id) {
        return Views.order(orders.read(id));
    }

    @GetMapping
    @Operation(summary = "List orders, newest first")
    Views.ListView<Views.OrderView> list(@RequestParam(required = false) String status,
                                         @RequestParam(name = "payment_status", required = false) String paymentStatus,
                                         @RequestParam(name = "starting_after", required = false) String startingAfter,
                                         @RequestParam(required = false) Integer limit) {
        int pageSize = Pages.limit(limit);
        List<Order> page = orders.list(status, paymentStatus, Pages.cursor(startingAfter, Ids.ORDER), pageSize + 1);
        boolean hasMore = page.size() > pageSize;
        return Views.list(page.stream().limit(pageSize).map(Views::order).toList(), hasMore, "/v1/orders");
    }

    @PostMapping("/{id}/payments")
    @Operation(summary = "Start a payment for what the order still owes; follow next_action.redirect_url")
    Views.PaymentView pay(@PathVariable String id, @RequestBody(required = false) Requests.CreatePayment body,
                          jakarta.servlet.http.HttpServletRequest http) {
        Requests.CreatePayment request = body == null ? new Requests.CreatePayment(null, null, null) : body;
        String provider = request.provider() == null ? "sandbox" : request.provider();
        return Views.payment(payments.create(id, provider, request.captureMethod(), request.returnUrl(),
                (String) http.getAttribute(IdempotencyFilter.CREATION_KEY)));
    }

    @PostMapping("/{id}/fulfill")
    @Operation(summary = "Mark a fully paid order fulfilled")
    Views.OrderView fulfill(@PathVariable String id) {
        return Views.order(orders.fulfill(id));
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel an open order, voiding open authorisations; refused while money is captured")
    Views.OrderView cancel(@PathVariable String id) {
        return Views.order(orders.cancel(id));
    }

    @GetMapping("/{id}/timeline")
    @Operation(summary = "Every fact about the order, in order")
    Views.ListView<Views.TimelineView> timeline(@PathVariable String id) {
        var entries = timeline.of(id);
        return Views.list(entries.stream().map(Views::timeline).toList(), entries.size() >= Timeline.ENTRIES_MAX,
                "/v1/orders/" + id + "/timeline");
    }
}
