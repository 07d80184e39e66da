package io.moneytrail.payment;

import io.moneytrail.order.PaymentStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Read model of the money facts for modules that go over many orders at once (reconciliation
 * runs, checks): per order, the sums of its payment transactions and the payment status derived
 * from them ({@code order_money}), the provider's payment id to match it by, and whether money
 * is still settling (a refund or a compensation in flight). The tables stay this module's; the
 * reader gets records. Every lookup takes at most {@value #IDS_MAX} ids.
 */
public interface PaymentFacts {

    /** The most ids one lookup takes. */
    int IDS_MAX = 5_000;

    /**
     * An order's money: captured and refunded minor units, the derived payment status, and the
     * provider payment id a report names it by (that of the first attempt that captured, else of
     * the latest attempt that reached the provider; null if none did); {@code amountChargedBack}
     * is what disputes took back, its chargebacks net of their reversals (they change neither what
     * was captured nor what was refunded).
     */
    record OrderMoneyFacts(String orderId, long amountCaptured, long amountRefunded, long amountChargedBack,
                           PaymentStatus paymentStatus, String providerReference) {

        /** Facts of an order no dispute took money from. */
        public OrderMoneyFacts(String orderId, long amountCaptured, long amountRefunded, PaymentStatus paymentStatus,
                               String providerReference) {
            this(orderId, amountCaptured, amountRefunded, 0, paymentStatus, providerReference);
        }
    }

    /** The money facts of the given orders, by order id (an unknown id is absent). */
    Map<String, OrderMoneyFacts> ofOrders(Collection<String> orderIds);

    /**
     * Those of the given orders whose money is still settling: a refund pending, unknown or under
     * review, or a compensation scheduled or held.
     */
    Set<String> settling(Collection<String> orderIds);

    /**
     * An order's money facts as {@link #createdBetween} streams them: those of {@link OrderMoneyFacts}
     * with the order's creation instant (the stream's order) and whether its money is still
     * settling (see {@link #settling}).
     */
    record CreatedOrderMoney(String orderId, Instant orderCreatedAt, long amountCaptured, long amountRefunded,
                             long amountChargedBack, PaymentStatus paymentStatus, String providerReference,
                             boolean settling) {

        /** Facts of an order no dispute took money from. */
        public CreatedOrderMoney(String orderId, Instant orderCreatedAt, long amountCaptured, long amountRefunded,
                                 PaymentStatus paymentStatus, String providerReference, boolean settling) {
            this(orderId, orderCreatedAt, amountCaptured, amountRefunded, 0, paymentStatus, providerReference,
                    settling);
        }
    }

    /**
     * The money facts of every order created in [from, to) that has had a payment attempt (an order
     * with none is unpaid, holds nothing and is absent), in order of creation (equal instants in no
     * particular order), handed to {@code each} as one statement streams them: for a reader of a
     * whole period (a reconciliation run), where looking orders up by id a page at a time would
     * descend the indexes several times per order. The payment status is the read model's
     * ({@code order_payment_status}, kept with the money facts in the same transaction).
     */
    void createdBetween(Instant from, Instant to, Consumer<CreatedOrderMoney> each);

    /** The orders of the payments with these provider payment ids. */
    List<String> ordersOfProviderPayments(Collection<String> providerPaymentIds);

    /**
     * One capture or refund as the payment module recorded it ({@code payment_transactions}):
     * {@code kind} is {@code capture} or {@code refund} ({@code refundId} set for a refund).
     */
    record MoneyMovement(String transactionId, String orderId, String paymentId, String refundId, String kind,
                         long amountMinor, String currency, Instant occurredAt) {
    }

    /**
     * Captures and refunds in {@code currency} that occurred in [from, to), after {@code after}
     * (null: from the start) in (occurred_at, id) order, at most {@code limit} ({@value #IDS_MAX} at
     * most). Added for receipt reconciliation (issue 14).
     */
    List<MoneyMovement> movementsBetween(Instant from, Instant to, String currency, MoneyMovement after, int limit);

    /** Every capture and refund of these orders, whenever it occurred, in (occurred_at, id) order. */
    List<MoneyMovement> movementsOfOrders(Collection<String> orderIds);
}
