package io.moneytrail.webhook;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.moneytrail.database.Instance;
import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.payment.PaymentProvider;
import io.moneytrail.payment.PaymentProviders;
import io.moneytrail.payment.WebhookSync;
import io.moneytrail.payment.ProviderWebhook;
import io.moneytrail.payment.WebhookRejectedException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Inbound webhooks. Everything that arrives is stored before it is acted on: the raw bytes
 * land in {@code webhook_inbox}, unique by the provider's event id, in the same transaction
 * as their effect (so an effect never commits without its event); the provider's view is
 * fetched before that transaction opens. An event whose processing failed is stored for a
 * retry on its own. Processing is idempotent (it syncs the payment with the provider), so
 * retrying a stored event is always safe.
 */
@Service
public class WebhookInbox {

    private static final Logger log = LoggerFactory.getLogger(WebhookInbox.class);

    /** Attempts at processing one stored event before it is left as failed for an operator. */
    public static final int ATTEMPTS_MAX = 10;
    /** Events picked up by one retry sweep. */
    public static final int RETRY_BATCH_MAX = 50;
    public static final int PAGE_SIZE_MAX = 100;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    /** How long processing one stored event may take before another instance may retry it. */
    static final Duration LEASE = Duration.ofSeconds(60);
    /*
     * A stored event that failed waits RETRY_AFTER × 2^(attempts − 1), at most
     * moneytrail.webhooks.retry-backoff-max (1 h), before the next retry: 5 s, 10 s, 20 s … so
     * ATTEMPTS_MAX attempts span about an hour and a half of provider outage. The resolver keeps
     * checking the payment beyond that.
     */

    private final JdbcClient jdbc;
    private final PaymentProviders providers;
    private final WebhookSync payments;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Instance instance;
    private final Duration retryBackoffMax;
    private final int rejectedBodyBytes;

    WebhookInbox(JdbcClient jdbc, PaymentProviders providers, WebhookSync payments, TransactionTemplate tx, Clock clock,
                 Instance instance, @Value("${moneytrail.webhooks.retry-backoff-max:1h}") Duration retryBackoffMax,
                 @Value("${moneytrail.retention.rejected-webhook-body-bytes:4096}") int rejectedBodyBytes) {
        this.rejectedBodyBytes = Math.max(0, rejectedBodyBytes);
        this.instance = instance;
        this.retryBackoffMax = retryBackoffMax;
        this.jdbc = jdbc;
        this.providers = providers;
        this.payments = payments;
        this.tx = tx;
        this.clock = clock;
    }

    /** What became of one delivery. */
    public record Receipt(String inboxId, Status status, String detail) {
    }

    public enum Status { PROCESSED, DUPLICATE, UNMATCHED, FAILED, REJECTED }

    /** A stored event, for operators. */
    public record StoredEvent(String id, String provider, String providerEventId, String type,
                              String providerPaymentId, String status, String detail, int attempts,
                              Instant receivedAt, Instant processedAt) {
    }

