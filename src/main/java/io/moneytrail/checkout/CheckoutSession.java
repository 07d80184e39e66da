package io.moneytrail.checkout;

import java.time.Instant;
import java.util.List;

/**
 * A checkout session as stored. {@code token} is the secret of the page's address ({@code url}); never log it.
 *
 * @param providers         the providers the store allowed (null: every enabled one for the currency)
 * @param currentPaymentId  the payment the page started last (null before the first choice)
 * @param returnedPaymentId the attempt the customer came back from (equal to the current one once back)
 */
public record CheckoutSession(String id, String token, String url, String orderId, Status status, String returnUrl,
                              String cancelUrl, String locale, List<String> providers, Instant created,
                              Instant expiresAt, DeviceClass device, Instant viewedAt, Instant lastStepAt,
                              Instant abandonedAt, Instant closedAt, String currentPaymentId, String currentProvider,
                              String returnedPaymentId, Instant returnedAt) {

    public static final String ID_PREFIX = "chk_";

    public enum Status {
        OPEN, COMPLETE, EXPIRED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Status fromWire(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** The status as of {@code now}: an open session past its time is expired even before the sweep has run. */
    public Status statusAt(Instant now) {
        return status == Status.OPEN && !now.isBefore(expiresAt) ? Status.EXPIRED : status;
    }

    /** Whether the customer came back from the current attempt. */
    public boolean returnedFromCurrent() {
        return currentPaymentId != null && currentPaymentId.equals(returnedPaymentId);
    }
}
