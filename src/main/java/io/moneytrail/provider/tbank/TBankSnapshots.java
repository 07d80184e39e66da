package io.moneytrail.provider.tbank;

import io.moneytrail.money.Money;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.ProviderPayment;
import io.moneytrail.payment.ProviderResult;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns what T-Bank says about a payment (a status, its current amount, an error) plus what the
 * adapter remembers sending ({@link TBankPayments.Known}) into our full view of the payment.
 * T-Bank has no capture or refund objects: the one capture is named {@code confirm-<PaymentId>};
 * refunds are not listed (see {@link TBankProvider#refund}: the resolver asks again by
 * {@code ExternalRequestId}, which T-Bank de-duplicates). Refunds made in T-Bank's dashboard are
 * added to this view by {@link TBankRefunds}.
 */
final class TBankSnapshots {

    static final String CURRENCY = "RUB";

    private TBankSnapshots() {
    }

    /** What T-Bank said: {@code currentAmount} is its {@code Amount} (null when the answer had none). */
    record Said(String paymentId, String orderId, String status, Long currentAmount, String errorCode, String message,
                String redirectUrl) {
    }

    static ProviderResult<ProviderPayment> of(Said said, Optional<TBankPayments.Known> known) {
        Optional<TBankStatus.Row> row = TBankStatus.of(said.status());
        if (row.isEmpty()) {
            return new ProviderResult.Unknown<>("T-Bank status " + said.status() + " is not in the status table");
        }
        if (row.get().state() == null) {
            return new ProviderResult.Unknown<>("T-Bank status " + said.status() + " is not settled yet");
        }
        Long amount = known.map(TBankPayments.Known::amountMinor).orElse(said.currentAmount());
        if (amount == null) {
            return new ProviderResult.Unknown<>("T-Bank's answer for " + said.paymentId() + " has no Amount");
        }
        long authorized = 0;
        long released = 0;
        List<ProviderPayment.Capture> captures = List.of();
        switch (row.get().money()) {
            case NONE -> {
            }
            case HELD -> authorized = amount;
            case RELEASED -> {
                authorized = amount;
                released = amount;
            }
            case TAKEN -> {
                Long captured = captured(said, known);
                if (captured == null) {
                    return new ProviderResult.Unknown<>("T-Bank payment " + said.paymentId() + " is " + said.status()
                            + " but the amount Confirm took is not known here");
                }
                authorized = amount;
                released = amount - captured;
                captures = List.of(new ProviderPayment.Capture(captureId(said.paymentId()), captured, null));
            }
        }
        PaymentState state = row.get().state();
        String failureCode = null;
        String failureMessage = null;
        if (state == PaymentState.FAILED) {
            failureCode = said.errorCode() != null && !"0".equals(said.errorCode()) ? said.errorCode()
                    : said.status().toLowerCase(Locale.ROOT);
            failureMessage = said.message() != null ? said.message() : "T-Bank: payment " + said.status();
        }
        String orderId = said.orderId() != null ? said.orderId() : known.map(TBankPayments.Known::orderId).orElse(null);
        return new ProviderResult.Done<>(new ProviderPayment(said.paymentId(), orderId, state,
                Money.of(amount, CURRENCY), authorized, released, captures, List.of(), said.redirectUrl(), failureCode,
                failureMessage, List.of()));
    }

    /**
     * What Confirm took: as remembered; for a one-stage payment the whole amount; otherwise, while
     * the payment is plainly CONFIRMED (no refund has lowered it yet), T-Bank's current amount.
     */
    static Long captured(Said said, Optional<TBankPayments.Known> known) {
        if (known.isPresent() && known.get().confirmedMinor() != null) {
            return known.get().confirmedMinor();
        }
        if (known.isPresent() && !known.get().twoStage()) {
            return known.get().amountMinor();
        }
        return "CONFIRMED".equals(said.status()) ? said.currentAmount() : null;
    }

    static String captureId(String paymentId) {
        return "confirm-" + paymentId;
    }

    static String refundId(String paymentId, String externalRequestId) {
        return "cancel-" + paymentId + "-" + externalRequestId;
    }
}
