package io.moneytrail.payment;

import io.moneytrail.access.AuditTrail;
import io.moneytrail.money.ErrorType;
import io.moneytrail.money.MoneytrailException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a provider call is made and how its answer is described, audited and turned into an API error. */
final class ProviderCalls {

    private static final Logger log = LoggerFactory.getLogger(ProviderCalls.class);

    private ProviderCalls() {
    }

    /** A provider adapter must not throw; if one does, the outcome is unknown, not failed. */
    static <T> ProviderResult<T> call(Supplier<ProviderResult<T>> providerCall) {
        try {
            return providerCall.get();
        } catch (RuntimeException e) {
            log.warn("provider adapter threw; treating the outcome as unknown", e);
            return new ProviderResult.Unknown<>("adapter error: " + e.getClass().getSimpleName());
        }
    }

    static String describe(ProviderResult<?> result) {
        if (result instanceof ProviderResult.Rejected<?> rejected) {
            return "rejected (" + rejected.code() + "): " + rejected.message();
        }
        if (result instanceof ProviderResult.Unknown<?> unknown) {
            return "unknown: " + unknown.reason();
        }
        if (result instanceof ProviderResult.Done<?> done && done.value() instanceof ProviderPayment payment) {
            return "provider says " + payment.state().wire();
        }
        return "ok";
    }

    /** How a provider call ends up in the audit log. */
    static AuditTrail.Outcome outcome(ProviderResult<?> answer) {
        if (answer instanceof ProviderResult.Done<?>) {
            return AuditTrail.Outcome.SUCCEEDED;
        }
        return answer instanceof ProviderResult.Unknown<?> ? AuditTrail.Outcome.UNKNOWN : AuditTrail.Outcome.FAILED;
    }

    static void throwUnlessDone(ProviderResult<?> result, String operation) {
        if (result instanceof ProviderResult.Rejected<?> rejected) {
            throw new MoneytrailException(ErrorType.PROVIDER, 402, "provider_declined", null,
                    operation + " refused by the provider: " + rejected.message());
        }
        if (result instanceof ProviderResult.Unknown<?> unknown) {
            throw MoneytrailException.provider("provider_unavailable", operation + " outcome unknown ("
                    + unknown.reason() + "); nothing is assumed, the payment will be checked with the provider again");
        }
    }

    /** A stable idempotency key from a request's key: the same request gives the provider the same key. */
    static String digest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
