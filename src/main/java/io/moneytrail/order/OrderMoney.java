package io.moneytrail.order;

/** The sums of an order's money transactions and the payment status derived from them. */
public record OrderMoney(long amountAuthorized, long amountAuthorizedOpen, long amountCaptured,
                         long amountVoided, long amountRefunded, PaymentStatus paymentStatus) {

    public long amountNetCaptured() {
        return amountCaptured - amountRefunded;
    }
}
