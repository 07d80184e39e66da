package io.moneytrail.sandbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The YooKassa dialect's hosted payment page, where {@code confirmation.confirmation_url} sends
 * the customer ({@code /sandbox/yookassa/checkout/payments/v2/contract?orderId=<payment id>}, as
 * YooKassa's own page is addressed). A POST of the form field {@code outcome} ({@code succeeded},
 * {@code declined}, {@code 3ds_succeeded}, {@code 3ds_failed}) to that very URL decides the
 * payment as the sandbox's page does; then, as YooKassa does, the customer goes back to the
 * {@code return_url} unchanged, whatever the outcome.
 */
@RestController
@RequestMapping(YooKassaSandboxUrls.PREFIX + YooKassaSandboxUrls.CHECKOUT_PATH)
@ConditionalOnSandbox
class YooKassaCheckoutPage {

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    private final SandboxService service;

    YooKassaCheckoutPage(SandboxService service) {
        this.service = service;
    }

    @GetMapping
    ResponseEntity<String> page(@RequestParam(name = "orderId", required = false) String paymentId) {
        Optional<SandboxPayment> found = ours(paymentId);
        if (found.isEmpty()) {
            return html(HttpStatus.NOT_FOUND, "<p>There is no payment " + escape(paymentId) + ".</p>");
        }
        SandboxPayment payment = found.get();
        String amount = "<p class=\"amount\">" + escape(YooKassaObjects.value(payment.amount(), payment.currency()))
                + " " + escape(payment.currency()) + "</p>";
        if (!SandboxPayment.PENDING.equals(payment.status())) {
            return html(HttpStatus.OK, amount + "<p>This payment is " + escape(payment.status())
                    + "; there is nothing left to do here.</p>");
        }
        return html(HttpStatus.OK, amount + "<p>Test card 5555 5555 5555 4477. Choose how this payment goes.</p>"
                + button(SandboxService.Outcome.SUCCEEDED, "Pay")
                + button(SandboxService.Outcome.DECLINED, "Decline")
                + button(SandboxService.Outcome.THREE_DS_SUCCEEDED, "Pay with 3-D Secure")
                + button(SandboxService.Outcome.THREE_DS_FAILED, "Fail 3-D Secure"));
    }

    @PostMapping
    ResponseEntity<String> choose(@RequestParam(name = "orderId", required = false) String paymentId,
                                  @RequestParam(name = "outcome", required = false) String outcome) {
        Optional<SandboxService.Outcome> chosen = SandboxService.Outcome.parse(outcome);
        if (chosen.isEmpty()) {
            return html(HttpStatus.BAD_REQUEST,
                    "<p>Outcome must be one of succeeded, declined, 3ds_succeeded, 3ds_failed.</p>");
        }
        if (ours(paymentId).isEmpty()) {
            return html(HttpStatus.NOT_FOUND, "<p>There is no payment " + escape(paymentId) + ".</p>");
        }
        SandboxPayment payment = service.choose(paymentId, chosen.get());
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(payment.returnUrl())).build();
    }

    /** A refusal (payment no longer pending) as a page. */
    @ExceptionHandler(SandboxException.class)
    ResponseEntity<String> refused(SandboxException e) {
        return html(e.status(), "<p>" + escape(e.getMessage()) + "</p>");
    }

    private Optional<SandboxPayment> ours(String paymentId) {
        return paymentId == null ? Optional.empty()
                : service.find(paymentId).filter(p -> YooKassaObjects.DIALECT.equals(p.dialect()));
    }

    private static String button(SandboxService.Outcome outcome, String label) {
        return "<form method=\"post\"><input type=\"hidden\" name=\"outcome\" value=\"" + outcome.wire + "\">"
                + "<button type=\"submit\">" + escape(label) + "</button></form>";
    }

    private static ResponseEntity<String> html(HttpStatus status, String content) {
        String page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>YooKassa (sandbox)</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}"
                + ".amount{font-size:2rem;font-weight:600}form{display:inline-block;margin:.25rem}"
                + "button{font-size:1rem;padding:.5rem 1rem;cursor:pointer}</style></head>"
                + "<body><h1>YooKassa (sandbox)</h1>" + content
                + "<p><small>Moneytrail sandbox speaking YooKassa: no real money moves.</small></p></body></html>\n";
        return ResponseEntity.status(status).contentType(HTML).body(page);
    }

    private static String escape(String text) {
        return text == null ? "" : HtmlUtils.htmlEscape(text, StandardCharsets.UTF_8.name());
    }
}
