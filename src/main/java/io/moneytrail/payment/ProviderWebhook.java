package io.moneytrail.payment;

import java.time.Instant;

/** A verified webhook: which payment it is about. Its content is a hint; we fetch the truth. */
public record ProviderWebhook(String eventId, String type, String providerPaymentId, String merchantReference,
                              Instant created) {
}
