package io.moneytrail.webhook;

import java.util.Optional;

/** The events a store receives, named {@code noun.verb}. */
public enum OutboundEventType {
    /** the order's payment status became paid */
    ORDER_PAID("order.paid"),
    ORDER_PARTIALLY_PAID("order.partially_paid"),
    /** a payment attempt failed while the order had nothing captured or held */
    ORDER_PAYMENT_FAILED("order.payment_failed"),
    ORDER_REFUNDED("order.refunded"),
    ORDER_PARTIALLY_REFUNDED("order.partially_refunded"),
    ORDER_CANCELLED("order.cancelled"),
    ORDER_EXPIRED("order.expired"),
    ORDER_FULFILLED("order.fulfilled"),
    PAYMENT_AUTHORIZED("payment.authorized"),
    PAYMENT_CAPTURED("payment.captured"),
    PAYMENT_NEEDS_REVIEW("payment.needs_review"),
    REFUND_SUCCEEDED("refund.succeeded"),
    REFUND_FAILED("refund.failed"),
    /** checkout (issue 13): a viewed checkout session saw no new step for the abandonment time */
    CHECKOUT_ABANDONED("checkout.abandoned");

    private final String wire;

    OutboundEventType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<OutboundEventType> fromWire(String value) {
        for (OutboundEventType type : values()) {
            if (type.wire.equals(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
