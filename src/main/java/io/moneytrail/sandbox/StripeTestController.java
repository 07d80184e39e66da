package io.moneytrail.sandbox;

import io.moneytrail.money.Ids;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test tooling of the Stripe dialect, outside Stripe's API (Stripe makes disputes with special
 * test cards; the sandbox makes them on request): {@code POST /sandbox/stripe/test/disputes}
 * ({@code payment_intent}, optional {@code status}, {@code reason}, {@code amount}) opens a
 * dispute on a captured payment and sends {@code charge.dispute.created};
 * {@code POST /sandbox/stripe/test/disputes/{id}/close} ({@code status=won|lost}, or
 * {@code warning_closed} for an inquiry) closes it and sends {@code charge.dispute.closed}.
 * Form-encoded, with the dialect's secret key.
 */
@RestController
@RequestMapping("/sandbox/stripe/test/disputes")
@ConditionalOnSandbox
class StripeTestController {

    private final SandboxService service;
    private final SandboxStore store;
    private final StripeDisputes disputes;
    private final StripeDialectProperties properties;

    StripeTestController(SandboxService service, SandboxStore store, StripeDisputes disputes,
                         StripeDialectProperties properties) {
        this.service = service;
        this.store = store;
        this.disputes = disputes;
        this.properties = properties;
    }

    @PostMapping
    ResponseEntity<byte[]> open(HttpServletRequest request) {
        StripeForm form = StripeAuth.authenticated(request, properties.secretKey());
        String intentId = form.required("payment_intent");
        String status = form.string("status") == null ? "needs_response" : form.string("status");
        if (!StripeDisputes.Dispute.INQUIRY.contains(status) && !List.of("needs_response", "under_review")
                .contains(status)) {
            throw StripeError.invalid("parameter_invalid_string", "A new dispute is needs_response, under_review or"
                    + " an inquiry (warning_needs_response, warning_under_review).", "status");
        }
        String reason = form.string("reason") == null ? "fraudulent" : form.string("reason");
        Long asked = form.integer("amount");
        String id = "dp_" + Ids.next("");
        SandboxService.Reply reply = service.idempotent(StripeApiController.SCOPE, null, null, () -> {
            SandboxPayment payment = store.lockPayment(intentId).filter(p -> StripeDialect.NAME.equals(p.dialect()))
                    .orElseThrow(() -> StripeError.noSuch("payment_intent", intentId, "payment_intent"));
            if (payment.amountCaptured() == 0) {
                throw StripeError.invalid("charge_not_captured", "Only a captured charge can be disputed.",
                        "payment_intent");
            }
            long amount = asked == null ? payment.amountCaptured() - payment.amountRefunded() : asked;
            if (amount < 1 || amount > payment.amountCaptured()) {
                throw StripeError.invalid("amount_too_large", "A dispute is for at most the captured amount ("
                        + payment.amountCaptured() + ").", "amount");
            }
            SandboxService.Changed changed = service.change(intentId, (p, now) -> {
                boolean chargeback = !StripeDisputes.Dispute.INQUIRY.contains(status);
                disputes.insert(new StripeDisputes.Dispute(id, intentId, amount, p.currency(), status, reason,
                        chargeback ? now : null, null, now));
                return p;
            }, StripeDialect.DISPUTE_CREATED + id);
            return new SandboxService.Result(StripeObjects.dispute(disputes.find(id).orElseThrow()),
                    changed.events());
        });
        return ResponseEntity.status(reply.status()).contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(reply.body());
    }

    @PostMapping("/{id}/close")
    ResponseEntity<byte[]> close(HttpServletRequest request, @PathVariable String id) {
        StripeForm form = StripeAuth.authenticated(request, properties.secretKey());
        String status = form.required("status");
        StripeDisputes.Dispute known = disputes.find(id).orElseThrow(() -> StripeError.noSuch("dispute", id, "id"));
        boolean inquiry = known.fundsWithdrawnAt() == null;
        if (inquiry ? !"warning_closed".equals(status) : !List.of("won", "lost").contains(status)) {
            throw StripeError.invalid("parameter_invalid_string", inquiry ? "An inquiry closes as warning_closed."
                    : "A chargeback closes as won or lost.", "status");
        }
        SandboxService.Reply reply = service.idempotent(StripeApiController.SCOPE, null, null, () -> {
            SandboxService.Changed changed = service.change(known.paymentId(), (p, now) -> {
                StripeDisputes.Dispute current = disputes.find(id).orElseThrow();
                if (current.closed()) {
                    throw StripeError.invalid("dispute_already_closed", "Dispute " + id + " is already "
                            + current.status() + ".", null);
                }
                disputes.close(id, status, now);
                return p;
            }, StripeDialect.DISPUTE_CLOSED + id);
            return new SandboxService.Result(StripeObjects.dispute(disputes.find(id).orElseThrow()),
                    changed.events());
        });
        return ResponseEntity.status(reply.status()).contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(reply.body());
    }

    @ExceptionHandler(StripeError.class)
    ResponseEntity<byte[]> stripeError(StripeError e) {
        return StripeApiController.answer(e.status(), e.body());
    }
}
