package io.moneytrail.provider.yookassa;

import io.moneytrail.money.Money;
import io.moneytrail.payment.PaymentState;
import io.moneytrail.payment.ProviderPayment;
import io.moneytrail.payment.RefundState;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads YooKassa's payment and refund objects into our snapshot, through {@link YooKassaStatuses}.
 * A status, reason or amount it cannot read is not guessed at: the answer is empty and the
 * adapter reports the outcome as unknown.
 *
 * <p>YooKassa's payment object does not keep the authorised amount once part of it is captured
 * ({@code amount} becomes what was captured), so the amount we asked for travels in
 * {@code metadata.requested_amount} and comes back with every answer.
 */
final class YooKassaPayments {

    static final String ORDER_ID = "order_id";
    static final String PAYMENT_ID = "payment_id";
    static final String REQUESTED_AMOUNT = "requested_amount";
    static final String REFUND_ID = "refund_id";

    private YooKassaPayments() {
    }

    /** A reading that may fail: the snapshot, or why it is unknown. */
    record Read<T>(T value, String unknownReason) {
        static <T> Read<T> of(T value) {
            return new Read<>(value, null);
        }

        static <T> Read<T> unknown(String reason) {
            return new Read<>(null, reason);
        }
    }

    static Read<ProviderPayment> payment(JsonNode node, List<ProviderPayment.Refund> refunds) {
        String id = YooKassaClient.text(node, "id");
        String status = YooKassaClient.text(node, "status");
        if (id == null || status == null) {
            return Read.unknown("payment object lacks id or status");
        }
        Money amount;
        Money requested;
        try {
            amount = YooKassaAmounts.parse(node.get("amount"));
            requested = requested(node, amount);
        } catch (RuntimeException e) {
            return Read.unknown("payment " + id + ": " + e.getMessage());
        }
        String merchantReference = YooKassaClient.text(node.path("metadata"), PAYMENT_ID);
        String redirectUrl = YooKassaClient.text(node.path("confirmation"), "confirmation_url");
        if ("canceled".equals(status)) {
            return canceled(node, id, merchantReference, requested, redirectUrl, refunds);
        }
        Optional<PaymentState> state = YooKassaStatuses.payment(status);
        if (state.isEmpty()) {
            return Read.unknown("payment " + id + " has status '" + status + "', which is not in the status table");
        }
        long authorized = 0;
        long released = 0;
        List<ProviderPayment.Capture> captures = new ArrayList<>();
        switch (state.get()) {
            case AUTHORIZED -> authorized = requested.amountMinor();
            case CAPTURED -> {
                authorized = requested.amountMinor();
                captures.add(new ProviderPayment.Capture(id, amount.amountMinor(), instant(node, "captured_at")));
                released = Math.max(0, requested.amountMinor() - amount.amountMinor());
            }
            default -> {
                // pending: nothing authorised yet
            }
        }
        return Read.of(new ProviderPayment(id, merchantReference, state.get(), requested, authorized, released,
                captures, refunds, redirectUrl, null, null, List.of()));
    }

    private static Read<ProviderPayment> canceled(JsonNode node, String id, String merchantReference, Money requested,
                                                  String redirectUrl, List<ProviderPayment.Refund> refunds) {
        JsonNode details = node.path("cancellation_details");
        String reason = YooKassaClient.text(details, "reason");
        String party = YooKassaClient.text(details, "party");
        Optional<YooKassaStatuses.Cancellation> cancellation = YooKassaStatuses.cancellation(reason);
        if (cancellation.isEmpty()) {
            return Read.unknown("payment " + id + " is canceled with reason '" + reason
                    + "', which is not in the status table");
        }
        YooKassaStatuses.Cancellation c = cancellation.get();
        long held = c.wasAuthorized() ? requested.amountMinor() : 0;
        String who = party == null ? "unstated party" : YooKassaStatuses.CANCELLATION_PARTIES.getOrDefault(party, party);
        String message = "yookassa: " + c.message() + " (canceled by " + who + ")";
        return Read.of(new ProviderPayment(id, merchantReference, c.state(), requested, held, held, List.of(), refunds,
                redirectUrl, reason, message, List.of()));
    }

    /** The amount we asked for, from metadata; YooKassa's {@code amount} if it is absent (a payment made elsewhere). */
    private static Money requested(JsonNode node, Money amount) {
        String text = YooKassaClient.text(node.path("metadata"), REQUESTED_AMOUNT);
        if (text == null) {
            return amount;
        }
        Money requested = YooKassaAmounts.parse(text, amount.currencyCode());
        if (requested.amountMinor() < amount.amountMinor()) {
            throw new IllegalArgumentException("amount " + amount + " exceeds the requested " + requested);
        }
        return requested;
    }

    static Read<ProviderPayment.Refund> refund(JsonNode node) {
        String id = YooKassaClient.text(node, "id");
        String status = YooKassaClient.text(node, "status");
        Optional<RefundState> state = YooKassaStatuses.refund(status);
        if (id == null || state.isEmpty()) {
            return Read.unknown("refund " + id + " has status '" + status + "', which is not in the status table");
        }
        Money amount;
        try {
            amount = YooKassaAmounts.parse(node.get("amount"));
        } catch (RuntimeException e) {
            return Read.unknown("refund " + id + ": " + e.getMessage());
        }
        return Read.of(new ProviderPayment.Refund(id, YooKassaClient.text(node.path("metadata"), REFUND_ID),
                amount.amountMinor(), state.get(), instant(node, "created_at")));
    }

    /** YooKassa writes times as ISO 8601 in UTC ({@code 2018-07-18T10:51:18.139Z}). */
    static Instant instant(JsonNode node, String field) {
        String text = YooKassaClient.text(node, field);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
