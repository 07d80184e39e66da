package io.moneytrail.provider.tbank;

import io.moneytrail.payment.ProviderWebhook;
import io.moneytrail.payment.WebhookRejectedException;
import java.time.Clock;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * T-Bank's HTTP notifications: a JSON object with the payment's {@code TerminalKey},
 * {@code OrderId}, {@code Success}, {@code Status}, {@code PaymentId}, {@code ErrorCode},
 * {@code Amount} (and card fields), signed with a {@code Token} computed as for requests. A
 * notification for another terminal, without a token or with a wrong one is refused. It carries
 * no id and no time: its id is derived from its content (a repeat of the same notification is the
 * same event; a later one about the same payment differs in status or amount).
 */
final class TBankNotifications {

    private final TBankProperties properties;
    private final ObjectMapper json;
    private final Clock clock;

    TBankNotifications(TBankProperties properties, ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    ProviderWebhook verify(byte[] body) throws WebhookRejectedException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new WebhookRejectedException("T-Bank notification is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new WebhookRejectedException("T-Bank notification is not a JSON object");
        }
        String terminal = TBankApi.text(root, "TerminalKey");
        if (terminal == null || !terminal.equals(properties.terminalKey())) {
            throw new WebhookRejectedException("T-Bank notification for another terminal");
        }
        if (!TBankToken.matches(root, properties.password())) {
            throw new WebhookRejectedException("T-Bank notification Token does not match");
        }
        String paymentId = TBankApi.text(root, "PaymentId");
        String status = TBankApi.text(root, "Status");
        if (paymentId == null || status == null) {
            throw new WebhookRejectedException("T-Bank notification lacks PaymentId or Status");
        }
        String eventId = "tbank_" + paymentId + "_" + status + "_" + TBankToken.sha256(root.toString()).substring(0, 16);
        return new ProviderWebhook(eventId, status, paymentId, TBankApi.text(root, "OrderId"), clock.instant());
    }
}
