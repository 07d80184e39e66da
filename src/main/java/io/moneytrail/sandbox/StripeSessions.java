package io.moneytrail.sandbox;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Expiring the Stripe dialect's Checkout Sessions: on request ({@code POST
 * /v1/checkout/sessions/{id}/expire}) and, as Stripe does, once their {@code expires_at} has passed
 * ({@code moneytrail.sandbox.stripe.session-ttl-seconds}, 24 hours by default). An expired session
 * takes no payment; its PaymentIntent, if a declined attempt created one, is canceled
 * ({@code abandoned}). The sandbox's common record ends {@code canceled} with the reason the
 * adapter reads from Stripe's objects: {@code declined} or {@code 3ds_failed} after a declined
 * attempt (our {@code failed}), else {@code expired} (our {@code expired}), whoever expired it.
 */
@Component
@ConditionalOnSandbox
class StripeSessions {

    private static final Logger log = LoggerFactory.getLogger(StripeSessions.class);
    /** The common record's reason for a session that expired with no declined attempt. */
    static final String REASON_EXPIRED = "expired";
    /** Sessions expired per sweep; the next sweep takes the rest. */
    static final int SWEEP_BATCH = 100;

    private final SandboxService service;
    private final SandboxStore store;
    private final StripeDialect dialect;
    private final Clock clock;

    StripeSessions(SandboxService service, SandboxStore store, StripeDialect dialect, Clock clock) {
        this.service = service;
        this.store = store;
        this.dialect = dialect;
        this.clock = clock;
    }

    /** Expires an open session, inside the caller's transaction; answers the session as it is after. */
    SandboxService.Result expire(String intentId) {
        SandboxPayment payment = store.lockPayment(intentId).orElseThrow();
        StripeData data = StripeApiController.data(payment);
        if (!StripeData.OPEN.equals(data.sessionStatus()) || !SandboxPayment.PENDING.equals(payment.status())) {
            throw StripeError.invalid("checkout_session_unexpected_state", "Only Checkout Sessions with a status of"
                    + " open can be expired; " + StripeData.sessionId(intentId) + " is " + data.sessionStatus() + ".",
                    null);
        }
        service.change(intentId, (p, now) -> p.withDialectData(data.expired(now.getEpochSecond()).json()), null);
        SandboxService.Changed changed = service.cancelPayment(intentId);
        // the common record says what Stripe's objects say: a declined last attempt, or a session that expired
        String reason = reason(data.lastPaymentError());
        SandboxPayment after = service.change(intentId, (p, now) -> withCancellationReason(p, reason), null).payment();
        return new SandboxService.Result(dialect.session(after, StripeApiController.data(after)), changed.events());
    }

    /** Why the sandbox's common record says the payment ended, from its last declined attempt (or none). */
    static String reason(java.util.Map<String, String> lastPaymentError) {
        if (lastPaymentError == null) {
            return REASON_EXPIRED;
        }
        return StripePageController.AUTHENTICATION_FAILED.get("code").equals(lastPaymentError.get("code"))
                ? SandboxPayment.REASON_3DS_FAILED : SandboxPayment.REASON_DECLINED;
    }

    private static SandboxPayment withCancellationReason(SandboxPayment p, String reason) {
        return new SandboxPayment(p.id(), p.merchantReference(), p.amount(), p.currency(), p.captureMethod(),
                p.status(), reason, p.amountAuthorized(), p.amountCaptured(), p.amountReleased(), p.amountRefunded(),
                p.threeDSecure(), p.returnUrl(), p.faults(), p.created(), p.dialect(), p.dialectData());
    }

    /** Open sessions past their {@code expires_at}, oldest first. */
    List<String> overdue(long nowEpochSecond, int limit) {
        return store.jdbc().sql("""
                select id from sbx_payments
                 where dialect = 'stripe' and status = 'pending'
                   and cast(dialect_data as jsonb) ->> 'sessionStatus' = 'open'
                   and cast(cast(dialect_data as jsonb) ->> 'expiresAt' as bigint) <= :now
                 order by created_at, id limit :limit""")
                .param("now", nowEpochSecond).param("limit", limit)
                .query(String.class).list();
    }

    @Scheduled(fixedDelay = 30, timeUnit = TimeUnit.SECONDS)
    void expireOverdue() {
        try {
            for (String id : overdue(clock.instant().getEpochSecond(), SWEEP_BATCH)) {
                try {
                    service.idempotent(StripeApiController.SCOPE, null, null, () -> expire(id));
                } catch (StripeError e) {
                    // paid or expired meanwhile: nothing to do
                }
            }
        } catch (RuntimeException e) {
            log.warn("Sandbox: Stripe session expiry sweep failed: {}", e.toString());
        }
    }
}
