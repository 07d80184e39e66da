package io.moneytrail.order;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a timeline entry records. The wire name ({@code payment.status_changed}) is what the
 * API shows and what the {@code timeline.kind} column holds; only these kinds are ever written.
 */
public enum TimelineKind {
    ORDER_CREATED("order.created"),
    ORDER_STATUS_CHANGED("order.status_changed"),
    PAYMENT_CREATED("payment.created"),
    PAYMENT_STATUS_CHANGED("payment.status_changed"),
    PAYMENT_STATUS_IGNORED("payment.status_ignored"),
    PAYMENT_AMOUNT_MISMATCH("payment.amount_mismatch"),
    PAYMENT_LEFT_TO_RESOLVER("payment.left_to_resolver"),
    PROVIDER_CALL("provider.call"),
    WEBHOOK_RECEIVED("webhook.received"),
    RESOLVER_CHECK("resolver.check"),
    TRANSACTION_RECORDED("transaction.recorded"),
    REFUND_CREATED("refund.created"),
    REFUND_DISCOVERED("refund.discovered"),
    REFUND_STATUS_CHANGED("refund.status_changed"),
    REFUND_STATUS_IGNORED("refund.status_ignored"),
    COMPENSATION_SCHEDULED("compensation.scheduled"),
    COMPENSATION_HELD("compensation.held"),
    COMPENSATION_DONE("compensation.done");

    private static final Map<String, TimelineKind> BY_WIRE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(TimelineKind::wire, Function.identity()));

    private final String wire;

    TimelineKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The kind a stored row names; a name this code never writes is a defect, not data. */
    public static TimelineKind fromWire(String wire) {
        TimelineKind kind = BY_WIRE.get(wire);
        if (kind == null) {
            throw new IllegalStateException("unknown timeline kind '" + wire + "'");
        }
        return kind;
    }
}
