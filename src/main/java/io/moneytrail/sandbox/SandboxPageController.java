package io.moneytrail.sandbox;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Currency;
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
 * The hosted payment page: where the customer, sent by the merchant to the payment's
 * {@code confirmation_url}, decides how the payment goes. It stands in for the card form and
 * the bank's 3-D Secure challenge, so it needs no API key. It answers in HTML, errors included.
 */
@RestController
@RequestMapping("/sandbox/pay")
@ConditionalOnSandbox
class SandboxPageController {

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);
    private static final String RETURN_PARAMETER = "sandbox_payment";

    private final SandboxService service;

    SandboxPageController(SandboxService service) {
        this.service = service;
    }

    @GetMapping("/{id}")
    ResponseEntity<String> page(@PathVariable String id) {
        Optional<SandboxPayment> found = service.find(id);
        if (found.isEmpty()) {
            return html(HttpStatus.NOT_FOUND, "Unknown payment", "<p>There is no payment " + escape(id) + ".</p>");
        }
        SandboxPayment payment = found.get();
        String amount = "<p class=\"amount\">" + escape(formatAmount(payment.amount(), payment.currency())) + "</p>";
        if (!SandboxPayment.PENDING.equals(payment.status())) {
            return html(HttpStatus.OK, "Sandbox payment", amount
                    + "<p>This payment is " + escape(payment.status()) + "; there is nothing left to do here.</p>");
        }
        return html(HttpStatus.OK, "Sandbox payment", amount
                + "<p>Choose how this test payment goes.</p>"
                + button(SandboxService.Outcome.SUCCEEDED, "Pay")
                + button(SandboxService.Outcome.DECLINED, "Decline")
                + declineButton("insufficient_funds", "Decline: insufficient funds")
                + declineButton("card_expired", "Decline: card expired")
                + declineButton("do_not_honor", "Decline: do not honor")
                + button(SandboxService.Outcome.THREE_DS_SUCCEEDED, "Pay with 3-D Secure")
                + button(SandboxService.Outcome.THREE_DS_FAILED, "Fail 3-D Secure"));
    }

    @PostMapping("/{id}")
    ResponseEntity<String> choose(@PathVariable String id, @RequestParam(required = false) String outcome,
                                  @RequestParam(name = "decline_code", required = false) String declineCode) {
        Optional<SandboxService.Outcome> chosen = SandboxService.Outcome.parse(outcome);
        if (chosen.isEmpty()) {
            return html(HttpStatus.BAD_REQUEST, "Unknown outcome",
                    "<p>Outcome must be one of succeeded, declined, 3ds_succeeded, 3ds_failed.</p>");
        }
        String code = declineCode == null || declineCode.isBlank() ? null : declineCode.strip();
        if (code != null && (chosen.get() != SandboxService.Outcome.DECLINED
                || !SandboxService.DECLINE_CODES.contains(code))) {
            return html(HttpStatus.BAD_REQUEST, "Unknown decline code",
                    "<p>decline_code goes with outcome=declined and is one of "
                            + escape(String.join(", ", new java.util.TreeSet<>(SandboxService.DECLINE_CODES)))
                            + ".</p>");
        }
        SandboxPayment payment = service.choose(id, chosen.get(), code);
        if (payment.returnUrl() != null) {
            return ResponseEntity.status(HttpStatus.SEE_OTHER)
                    .location(URI.create(withPaymentParameter(payment.returnUrl(), payment.id()))).build();
        }
        return html(HttpStatus.OK, "Sandbox payment",
                "<p>Payment " + escape(payment.status()) + ". You may close this page.</p>");
    }

    /** A refusal (unknown payment, payment no longer pending) as a page, not as API JSON. */
    @ExceptionHandler(SandboxException.class)
    ResponseEntity<String> refused(SandboxException e) {
        return html(e.status(), "Sandbox payment", "<p>" + escape(e.getMessage()) + "</p>");
    }

    /** Appends {@code sandbox_payment=<id>} to the query, keeping any fragment last. */
    static String withPaymentParameter(String url, String paymentId) {
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        String fragment = hash < 0 ? "" : url.substring(hash);
        String separator = !base.contains("?") ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
        return base + separator + RETURN_PARAMETER + "=" + URLEncoder.encode(paymentId, StandardCharsets.UTF_8)
                + fragment;
    }

    private static String declineButton(String code, String label) {
        return "<form method=\"post\"><input type=\"hidden\" name=\"outcome\" value=\"declined\">"
                + "<input type=\"hidden\" name=\"decline_code\" value=\"" + code + "\">"
                + "<button type=\"submit\">" + escape(label) + "</button></form>";
    }

    private static String button(SandboxService.Outcome outcome, String label) {
        return "<form method=\"post\"><input type=\"hidden\" name=\"outcome\" value=\"" + outcome.wire + "\">"
                + "<button type=\"submit\">" + escape(label) + "</button></form>";
    }

    /** Major units when the currency is known to Java (EUR 10.00), minor units otherwise. */
    private static String formatAmount(long amountMinor, String currencyCode) {
        try {
            int digits = Currency.getInstance(currencyCode).getDefaultFractionDigits();
            if (digits >= 0) {
                return currencyCode + " " + BigDecimal.valueOf(amountMinor, digits).toPlainString();
            }
        } catch (IllegalArgumentException e) {
            // not an ISO 4217 code Java knows
        }
        return currencyCode + " " + amountMinor + " (minor units)";
    }

    private static ResponseEntity<String> html(HttpStatus status, String title, String content) {
        String page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + "</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}"
                + ".amount{font-size:2rem;font-weight:600}form{display:inline-block;margin:.25rem}"
                + "button{font-size:1rem;padding:.5rem 1rem;cursor:pointer}</style></head>"
                + "<body><h1>" + escape(title) + "</h1>" + content
                + "<p><small>Moneytrail sandbox: no real money moves.</small></p></body></html>\n";
        return ResponseEntity.status(status).contentType(HTML).body(page);
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text, StandardCharsets.UTF_8.name());
    }
}
