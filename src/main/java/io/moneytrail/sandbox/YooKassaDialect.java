package io.moneytrail.sandbox;

import io.moneytrail.money.Ids;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The sandbox speaking YooKassa: notifications in YooKassa's shape ({@code {"type":
 * "notification", "event": …, "object": …}}, the object as it was when its status changed),
 * posted unsigned as YooKassa posts them, to {@code /v1/webhooks/yookassa}. YooKassa has no
 * event for a partial capture (it completes the payment, announced as {@code payment.succeeded}).
 */
@Component
@ConditionalOnSandbox
@EnableConfigurationProperties(YooKassaSandboxProperties.class)
class YooKassaDialect implements SandboxDialect {

    /** The sandbox's changes YooKassa announces, by the event it names them with. */
    private static final Set<String> PAYMENT_EVENTS = Set.of("payment.waiting_for_capture", "payment.succeeded",
            "payment.canceled");
    private static final String REFUND_EVENT = "refund.succeeded";

    private final YooKassaObjects objects;
    private final YooKassaSandboxUrls urls;

    YooKassaDialect(YooKassaObjects objects, YooKassaSandboxUrls urls, YooKassaSandboxProperties properties,
                    Environment environment) {
        this.objects = objects;
        this.urls = urls;
        if (SandboxMode.externalDatabase(environment)
                && YooKassaSandboxProperties.DEFAULT_SECRET_KEY.equals(properties.secretKey())) {
            throw new UnsafeSandboxException("The sandbox's YooKassa dialect is enabled with an external database"
                    + " (MONEYTRAIL_DB_URL) but keeps its published default secret key"
                    + " (MONEYTRAIL_SANDBOX_YOOKASSA_SECRET_KEY): anyone could create sandbox YooKassa payments here.");
        }
    }

    @Override
    public String name() {
        return YooKassaObjects.DIALECT;
    }

    @Override
    public List<Notification> notifications(String change, SandboxPayment payment, SandboxPayment.Refund refund,
                                            Instant now) {
        Map<String, Object> object;
        if (PAYMENT_EVENTS.contains(change)) {
            object = objects.payment(payment);
        } else if (REFUND_EVENT.equals(change) && refund != null) {
            object = objects.refund(refund, payment.currency());
        } else {
            return List.of(); // payment.captured (partial): YooKassa completes the payment instead
        }
        Map<String, Object> notification = new LinkedHashMap<>();
        notification.put("type", "notification");
        notification.put("event", change);
        notification.put("object", object);
        return List.of(new Notification(Ids.next(SandboxService.EVENT_PREFIX), change,
                SandboxJson.string(notification)));
    }

    @Override
    public HttpRequest request(WebhookDispatcher.Pending notification, Instant now) {
        return HttpRequest.newBuilder(URI.create(urls.webhookUrl()))
                .timeout(WebhookDispatcher.REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(notification.payload(), StandardCharsets.UTF_8))
                .build();
    }

    @Override
    public String confirmationUrl(SandboxPayment payment) {
        return urls.confirmationUrl(payment.id());
    }
}