    /**
     * Verifies, stores, then processes one delivery. A bad signature is stored as rejected
     * and answered with an error; a duplicate is acknowledged and not processed again.
     */
    public Receipt receive(String providerName, byte[] rawBody, Map<String, String> lowerCaseHeaders,
                           String clientAddress) {
        if (!providers.has(providerName)) {
            throw MoneytrailException.notFound("provider", providerName);
        }
        PaymentProvider provider = providers.get(providerName);
        String inboxId = Ids.next(Ids.WEBHOOK);
        Instant now = clock.instant();
        String signature = signatureHeader(lowerCaseHeaders);
        ProviderWebhook hook;
        try {
            hook = provider.verifyWebhook(new PaymentProvider.WebhookRequest(rawBody, lowerCaseHeaders, clientAddress));
        } catch (WebhookRejectedException rejected) {
            // an unverified body is anyone's bytes: only its start is kept (retention cuts older ones too)
            byte[] kept = rawBody.length > rejectedBodyBytes ? Arrays.copyOf(rawBody, rejectedBodyBytes) : rawBody;
            jdbc.sql("""
                    insert into webhook_inbox (id, provider, status, rejection_reason, signature_header, raw_body,
                                               received_at)
                    values (:id, :provider, 'rejected', :reason, :signature, :body, :now)
                    """)
                    .param("id", inboxId).param("provider", providerName).param("reason", rejected.getMessage())
                    .param("signature", signature).param("body", kept).param("now", Timestamp.from(now))
                    .update();
            log.warn("Rejected {} webhook {}: {}", providerName, inboxId, rejected.getMessage());
            return new Receipt(inboxId, Status.REJECTED, rejected.getMessage());
        }
        // a repeat of an event this instance stored lately is answered without asking the provider again;
        // any other repeat is found by the insert below (on conflict do nothing), after the fetch, and not applied
        if (recentlyStored(providerName, hook.eventId())) {
            return new Receipt(inboxId, Status.DUPLICATE, "event " + hook.eventId() + " already received");
        }
        WebhookSync.Fetched fetched = payments.fetch(providerName, hook);
        Status status = fetched.failure().map(f -> status(f.outcome())).orElse(Status.PROCESSED);
        try {
            // one transaction: the event is stored with what came of it, and its effect commits with it
            Receipt receipt = tx.execute(transaction -> {
                if (!store(inboxId, providerName, hook, signature, rawBody, now, status,
                        fetched.failure().map(WebhookSync.SyncResult::detail).orElse(null))) {
                    return new Receipt(inboxId, Status.DUPLICATE, "event " + hook.eventId() + " already received");
                }
                WebhookSync.SyncResult result = payments.apply(fetched, hook);
                return new Receipt(inboxId, status, result.detail());
            });
            if (receipt.status() != Status.DUPLICATE) {
                stored(providerName, hook.eventId());
            }
            return receipt;
        } catch (RuntimeException e) {
            log.warn("Processing webhook {} failed; it is stored for retry", inboxId, e);
            String detail = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!store(inboxId, providerName, hook, signature, rawBody, now, Status.FAILED, detail)) {
                return new Receipt(inboxId, Status.DUPLICATE, "event " + hook.eventId() + " already received");
            }
            return new Receipt(inboxId, Status.FAILED, detail);
        }
    }

    /** How many event ids {@link #recent} keeps at most, of those this instance stored (Caffeine picks which). */
    static final int RECENT_EVENTS_MAX = 10_000;

    /** Provider and event id of the events this instance stored lately (bounded: a forgotten one costs a fetch). */
    private final Cache<String, Boolean> recent = Caffeine.newBuilder().maximumSize(RECENT_EVENTS_MAX).build();

    private boolean recentlyStored(String providerName, String eventId) {
        return eventId != null && recent.getIfPresent(providerName + '\n' + eventId) != null;
    }

    private void stored(String providerName, String eventId) {
        if (eventId != null) {
            recent.put(providerName + '\n' + eventId, Boolean.TRUE);
        }
    }

    /**
     * Stores a verified event with the outcome of its first processing: processed, or due for a
     * retry after {@link #RETRY_AFTER}. False when the event is already stored (a duplicate).
     */
    private boolean store(String inboxId, String providerName, ProviderWebhook hook, String signature, byte[] rawBody,
                          Instant now, Status status, String detail) {
        boolean processed = status == Status.PROCESSED;
        return jdbc.sql("""
                        insert into webhook_inbox (id, provider, provider_event_id, event_type, provider_payment_id,
                                                   status, signature_header, raw_body, received_at, lease_until,
                                                   leased_by, attempts, last_error, processed_at)
                        values (:id, :provider, :eventId, :type, :paymentId, :status, :signature, :body, :now,
                                :leaseUntil, :instance, 1, :detail, :processedAt)
                        on conflict (provider, provider_event_id) where provider_event_id is not null do nothing
                        """)
                .param("id", inboxId).param("provider", providerName).param("eventId", hook.eventId())
                .param("type", hook.type()).param("paymentId", hook.providerPaymentId())
                .param("status", wire(status)).param("signature", signature).param("body", rawBody)
                .param("now", Timestamp.from(now))
                .param("leaseUntil", processed ? null : Timestamp.from(now.plus(RETRY_AFTER)))
                .param("instance", instance.id()).param("detail", detail)
                .param("processedAt", processed ? Timestamp.from(now) : null)
                .update() == 1;
    }

    private static Status status(WebhookSync.SyncResult.Outcome outcome) {
        return switch (outcome) {
            case SYNCED -> Status.PROCESSED;
            case UNMATCHED -> Status.UNMATCHED;
            case FETCH_FAILED -> Status.FAILED;
        };
    }

    private static String wire(Status status) {
        return switch (status) {
            case PROCESSED -> "processed";
            case UNMATCHED -> "unmatched";
            default -> "failed";
        };
    }

    /** Processes a stored event again: fetch with no transaction open, then apply and record in one. */
    private Receipt process(String inboxId, String providerName, ProviderWebhook hook) {
        WebhookSync.SyncResult result;
        try {
            WebhookSync.Fetched fetched = payments.fetch(providerName, hook);
            result = tx.execute(transaction -> {
                WebhookSync.SyncResult applied = payments.apply(fetched, hook);
                finish(inboxId, applied);
                return applied;
            });
        } catch (RuntimeException e) {
            log.warn("Processing webhook {} failed; it stays in the inbox for retry", inboxId, e);
            result = new WebhookSync.SyncResult(WebhookSync.SyncResult.Outcome.FETCH_FAILED, null, null,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
            finish(inboxId, result);
        }
        return new Receipt(inboxId, status(result.outcome()), result.detail());
    }

    private void finish(String inboxId, WebhookSync.SyncResult result) {
        jdbc.sql("""
                update webhook_inbox set status = :status, attempts = attempts + 1, last_error = :detail,
                       processed_at = case when :status = 'processed' then :now else processed_at end,
                       lease_until = case when :status = 'processed' then null
                                          else cast(:now as timestamptz)
                                               + least(:baseMs * power(2, attempts), :capMs) * interval '1 millisecond' end
                where id = :id
                """)
                .param("status", wire(status(result.outcome()))).param("detail", result.detail())
                .param("now", Timestamp.from(clock.instant()))
                .param("baseMs", RETRY_AFTER.toMillis()).param("capMs", retryBackoffMax.toMillis())
                .param("id", inboxId).update();
    }

    /**
     * Retries stored events that could not be processed (provider unreachable), matched no
     * payment yet, or were left half-way by a crash. Every instance runs this sweep: each
     * event is claimed with {@code FOR UPDATE SKIP LOCKED} and leased to the instance that
     * claimed it (the instance that received an event holds it while processing), so two
     * instances never process one stored event at once.
     */
    @Scheduled(fixedDelayString = "${moneytrail.webhooks.retry-interval-ms:5000}")
    public void retryStored() {
        Instant now = clock.instant();
        List<String> due = jdbc.sql("""
                        update webhook_inbox set lease_until = :leaseUntil, leased_by = :instance
                        where id in (select id from webhook_inbox
                                     where status in ('received', 'failed', 'unmatched') and attempts < :max
                                       and received_at < :before and (lease_until is null or lease_until < :now)
                                     order by received_at limit :batch
                                     for update skip locked)
                        returning id
                        """)
                .param("leaseUntil", Timestamp.from(now.plus(LEASE))).param("instance", instance.id())
                .param("max", ATTEMPTS_MAX).param("before", Timestamp.from(now.minus(RETRY_AFTER)))
                .param("now", Timestamp.from(now)).param("batch", RETRY_BATCH_MAX)
                .query(String.class).list();
        for (String id : due) {
            retry(id);
        }
    }

    /** Processes one stored event again; used by the retry sweep and by operators. */
    public Optional<Receipt> retry(String inboxId) {
        var row = jdbc.sql("""
                        select provider, status from webhook_inbox where id = :id
                        """)
                .param("id", inboxId)
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
                .optional();
        if (row.isEmpty() || "processed".equals(row.get()[1]) || "rejected".equals(row.get()[1])) {
            return Optional.empty();
        }
        // The event was verified when it arrived; its signature may since have aged out of the
        // tolerance window, so a retry works from the fields stored then.
        return Optional.of(process(inboxId, (String) row.get()[0], reparse(inboxId)));
    }

    private ProviderWebhook reparse(String inboxId) {
        return jdbc.sql("""
                        select provider_event_id, event_type, provider_payment_id, received_at from webhook_inbox
                        where id = :id
                        """)
                .param("id", inboxId)
                .query((rs, n) -> new ProviderWebhook(rs.getString(1), rs.getString(2), rs.getString(3), null,
                        rs.getTimestamp(4).toInstant()))
                .single();
    }

    public List<StoredEvent> list(String status, int limit) {
        return list(status, null, limit);
    }

    /** Newest first, filtered by status, the page after the event {@code startingAfter} (keyset by id). */
    public List<StoredEvent> list(String status, String startingAfter, int limit) {
        String sql = """
                select id, provider, provider_event_id, event_type, provider_payment_id, status,
                       coalesce(rejection_reason, last_error), attempts, received_at, processed_at
                from webhook_inbox where true
                """ + (status == null ? "" : " and status = :status")
                + (startingAfter == null ? "" : " and id < :after") + " order by id desc limit :limit";
        var spec = jdbc.sql(sql).param("limit", limit);
        if (status != null) {
            spec = spec.param("status", status);
        }
        if (startingAfter != null) {
            spec = spec.param("after", startingAfter);
        }
        return spec.query((rs, n) -> new StoredEvent(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8),
                rs.getTimestamp(9).toInstant(),
                rs.getTimestamp(10) == null ? null : rs.getTimestamp(10).toInstant())).list();
    }

    private static String signatureHeader(Map<String, String> headers) {
        return headers.entrySet().stream().filter(e -> e.getKey().endsWith("signature")).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
