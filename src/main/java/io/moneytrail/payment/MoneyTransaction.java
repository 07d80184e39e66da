package io.moneytrail.payment;

import io.moneytrail.money.Money;
import java.time.Instant;

/** One immutable money movement: authorisation, capture, void (release) or refund. */
public record MoneyTransaction(String id, String paymentId, String orderId, String refundId, Kind kind, Money amount,
                               String providerReference, Instant occurredAt) {

    public enum Kind {
        AUTHORIZATION, CAPTURE, VOID, REFUND,
        /** The provider took disputed money back; the provider reference is its dispute id. */
        CHARGEBACK,
        /** A dispute won: the money came back; the provider reference is the dispute id. */
        CHARGEBACK_REVERSAL;

        public String wire() {
            return name().toLowerCase();
        }
    }
}
