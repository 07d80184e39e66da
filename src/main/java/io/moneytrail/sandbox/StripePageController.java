package io.moneytrail.sandbox;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The Stripe dialect's hosted Checkout page ({@code /sandbox/stripe/c/pay/cs_test_…}, the
 * session's {@code url}). A POST of {@code outcome} works as on the sandbox's own page. Success
 * (with or without 3-D Secure) completes the session and sends the customer to its
 * {@code success_url}; a decline or a failed 3-D Secure keeps the customer here with the session
 * open, as Stripe does: the PaymentIntent goes back to {@code requires_payment_method} with the
 * attempt's error in {@code last_payment_error}, announced by {@code payment_intent.payment_failed}.
 */
@RestController
@RequestMapping("/sandbox/stripe/c/pay")
@ConditionalOnSandbox
class StripePageController {

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    /** Stripe's test-mode answers to a declined card and to a failed 3-D Secure authentication. */
    static final Map<String, String> CARD_DECLINED = Map.of("type", "card_error", "code", "card_declined",
            "decline_code", "generic_decline", "message", "Your card was declined.");
    static final Map<String, String> AUTHENTICATION_FAILED = Map.of("type", "invalid_request_error",
            "code", "payment_intent_authentication_failure", "message", "The provided PaymentMethod has failed"
                    + " authentication. You can provide payment_method_data or a new PaymentMethod to attempt to"
                    + " fulfill this PaymentIntent again.");

    private final SandboxService service;
    private final SandboxStore store;
    private final StripeDialect dialect;

    StripePageController(SandboxService service, SandboxStore store, StripeDialect dialect) {
        this.service = service;
        this.store = store;
        this.dialect = dialect;
    }

    @GetMapping("/{sessionId}")
    ResponseEntity<String> page(@PathVariable String sessionId) {
        Optional<SandboxPayment> found = find(sessionId);
        if (found.isEmpty()) {
            return html(HttpStatus.NOT_FOUND, "<p>Something went wrong: this Checkout Session does not exist.</p>");
        }
        return render(found.get(), null);
    }

    @PostMapping("/{sessionId}")
    ResponseEntity<String> choose(@PathVariable String sessionId,
                                  @RequestParam(required = false) String outcome) {
        Optional<SandboxService.Outcome> chosen = SandboxService.Outcome.parse(outcome);
        if (chosen.isEmpty()) {
            return html(HttpStatus.BAD_REQUEST,
                    "<p>Outcome must be one of succeeded, declined, 3ds_succeeded, 3ds_failed.</p>");
        }
        SandboxPayment known = find(sessionId).orElseThrow(() -> SandboxException.notFound("session", sessionId));
        String id = known.id();
        service.idempotent(StripeApiController.SCOPE, null, null, () -> {
            SandboxPayment payment = store.lockPayment(id).orElseThrow();
            StripeData data = StripeApiController.data(payment);
            if (!StripeData.OPEN.equals(data.sessionStatus()) || !SandboxPayment.PENDING.equals(payment.status())) {
                throw SandboxException.invalidState("This Checkout Session is " + data.sessionStatus() + ".");
            }
            return switch (chosen.get()) {
                case SUCCEEDED, THREE_DS_SUCCEEDED -> {
                    service.change(id, (p, now) -> p.withDialectData(cleared(data).completed(now.getEpochSecond())
                            .json()), null);
                    SandboxService.Changed changed = service.choosePayment(id, chosen.get());
                    yield new SandboxService.Result(Map.of(), changed.events());
                }
                case DECLINED, THREE_DS_FAILED -> {
                    Map<String, String> error = chosen.get() == SandboxService.Outcome.DECLINED ? CARD_DECLINED
                            : AUTHENTICATION_FAILED;
                    SandboxService.Changed changed = service.change(id, (p, now) -> p.withDialectData(
                            data.declined(now.getEpochSecond(), error).json()), StripeDialect.PAYMENT_FAILED);
                    yield new SandboxService.Result(Map.of(), changed.events());
                }
            };
        });
        SandboxPayment after = store.findPayment(id).orElseThrow();
        StripeData data = StripeApiController.data(after);
        boolean paid = !SandboxPayment.PENDING.equals(after.status());
        if (paid && data.successUrl() != null) {
            return ResponseEntity.status(HttpStatus.SEE_OTHER)
                    .location(URI.create(data.successUrl().replace("{CHECKOUT_SESSION_ID}", sessionId))).build();
        }
        return render(after, paid ? null : data.lastPaymentError().get("message"));
    }

