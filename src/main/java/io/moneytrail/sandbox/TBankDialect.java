package io.moneytrail.sandbox;

import io.moneytrail.money.Ids;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The sandbox speaking T-Bank's acquiring API v2 (its API at {@code /sandbox/tbank/v2/…} is
 * {@link TBankApiController}, its payment form {@link TBankPageController}). This part renders
 * notifications: T-Bank's HTTP notification, a flat JSON object signed with a {@code Token},
 * posted to the payment's {@code NotificationURL} (or, for an Init without one, the terminal's:
 * {@code moneytrail.sandbox.webhook-base-url}/tbank, by default this process's). T-Bank notifies the
 * statuses AUTHORIZED, CONFIRMED, REVERSED, CANCELED, PARTIAL_REFUNDED, REFUNDED and REJECTED
 * (a failed 3-D Secure too: {@code ErrorCode} 101, while GetState says AUTH_FAIL); a partial
 * capture is not announced on its own, as the dialect's Confirm releases the rest at once and
 * the payment is then CONFIRMED.
 */
@Component
@ConditionalOnSandbox
@EnableConfigurationProperties(TBankSandboxProperties.class)
class TBankDialect implements SandboxDialect {

    static final String EVENT_PREFIX = "sbxtbn_";
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** A test card of T-Bank's documentation, masked as its notifications mask cards. */
    static final String PAN = "220138******0013";
    static final String EXP_DATE = "1230";

    private final TBankSandboxProperties properties;
    private final SandboxUrls urls;
    private final SandboxStore store;

    TBankDialect(TBankSandboxProperties properties, SandboxUrls urls, SandboxStore store) {
        this.properties = properties;
        this.urls = urls;
        this.store = store;
    }

    @Override
    public String name() {
        return TBankWire.DIALECT;
    }

    @Override
    public List<Notification> notifications(String change, SandboxPayment payment, SandboxPayment.Refund refund,
                                            Instant now) {
        if ("payment.captured".equals(change)) {
            return List.of(); // the rest is released in the same Confirm; CONFIRMED follows
        }
        String status = TBankWire.status(payment);
        String[] error = TBankWire.error(payment);
        String notified = error != null ? "REJECTED" : status;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("TerminalKey", properties.terminalKey());
        body.put("OrderId", payment.merchantReference());
        body.put("Success", error == null);
        body.put("Status", notified);
        body.put("PaymentId", Long.parseLong(payment.id()));
        body.put("ErrorCode", error == null ? "0" : error[0]);
        body.put("Amount", TBankWire.currentAmount(payment));
        if (error != null) {
            body.put("Message", error[1]);
            body.put("Details", error[1]);
        }
        if (payment.amountAuthorized() > 0) {
            body.put("CardId", cardId(payment));
            body.put("Pan", PAN);
            body.put("ExpDate", EXP_DATE);
        }
        String payload = TBankWire.signed(body, properties.password());
        return List.of(new Notification(Ids.next(EVENT_PREFIX), notified, payload));
    }

    @Override
    public HttpRequest request(WebhookDispatcher.Pending notification, Instant now) {
        String url = store.findPayment(notification.paymentId())
                .map(p -> TBankWire.Data.of(p).notificationUrl())
                .orElse(null);
        if (url == null) { // the terminal's Notification URL setting
            url = urls.webhookUrl(TBankWire.DIALECT);
        }
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(notification.payload()))
                .build();
    }

    /** T-Bank's form lives at {@code /new/<key>}; the sandbox's at {@code /sandbox/tbank/new/<PaymentId>}. */
    /** T-Bank retries a notification unless the answer is HTTP 200 with the body {@code OK}. */
    @Override
    public boolean delivered(int status, String body) {
        return status == 200 && body != null && body.strip().equals("OK");
    }

    @Override
    public String confirmationUrl(SandboxPayment payment) {
        return urls.publicBase() + "/tbank/new/" + payment.id();
    }

    /** A stable card id per payment (the sandbox has no cards). */
    private static long cardId(SandboxPayment payment) {
        return 100_000_000L + Math.floorMod(payment.id().hashCode(), 900_000_000);
    }
}
