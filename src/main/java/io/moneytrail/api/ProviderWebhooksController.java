package io.moneytrail.api;

import io.moneytrail.money.MoneytrailException;
import io.moneytrail.payment.PaymentProvider;
import io.moneytrail.payment.PaymentProviders;
import io.moneytrail.webhook.WebhookInbox;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhooks from payment providers ({@code /v1/webhooks/{provider}}), authenticated by what
 * each provider offers (a signature, a token, or its network) rather than a secret key, and
 * answered in the provider's own terms.
 */
@RestController
class ProviderWebhooksController {

    private final WebhookInbox inbox;
    private final PaymentProviders providers;
    private final ClientAddress clientAddress;

    ProviderWebhooksController(WebhookInbox inbox, PaymentProviders providers, ClientAddress clientAddress) {
        this.inbox = inbox;
        this.providers = providers;
        this.clientAddress = clientAddress;
    }

    @PostMapping("/v1/webhooks/{provider}")
    @Operation(summary = "Provider webhooks (authenticated by the provider's signature, token or network, not a secret key)")
    ResponseEntity<?> webhook(@PathVariable String provider, @RequestBody(required = false) byte[] body,
                              HttpServletRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), request.getHeader(name));
        }
        WebhookInbox.Receipt receipt = inbox.receive(provider, body == null ? new byte[0] : body, headers,
                clientAddress.of(request));
        if (receipt.status() == WebhookInbox.Status.REJECTED) {
            throw MoneytrailException.invalid("signature_invalid", null, "webhook rejected: " + receipt.detail());
        }
        PaymentProvider.WebhookAcknowledgement acknowledgement = providers.get(provider).acknowledgement();
        if (acknowledgement != null) {
            return ResponseEntity.ok().contentType(MediaType.parseMediaType(acknowledgement.contentType()))
                    .body(acknowledgement.body());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("received", true);
        answer.put("id", receipt.inboxId());
        answer.put("status", receipt.status().name().toLowerCase(Locale.ROOT));
        return ResponseEntity.ok(answer);
    }

    @GetMapping("/v1/inbound_webhooks")
    @Operation(summary = "Stored inbound webhooks, newest first (rejected and unmatched included)")
    Views.ListView<WebhookInbox.StoredEvent> storedWebhooks(@RequestParam(required = false) String status,
                                                           @RequestParam(required = false) Integer limit) {
        int pageSize = Pages.limit(limit);
        var page = inbox.list(status, pageSize + 1);
        return Views.list(page.stream().limit(pageSize).toList(), page.size() > pageSize, "/v1/inbound_webhooks");
    }
}
