package io.moneytrail.provider.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.CardException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeError;
import io.moneytrail.payment.ProviderResult;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one Stripe call is made and what its failure means. A timeout, a dropped connection, a
 * 5xx, a 409 (a concurrent request with the same idempotency key) and an unreadable answer are
 * unknown outcomes; a 429 is retried with exponential, jittered backoff (bounded), then unknown;
 * any other 4xx is Stripe's refusal, with its {@code decline_code} (else {@code code}) and message.
 */
final class StripeCalls {

    private static final Logger log = LoggerFactory.getLogger(StripeCalls.class);

    /** A call through stripe-java. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws StripeException;
    }

    /**
     * A call that did not give an answer to use: the refusal or unknown outcome to report. It
     * carries no value, so it can stand for a result of any type.
     */
    static final class Failure extends Exception {
        private final ProviderResult<?> result;

        Failure(ProviderResult<?> result) {
            super(null, null, false, false);
            this.result = result;
        }

        @SuppressWarnings("unchecked")
        <R> ProviderResult<R> result() {
            return (ProviderResult<R>) result;
        }
    }

    private final int retriesMax;
    private final long backoffMs;

    StripeCalls(int retriesMax, long backoffMs) {
        this.retriesMax = retriesMax;
        this.backoffMs = backoffMs;
    }

    <T> T run(String what, Call<T> call) throws Failure {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.run();
            } catch (RateLimitException e) {
                if (attempt >= retriesMax) {
                    throw new Failure(new ProviderResult.Unknown<>("Stripe rate-limited " + what + " " + (attempt + 1)
                            + " times"));
                }
                if (!sleep(backoff(attempt))) {
                    throw new Failure(new ProviderResult.Unknown<>("interrupted while backing off " + what));
                }
            } catch (ApiConnectionException e) {
                throw new Failure(new ProviderResult.Unknown<>("no answer from Stripe to " + what + ": "
                        + e.getClass().getSimpleName()));
            } catch (StripeException e) {
                throw new Failure(refusalOrUnknown(what, e));
            } catch (RuntimeException e) {
                // gson could not read the answer: whatever happened at Stripe is not known
                log.warn("unreadable Stripe answer to {}: {}", what, e.toString());
                throw new Failure(new ProviderResult.Unknown<>("unreadable answer from Stripe to " + what));
            }
        }
    }

    static ProviderResult<?> refusalOrUnknown(String what, StripeException e) {
        Integer status = e.getStatusCode();
        if (status == null || status >= 500 || status == 409) {
            return new ProviderResult.Unknown<>("Stripe answered " + what + " with " + (status == null ? "no status"
                    : "HTTP " + status));
        }
        StripeError error = e.getStripeError();
        String code = error != null ? error.getDeclineCode()
                : e instanceof CardException card ? card.getDeclineCode() : null;
        if (code == null) {
            code = error != null && error.getCode() != null ? error.getCode() : e.getCode();
        }
        if (code == null) {
            code = "stripe_http_" + status;
        }
        String message = error != null && error.getMessage() != null ? error.getMessage()
                : e.getMessage() != null ? e.getMessage() : "HTTP " + status;
        return new ProviderResult.Rejected<>(code, message);
    }

    /** Exponential with jitter: between half and all of {@code backoffMs * 2^attempt}. */
    long backoff(int attempt) {
        long ceiling = backoffMs << Math.min(attempt, 10);
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
