package io.moneytrail.checkout;

import io.moneytrail.order.Order;
import io.moneytrail.payment.Payment;
import java.util.List;

/**
 * What the checkout page shows, decided from the money (the order's derived payment status and
 * the current attempt's state), never from what a URL claims.
 *
 * @param attempt       the current attempt (null before the first choice)
 * @param providers     the buttons, in order
 * @param decline       for {@link Kind#DECLINED}: the plain-words class of the provider's code
 * @param storeReturn   for paid and authorised: the store's {@code return_url} with {@code order} and {@code status}
 * @param storeCancel   for expired and cancelled: the store's {@code cancel_url} with them (null if the store gave none)
 */
public record CheckoutView(Kind kind, CheckoutSession session, Order order, Payment attempt, List<String> providers,
                           DeclineReason decline, String storeReturn, String storeCancel) {

    public enum Kind {
        /** no attempt yet (or the last one was voided): the choice of providers */
        CHOOSE,
        /** the last attempt was declined: the reason and the choice again */
        DECLINED,
        /** an attempt awaits the customer at the provider: continue it, or pay another way */
        IN_PROGRESS,
        /** the customer is back and the money's answer is not in yet: polls every second */
        WAITING,
        PAID,
        AUTHORIZED,
        EXPIRED,
        CANCELLED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Views that change by themselves (the page polls while one shows). */
        public boolean live() {
            return this == IN_PROGRESS || this == WAITING;
        }
    }
}
