package io.moneytrail.ledger;

import io.moneytrail.money.Check;
import io.moneytrail.money.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The posting scheme, in one place: which accounts each fact debits and credits. The table
 * a bookkeeper reads is {@code docs/posting-scheme.md}; it must say what this class does.
 *
 * <p>Authorisations and voids post nothing: an authorisation holds the customer's money at
 * their bank, it does not move it to us, and a void releases that hold. Only captures and
 * what follows them move money.
 */
public final class PostingRules {

    public static final String ADVANCES = "liabilities:customer_advances";
    public static final String VAT_PAYABLE = "liabilities:vat_payable";
    public static final String SALES = "income:sales";
    public static final String SALES_RETURNS = "income:sales_returns";
    public static final String PSP_FEES = "expenses:psp_fees";
    public static final String CHARGEBACKS = "expenses:chargebacks";

    public static final String SOURCE_PAYMENT_TRANSACTION = "payment_transaction";
    public static final String SOURCE_FULFILMENT = "order_fulfilment";
    public static final String SOURCE_FEE = "provider_fee";
    public static final String SOURCE_PAYOUT = "payout";
    public static final String SOURCE_CHARGEBACK = "chargeback";
    public static final String SOURCE_CHARGEBACK_REVERSAL = "chargeback_reversal";
    public static final String SOURCE_ADJUSTMENT = "adjustment";

    private PostingRules() {
    }

    public static String psp(String provider) {
        return "assets:psp:" + provider;
    }

    /** Captured money is held by the provider for us and owed to the customer until fulfilment. */
    public static NewEntry capture(String transactionId, String orderId, String provider, Money amount, Instant at) {
        return new NewEntry(SOURCE_PAYMENT_TRANSACTION, transactionId, orderId, at,
                "capture " + amount + " for order " + orderId,
                List.of(Posting.debit(psp(provider), amount), Posting.credit(ADVANCES, amount)), null, null, null);
    }

    /** Before fulfilment a refund gives back an advance. */
    public static NewEntry refundBeforeFulfilment(String transactionId, String orderId, String provider, Money amount,
                                                  Instant at) {
        return new NewEntry(SOURCE_PAYMENT_TRANSACTION, transactionId, orderId, at,
                "refund " + amount + " for order " + orderId + " (not fulfilled)",
                List.of(Posting.debit(ADVANCES, amount), Posting.credit(psp(provider), amount)), null, null, null);
    }

    /**
     * What an order's earlier refunds after fulfilment already gave back as sales returns: the
     * gross amount and the VAT inside it (from the order's journal lines).
     */
    public record EarlierReturns(long grossMinor, long vatMinor) {
        public static final EarlierReturns NONE = new EarlierReturns(0, 0);

        public EarlierReturns {
            Check.that(grossMinor >= 0 && vatMinor >= 0 && vatMinor <= grossMinor,
                    "earlier returns are not negative and their VAT is inside them");
        }
    }

    /**
     * After fulfilment a refund first returns what is still held as an advance (an
     * overpayment), then reverses revenue: the rest is a sales return, with the VAT inside it
     * taken back from VAT payable. The VAT is allocated on the cumulative return, not per
     * refund: this refund's VAT is the order's VAT proportion of everything returned so far
     * (rounded half-up) less the VAT earlier refunds already took back. Rounding therefore
     * never accumulates, and once the whole order is returned exactly the order's VAT has
     * come back out of VAT payable, however many parts the refund came in.
     *
     * @param advanceHeld what the order still has in customer advances (>= 0)
     * @param earlier     what earlier refunds after fulfilment already returned
     */
    public static NewEntry refundAfterFulfilment(String transactionId, String orderId, String provider, Money amount,
                                                 long advanceHeld, EarlierReturns earlier, Money orderTotal,
                                                 long orderVatMinor, Instant at) {
        Check.that(advanceHeld >= 0, "advance held is not negative");
        long fromAdvance = Math.min(advanceHeld, amount.amountMinor());
        long returned = amount.amountMinor() - fromAdvance;
        long cumulative = Math.min(Math.addExact(earlier.grossMinor(), returned), orderTotal.amountMinor());
        long vat = returned == 0 ? 0
                : Math.max(0, Math.min(returned,
                        vatShare(cumulative, orderTotal.amountMinor(), orderVatMinor) - earlier.vatMinor()));
        List<Posting> lines = new ArrayList<>();
        if (fromAdvance > 0) {
            lines.add(Posting.debit(ADVANCES, new Money(fromAdvance, amount.currency())));
        }
        if (returned - vat > 0) {
            lines.add(Posting.debit(SALES_RETURNS, new Money(returned - vat, amount.currency())));
        }
        if (vat > 0) {
            lines.add(Posting.debit(VAT_PAYABLE, new Money(vat, amount.currency())));
        }
        lines.add(Posting.credit(psp(provider), amount));
        return new NewEntry(SOURCE_PAYMENT_TRANSACTION, transactionId, orderId, at,
                "refund " + amount + " for order " + orderId + " (after fulfilment)", lines, null, null, null);
    }

