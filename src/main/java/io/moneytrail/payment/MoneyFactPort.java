package io.moneytrail.payment;

/**
 * A port at the one door where the payment module records money facts ({@link ProviderSync}):
 * each implementation is told of every fact newly recorded, inside the transaction that records it,
 * right after the {@link MoneyMoved} event. What it writes commits with the fact or not at all; if
 * it throws, the fact is not recorded either. Implemented by modules that must never miss a fact
 * (fiscal receipts), without the payment module depending on them.
 */
public interface MoneyFactPort {

    void recorded(MoneyMoved fact);
}
