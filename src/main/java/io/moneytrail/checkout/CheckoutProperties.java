package io.moneytrail.checkout;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the hosted checkout ({@code moneytrail.checkout.*}).
 *
 * @param sessionLifetime  a session expires this long after creation, or with its order if earlier
 * @param abandonAfter     a viewed session with no new step for this long is abandoned
 * @param storeName        the store's name on the page
 * @param logoUrl          the store's logo (an absolute https URL or a path on this host); blank: none
 * @param baseUrl          the public address of this service for the page's links (blank: the request's)
 * @param captureMethod    automatic (the default) or manual (two-stage: the page ends at "authorized")
 * @param redirectDelay    how long the confirmation shows before the customer is sent back to the store
 * @param waitBeforeChoice after the customer's return, how long an unpaid attempt shows "checking" before
 *                         the page offers to continue it or to pay another way
 * @param sweepInterval    how often the abandonment and expiry sweeps run
 * @param sweepBatchMax    sessions one sweep handles at most
 */
@ConfigurationProperties("moneytrail.checkout")
public record CheckoutProperties(Duration sessionLifetime, Duration abandonAfter, String storeName, String logoUrl,
                                 String baseUrl, String captureMethod, Duration redirectDelay,
                                 Duration waitBeforeChoice, Duration sweepInterval, Integer sweepBatchMax) {

    public CheckoutProperties {
        sessionLifetime = sessionLifetime == null ? Duration.ofHours(1) : sessionLifetime;
        abandonAfter = abandonAfter == null ? Duration.ofMinutes(30) : abandonAfter;
        storeName = storeName == null || storeName.isBlank() ? "Moneytrail store" : storeName.strip();
        logoUrl = logoUrl == null || logoUrl.isBlank() ? null : logoUrl.strip();
        baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.strip().replaceAll("/+$", "");
        captureMethod = captureMethod == null || captureMethod.isBlank() ? "automatic" : captureMethod.strip();
        redirectDelay = redirectDelay == null ? Duration.ofSeconds(3) : redirectDelay;
        waitBeforeChoice = waitBeforeChoice == null ? Duration.ofSeconds(10) : waitBeforeChoice;
        sweepInterval = sweepInterval == null ? Duration.ofSeconds(30) : sweepInterval;
        sweepBatchMax = sweepBatchMax == null ? 200 : sweepBatchMax;
        if (sessionLifetime.isNegative() || sessionLifetime.isZero() || abandonAfter.isNegative()
                || abandonAfter.isZero()) {
            throw new IllegalArgumentException("moneytrail.checkout.session-lifetime and abandon-after must be positive");
        }
        if (!captureMethod.equals("automatic") && !captureMethod.equals("manual")) {
            throw new IllegalArgumentException("moneytrail.checkout.capture-method is automatic or manual");
        }
        if (sweepBatchMax < 1) {
            throw new IllegalArgumentException("moneytrail.checkout.sweep-batch-max must be at least 1");
        }
    }
}