    /** Fulfilment recognises the order's revenue and the VAT inside it; the advance is used up. */
    public static NewEntry fulfilment(String orderId, Money total, long vatMinor, Instant at) {
        List<Posting> lines = new ArrayList<>();
        lines.add(Posting.debit(ADVANCES, total));
        if (total.amountMinor() - vatMinor > 0) {
            lines.add(Posting.credit(SALES, new Money(total.amountMinor() - vatMinor, total.currency())));
        }
        if (vatMinor > 0) {
            lines.add(Posting.credit(VAT_PAYABLE, new Money(vatMinor, total.currency())));
        }
        return new NewEntry(SOURCE_FULFILMENT, orderId, orderId, at, "order " + orderId + " fulfilled: revenue "
                + total + " recognised", lines, null, null, null);
    }

    /** The provider keeps its fee out of the money it holds for us. */
    public static NewEntry providerFee(String sourceId, String orderId, String provider, Money fee, Instant at) {
        return new NewEntry(SOURCE_FEE, sourceId, orderId, at, provider + " fee " + fee,
                List.of(Posting.debit(PSP_FEES, fee), Posting.credit(psp(provider), fee)), null, null, null);
    }

    /** The provider pays out to our bank account. */
    public static NewEntry payout(String payoutId, String provider, String bankAccount, Money amount, Instant at) {
        return new NewEntry(SOURCE_PAYOUT, payoutId, null, at, provider + " payout " + payoutId + " of " + amount,
                List.of(Posting.debit(bankAccount, amount), Posting.credit(psp(provider), amount)), null, null, null);
    }

    /** A chargeback takes money back from what the provider holds for us: a loss until won back. */
    public static NewEntry chargeback(String chargebackId, String orderId, String provider, Money amount, Instant at) {
        return new NewEntry(SOURCE_CHARGEBACK, chargebackId, orderId, at, "chargeback " + chargebackId + " of " + amount,
                List.of(Posting.debit(CHARGEBACKS, amount), Posting.credit(psp(provider), amount)), null, null, null);
    }

    /** A chargeback reversed (the dispute won): the mirror image, linked to the chargeback's entry. */
    public static NewEntry chargebackReversal(String chargebackId, String chargebackEntryId, String orderId,
                                              String provider, Money amount, Instant at) {
        return new NewEntry(SOURCE_CHARGEBACK_REVERSAL, chargebackId, orderId, at,
                "chargeback " + chargebackId + " reversed",
                List.of(Posting.debit(psp(provider), amount), Posting.credit(CHARGEBACKS, amount)), chargebackEntryId,
                null, null);
    }

    /** An operator's correction: any balanced lines, with who and why. */
    public static NewEntry adjustment(String reference, String orderId, List<Posting> lines, String actor,
                                      String reason, Instant at) {
        return new NewEntry(SOURCE_ADJUSTMENT, reference, orderId, at, "adjustment by " + actor + ": " + reason,
                lines, null, actor, reason);
    }

    /** The VAT inside a part of an order, in the order's VAT proportion, rounded half-up. */
    static long vatShare(long partMinor, long orderTotalMinor, long orderVatMinor) {
        if (orderVatMinor == 0 || partMinor == 0) {
            return 0;
        }
        long numerator = Math.multiplyExact(Math.multiplyExact(partMinor, orderVatMinor), 2L);
        return Math.floorDiv(Math.addExact(numerator, orderTotalMinor), Math.multiplyExact(orderTotalMinor, 2L));
    }
}
