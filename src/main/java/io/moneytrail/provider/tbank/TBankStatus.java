package io.moneytrail.provider.tbank;

import io.moneytrail.payment.PaymentState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * T-Bank's payment statuses, every one its acquiring API reference documents ("Статусная модель
 * платежа", the SBP status model and the status reference), as data: what each says about the
 * money and which of our states it is. A status in flight whose outcome is not decided yet
 * ({@code CONFIRMING}, {@code CONFIRM_CHECKING}, {@code REVERSING}) and one our model cannot hold
 * ({@code PARTIAL_REVERSED}: part of an authorisation released, the rest still held) have no
 * state: the adapter answers "unknown" and the resolver asks again (and, past its schedule, an
 * operator decides). A status missing from the table is unknown too: we never guess.
 */
final class TBankStatus {

    /** What a status says about the customer's money. */
    enum Money {
        /** nothing was authorised (yet, or ever) */
        NONE,
        /** authorised and held, not taken */
        HELD,
        /** taken (confirmed); refunds, if any, are separate facts */
        TAKEN,
        /** authorised, then released in full */
        RELEASED
    }

    /** One row: a T-Bank status, our state for it (null: not decided, ask again) and its money. */
    record Row(String status, PaymentState state, Money money) {
    }

    static final Map<String, Row> TABLE = table(
            new Row("NEW", PaymentState.REQUIRES_ACTION, Money.NONE),             // Init done; not paid
            new Row("FORM_SHOWED", PaymentState.REQUIRES_ACTION, Money.NONE),     // the form is open
            new Row("3DS_CHECKING", PaymentState.REQUIRES_ACTION, Money.NONE),    // the customer is in 3-D Secure
            new Row("AUTHORIZING", PaymentState.PROCESSING, Money.NONE),          // with the card network
            new Row("3DS_CHECKED", PaymentState.PROCESSING, Money.NONE),          // 3-D Secure passed, authorising
            new Row("PAY_CHECKING", PaymentState.PROCESSING, Money.NONE),         // "being processed"
            new Row("AUTHORIZED", PaymentState.AUTHORIZED, Money.HELD),           // two-stage: held, Confirm next
            new Row("CONFIRMING", null, Money.HELD),                              // Confirm in flight
            new Row("CONFIRM_CHECKING", null, Money.HELD),                        // Confirm's outcome unknown at T-Bank
            new Row("CONFIRMED", PaymentState.CAPTURED, Money.TAKEN),
            new Row("REVERSING", null, Money.HELD),                               // a void in flight
            new Row("PARTIAL_REVERSED", null, Money.HELD),                        // part released, part held
            new Row("REVERSED", PaymentState.VOIDED, Money.RELEASED),
            new Row("REFUNDING", PaymentState.CAPTURED, Money.TAKEN),             // a refund in flight
            new Row("ASYNC_REFUNDING", PaymentState.CAPTURED, Money.TAKEN),       // an SBP (QR) refund in flight
            new Row("PARTIAL_REFUNDED", PaymentState.CAPTURED, Money.TAKEN),
            new Row("REFUNDED", PaymentState.CAPTURED, Money.TAKEN),
            new Row("CANCELED", PaymentState.VOIDED, Money.NONE),                 // cancelled before it was paid
            new Row("REJECTED", PaymentState.FAILED, Money.NONE),                 // the bank declined
            new Row("AUTH_FAIL", PaymentState.FAILED, Money.NONE),                // error or 3-D Secure failed
            new Row("ATTEMPTS_EXPIRED", PaymentState.FAILED, Money.NONE),         // too many attempts to open the form
            new Row("DEADLINE_EXPIRED", PaymentState.EXPIRED, Money.NONE));       // link lifetime or 3-D Secure timed out

    private TBankStatus() {
    }

    /** The row of a status, if the table has one. */
    static Optional<Row> of(String status) {
        return Optional.ofNullable(status == null ? null : TABLE.get(status));
    }

    private static Map<String, Row> table(Row... rows) {
        Map<String, Row> table = new LinkedHashMap<>();
        for (Row row : rows) {
            if (table.put(row.status(), row) != null) {
                throw new IllegalStateException("T-Bank status " + row.status() + " appears twice");
            }
        }
        return java.util.Collections.unmodifiableMap(table);
    }
}
