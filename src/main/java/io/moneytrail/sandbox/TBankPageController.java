package io.moneytrail.sandbox;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * T-Bank's payment form as the sandbox shows it, at the {@code PaymentURL} Init answered: the
 * customer chooses how the test payment goes, as on the sandbox's own page (a POST of
 * {@code outcome}: succeeded, declined, 3ds_succeeded, 3ds_failed, to the same URL). Like
 * T-Bank's form, it then sends the customer to the payment's {@code SuccessURL} or
 * {@code FailURL}.
 */
@RestController
@RequestMapping("/sandbox/tbank/new")
@ConditionalOnSandbox
class TBankPageController {

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    private final SandboxService service;

    TBankPageController(SandboxService service) {
        this.service = service;
    }

    @GetMapping("/{id}")
    ResponseEntity<String> form(@PathVariable String id) {
        Optional<SandboxPayment> found = service.find(id).filter(p -> TBankWire.DIALECT.equals(p.dialect()));
        if (found.isEmpty()) {
            return html(HttpStatus.NOT_FOUND, "<p>Платеж не найден: " + escape(id) + ".</p>");
        }
        SandboxPayment payment = found.get();
        TBankWire.Data data = TBankWire.Data.of(payment);
        String head = "<p class=\"amount\">" + BigDecimal.valueOf(payment.amount(), 2).toPlainString() + " ₽</p>"
                + (data.description() == null ? "" : "<p>" + escape(data.description()) + "</p>");
        if (!SandboxPayment.PENDING.equals(payment.status())) {
            return html(HttpStatus.OK, head + "<p>Status " + escape(TBankWire.status(payment)) + ": nothing to pay.</p>");
        }
        return html(HttpStatus.OK, head + "<p>Choose how this test payment goes.</p>"
                + button(SandboxService.Outcome.SUCCEEDED, "Pay")
                + button(SandboxService.Outcome.DECLINED, "Decline")
                + button(SandboxService.Outcome.THREE_DS_SUCCEEDED, "Pay with 3-D Secure")
                + button(SandboxService.Outcome.THREE_DS_FAILED, "Fail 3-D Secure"));
    }

    @PostMapping("/{id}")
    ResponseEntity<String> pay(@PathVariable String id, @RequestParam(required = false) String outcome) {
        Optional<SandboxService.Outcome> chosen = SandboxService.Outcome.parse(outcome);
        if (chosen.isEmpty()) {
            return html(HttpStatus.BAD_REQUEST,
                    "<p>outcome is one of succeeded, declined, 3ds_succeeded, 3ds_failed.</p>");
        }
        if (service.find(id).filter(p -> TBankWire.DIALECT.equals(p.dialect())).isEmpty()) {
            return html(HttpStatus.NOT_FOUND, "<p>Платеж не найден: " + escape(id) + ".</p>");
        }
        SandboxPayment payment = service.choose(id, chosen.get());
        TBankWire.Data data = TBankWire.Data.of(payment);
        boolean paid = payment.amountAuthorized() > 0;
        String next = paid ? data.successUrl() : data.failUrl();
        if (next != null) {
            return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(next)).build();
        }
        return html(HttpStatus.OK, "<p>Status " + escape(TBankWire.status(payment)) + ". You may close this page.</p>");
    }

    @ExceptionHandler(SandboxException.class)
    ResponseEntity<String> refused(SandboxException e) {
        return html(e.status(), "<p>" + escape(e.getMessage()) + "</p>");
    }

    private static String button(SandboxService.Outcome outcome, String label) {
        return "<form method=\"post\"><input type=\"hidden\" name=\"outcome\" value=\"" + outcome.wire + "\">"
                + "<button type=\"submit\">" + escape(label) + "</button></form>";
    }

    private static ResponseEntity<String> html(HttpStatus status, String content) {
        String page = "<!DOCTYPE html>\n<html lang=\"ru\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>Оплата — T-Bank (sandbox)</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}"
                + ".amount{font-size:2rem;font-weight:600}form{display:inline-block;margin:.25rem}"
                + "button{font-size:1rem;padding:.5rem 1rem;cursor:pointer}</style></head>"
                + "<body><h1>T-Bank</h1>" + content
                + "<p><small>Moneytrail sandbox, T-Bank dialect: no real money moves.</small></p></body></html>\n";
        return ResponseEntity.status(status).contentType(HTML).body(page);
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text, StandardCharsets.UTF_8.name());
    }
}