    /** A successful attempt clears the previous attempt's error, as Stripe does. */
    private static StripeData cleared(StripeData data) {
        return new StripeData(data.sessionStatus(), data.successUrl(), data.cancelUrl(), data.clientReferenceId(),
                data.productName(), data.sessionMetadata(), data.intentMetadata(), data.created(), data.expiresAt(),
                data.intentCreated(), null, data.cancellationReason(), data.canceledAt(), data.sessionCompletedAt());
    }

    @ExceptionHandler(SandboxException.class)
    ResponseEntity<String> refused(SandboxException e) {
        return html(e.status(), "<p>" + escape(e.getMessage()) + "</p>");
    }

    private Optional<SandboxPayment> find(String sessionId) {
        if (!sessionId.startsWith(StripeData.SESSION_PREFIX)) {
            return Optional.empty();
        }
        return store.findPayment(StripeData.intentOf(sessionId)).filter(p -> StripeDialect.NAME.equals(p.dialect()));
    }

    private ResponseEntity<String> render(SandboxPayment payment, String error) {
        StripeData data = StripeApiController.data(payment);
        String amount = "<p class=\"amount\">" + escape(amount(payment)) + "</p>"
                + (data.productName() == null ? "" : "<p>" + escape(data.productName()) + "</p>");
        if (!StripeData.OPEN.equals(data.sessionStatus())) {
            return html(HttpStatus.OK, amount + "<p>This Checkout Session is " + escape(data.sessionStatus())
                    + ".</p>");
        }
        StringBuilder content = new StringBuilder(amount);
        if (error != null) {
            content.append("<p class=\"error\" role=\"alert\">").append(escape(error)).append("</p>");
        }
        content.append("<p>Choose how this test payment goes.</p>");
        for (List<String> button : List.of(List.of("succeeded", "Pay"), List.of("declined", "Pay with a declined card"),
                List.of("3ds_succeeded", "Pay with 3-D Secure"), List.of("3ds_failed", "Fail 3-D Secure"))) {
            content.append("<form method=\"post\"><input type=\"hidden\" name=\"outcome\" value=\"")
                    .append(button.get(0)).append("\"><button type=\"submit\">").append(escape(button.get(1)))
                    .append("</button></form>");
        }
        return html(HttpStatus.OK, content.toString());
    }

    private static String amount(SandboxPayment payment) {
        String code = payment.currency();
        int digits = "MGA".equals(code) ? 0 : java.util.Currency.getInstance(code).getDefaultFractionDigits();
        return code + " " + BigDecimal.valueOf(payment.amount(), Math.max(digits, 0)).toPlainString();
    }

    private static ResponseEntity<String> html(HttpStatus status, String content) {
        String page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>Checkout (Stripe test mode, sandbox)</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}"
                + ".amount{font-size:2rem;font-weight:600}.error{color:#b00020}form{display:inline-block;margin:.25rem}"
                + "button{font-size:1rem;padding:.5rem 1rem;cursor:pointer}</style></head>"
                + "<body><h1>Checkout</h1>" + content
                + "<p><small>Moneytrail sandbox speaking Stripe, test mode: no real money moves.</small></p>"
                + "</body></html>\n";
        return ResponseEntity.status(status).contentType(HTML).body(page);
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text, StandardCharsets.UTF_8.name());
    }
}
