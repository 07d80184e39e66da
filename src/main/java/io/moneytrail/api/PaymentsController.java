package io.moneytrail.api;

import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.TimelineKind;
import io.moneytrail.fiscal.ReceiptActions;
import io.moneytrail.fiscal.Receipts;
import io.moneytrail.payment.PaymentActions;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.payment.PaymentResolver;
import io.moneytrail.payment.Refund;
import io.moneytrail.payment.RefundActions;
import org.springframework.http.MediaType;
import io.moneytrail.payment.RefundLine;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Payments and refunds")
class PaymentsController {

    private final PaymentQueries payments;
    private final PaymentActions actions;
    private final RefundActions refunds;
    private final tools.jackson.databind.ObjectMapper json;
    private final PaymentResolver resolver;
    private final io.moneytrail.order.Timeline timeline;
    private final Receipts receipts;
    private final ReceiptActions receiptActions;

    PaymentsController(PaymentQueries payments, PaymentActions actions, RefundActions refunds,
                       PaymentResolver resolver, io.moneytrail.order.Timeline timeline, Receipts receipts,
                       ReceiptActions receiptActions, tools.jackson.databind.ObjectMapper json) {
        this.json = json;
        this.payments = payments;
        this.actions = actions;
        this.refunds = refunds;
        this.resolver = resolver;
        this.timeline = timeline;
        this.receipts = receipts;
        this.receiptActions = receiptActions;
    }

    @GetMapping("/v1/payments/{id}")
    Views.PaymentView get(@PathVariable String id) {
        return Views.payment(payments.get(id));
    }

    @PostMapping("/v1/payments/{id}/capture")
    @Operation(summary = "Capture all or part of what is still authorised")
    Views.PaymentView capture(@PathVariable String id, @RequestBody(required = false) Requests.Capture body,
                              HttpServletRequest http) {
        return Views.payment(actions.capture(id, body == null ? null : body.amount(),
                (String) http.getAttribute(IdempotencyFilter.CREATION_KEY)));
    }

    @PostMapping("/v1/payments/{id}/cancel")
    @Operation(summary = "Void the authorisation, or release what partial captures left")
    Views.PaymentView cancel(@PathVariable String id) {
        return Views.payment(actions.cancel(id));
    }

    @PostMapping("/v1/payments/{id}/recheck")
    @Operation(summary = "Ask the provider about this payment now and apply its answer (as the resolver does)")
    Views.PaymentView recheck(@PathVariable String id) {
        payments.get(id);
        return Views.payment(resolver.resolve(id, "operator recheck"));
    }

    @GetMapping("/v1/reviews")
    @Operation(summary = "What needs an operator, with the evidence: payments and refunds the resolver gave up on, "
            + "held compensations")
    Map<String, Object> reviews(@RequestParam(required = false) Integer limit) {
        PaymentQueries.Reviews reviews = payments.reviews(Pages.limit(limit));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("object", "reviews");
        answer.put("payments", reviews.payments().stream().map(p -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("payment", Views.payment(p));
            item.put("evidence", timeline.of(p.orderId()).stream()
                    .filter(e -> p.id().equals(e.data().get("payment")))
                    .filter(e -> e.kind() == TimelineKind.RESOLVER_CHECK || e.kind() == TimelineKind.PROVIDER_CALL
                            || e.kind() == TimelineKind.PAYMENT_STATUS_CHANGED)
                    .map(Views::timeline).toList());
            return item;
        }).toList());
        answer.put("refunds", reviews.refunds().stream().map(Views::refund).toList());
        answer.put("compensations", reviews.compensations());
        // fiscal receipts that failed (with the provider's error) and no retry or correction settled yet
        answer.put("receipts", receipts.inReview(Pages.limit(limit)).stream().map(ReceiptsController::view).toList());
        return answer;
    }

    @PostMapping("/v1/refunds")
    @Operation(summary = "Refund all or part of a captured payment")
    Views.RefundView refund(@RequestBody Requests.CreateRefund body, HttpServletRequest http) {
        if (body == null) {
            throw MoneytrailException.invalid("body_invalid", null, "request body is required");
        }
        String creationKey = (String) http.getAttribute(IdempotencyFilter.CREATION_KEY);
        // a retry naming lines gets the first run's refund before the lines are checked again (they are
        // refunded by then); without lines, RefundActions.refund finds it under the payment's lock
        Optional<Refund> created = body.lines() == null ? Optional.empty() : refunds.createdUnder(creationKey);
        if (created.isPresent()) {
            return Views.refund(created.get());
        }
        List<RefundLine> lines = null;
        Long amount = body.amount();
        if (body.lines() != null) {
            lines = new ArrayList<>();
            for (int i = 0; i < body.lines().size(); i++) {
                Requests.RefundLine line = body.lines().get(i);
                if (line == null || line.sku() == null || line.quantity() == null) {
                    throw MoneytrailException.invalid("parameter_missing", "lines[" + i + "]",
                            "each line names sku and quantity");
                }
                lines.add(new RefundLine(line.sku(), line.quantity()));
            }
            if (body.payment() == null || body.payment().isBlank()) {
                throw MoneytrailException.invalid("parameter_missing", "payment", "payment is required");
            }
            long worth = receiptActions.priceRefundLines(body.payment(), lines);
            if (amount == null) {
                amount = worth;
            } else if (amount > worth) {
                throw MoneytrailException.invalid("amount_too_large", "amount", "amount " + amount
                        + " is more than the named lines are worth (" + worth + ")");
            }
        }
        // the idempotency claim, if the filter left it to us, commits with the refund's intent (see IdempotencyFilter)
        // and the answer with the transaction that applies the provider's: no commit of its own
        IdempotencyClaims.Pending pending = http.getAttribute(IdempotencyFilter.PENDING_CLAIM)
                instanceof IdempotencyClaims.Pending p ? p : null;
        Runnable claim = pending == null ? null : pending::join;
        java.util.function.Consumer<Refund> answer = pending == null ? null : refund -> pending.answer(200,
                json.writeValueAsBytes(Views.refund(refund)), MediaType.APPLICATION_JSON_VALUE);
        return Views.refund(refunds.refund(body.payment(), amount, body.reason(), creationKey, lines, claim, answer));
    }

    @GetMapping("/v1/refunds/{id}")
    Views.RefundView getRefund(@PathVariable String id) {
        return Views.refund(payments.getRefund(id));
    }
}
