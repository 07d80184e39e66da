package io.moneytrail.sandbox;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;

/**
 * A provider's wire protocol spoken by the sandbox (Stripe, YooKassa, T-Bank). The payment
 * itself lives in the common tables and moves through {@link SandboxService}'s operations; a
 * dialect decides how it looks on the wire: its API and hosted page (its own controllers), the
 * notifications announcing each change, and how they are signed and delivered. Implementations
 * must not depend on {@link SandboxService} or {@link WebhookDispatcher} (which look dialects up).
 */
interface SandboxDialect {

    /** The dialect's name, stored with each of its payments and events ({@code stripe}, …). */
    String name();

    /**
     * The provider-shaped notifications (none, one or several) announcing a change of
     * {@code payment}; the caller stores them in the change's transaction and delivers them
     * after commit.
     *
     * @param change the sandbox's own event type ({@code payment.waiting_for_capture},
     *               {@code payment.succeeded}, {@code payment.captured} for a partial capture,
     *               {@code payment.canceled}, {@code refund.succeeded}), or a type the
     *               dialect's own changes pass to {@link SandboxService#change}
     * @param refund the refund the change is about, or null
     */
    List<Notification> notifications(String change, SandboxPayment payment, SandboxPayment.Refund refund,
                                      Instant now);

    /** One delivery attempt of a stored notification: URL, headers (signature) and body, built at send time. */
    HttpRequest request(WebhookDispatcher.Pending notification, Instant now);

    /**
     * Whether the receiver's answer to a notification counts as delivered; otherwise it is
     * retried. Most providers accept any 2xx; T-Bank wants HTTP 200 with the body {@code OK}.
     *
     * @param body the answer's body, at most a few hundred characters of it
     */
    default boolean delivered(int status, String body) {
        return status >= 200 && status < 300;
    }

    /** The payment's hosted page, under the dialect's own prefix. */
    String confirmationUrl(SandboxPayment payment);

    /** A notification to store and deliver; {@code id} is unique among all sandbox events. */
    record Notification(String id, String type, String payload) {
    }
}
