package io.moneytrail.payment;

/** A webhook whose signature is missing, wrong or outside the tolerance window, or unparseable. */
public class WebhookRejectedException extends Exception {
    public WebhookRejectedException(String reason) {
        super(reason);
    }
}
