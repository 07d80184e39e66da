package io.moneytrail.payment;

import io.moneytrail.money.Money;
import java.time.Instant;

/** A payment attempt as read back, with sums of its own money transactions. */
public record Payment(
        String id,
        String orderId,
        String provider,
        String providerPaymentId,
        CaptureMethod captureMethod,
        PaymentState state,
        Money amount,
        long amountAuthorized,
        long amountCaptured,
        long amountVoided,
        long amountRefunded,
        String returnUrl,
        String redirectUrl,
        String failureCode,
        String failureMessage,
        Instant created) {

    /** Authorised, not yet captured and not released. */
    public long amountCapturable() {
        return Math.max(0, amountAuthorized - amountCaptured - amountVoided);
    }
}
