package io.moneytrail.sandbox;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The sandbox payment and refund as YooKassa's API objects (https://yookassa.ru/developers/api):
 * the fields YooKassa documents for each status and nothing else. The test card is always the
 * same Mastercard; {@code test} is always true, as for a YooKassa test shop.
 *
 * <p>YooKassa has one capture per payment: a capture of part of the amount completes the
 * payment and its {@code amount} becomes what was captured.
 */
@Component
@ConditionalOnSandbox
class YooKassaObjects {

    static final String DIALECT = "yookassa";
    /** How long YooKassa holds a two-stage authorisation. */
    static final Duration HOLD = Duration.ofDays(7);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Our cancellation reasons as YooKassa's {@code cancellation_details}: party and reason. */
    private static final Map<String, List<String>> CANCELLATIONS = Map.of(
            SandboxPayment.REASON_DECLINED, List.of("payment_network", "general_decline"),
            SandboxPayment.REASON_3DS_FAILED, List.of("payment_network", "3d_secure_failed"),
            SandboxPayment.REASON_VOIDED, List.of("merchant", "canceled_by_merchant"),
            "expired", List.of("yoo_money", "expired_on_capture"));

    private final SandboxStore store;
    private final YooKassaRefundDetails refundDetails;
    private final YooKassaSandboxUrls urls;
    private final YooKassaSandboxProperties properties;
    private final ObjectProvider<YooKassaReceipts> receipts;

    YooKassaObjects(SandboxStore store, YooKassaRefundDetails refundDetails, YooKassaSandboxUrls urls,
                    YooKassaSandboxProperties properties, ObjectProvider<YooKassaReceipts> receipts) {
        this.store = store;
        this.receipts = receipts;
        this.refundDetails = refundDetails;
        this.urls = urls;
        this.properties = properties;
    }

    /** What the dialect keeps with a payment: the merchant's description and metadata. */
    record Data(String description, JsonNode metadata) {

        static Data of(SandboxPayment payment) {
            if (payment.dialectData() == null) {
                return new Data(null, null);
            }
            JsonNode node = SandboxJson.body(payment.dialectData().getBytes(StandardCharsets.UTF_8)).node();
            JsonNode description = node.get("description");
            return new Data(description == null || description.isNull() ? null : description.asString(),
                    node.get("metadata"));
        }

        String json() {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("description", description);
            data.put("metadata", metadata);
            return SandboxJson.string(data);
        }

        /** The order id the merchant gave in {@code metadata.order_id}, or null. */
        String orderId() {
            JsonNode value = metadata == null ? null : metadata.get("order_id");
            return value == null || value.isNull() ? null : value.asString();
        }
    }

    Map<String, Object> payment(SandboxPayment p) {
        Data data = Data.of(p);
        boolean succeeded = SandboxPayment.SUCCEEDED.equals(p.status());
        boolean canceled = SandboxPayment.CANCELED.equals(p.status());
        boolean authorized = p.amountAuthorized() > 0;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", p.id());
        json.put("status", p.status());
        json.put("paid", authorized);
        json.put("amount", amount(succeeded ? p.amountCaptured() : p.amount(), p.currency()));
        if (authorized) {
            json.put("authorization_details", authorizationDetails(p));
        }
        if (canceled) {
            List<String> partyAndReason = CANCELLATIONS.getOrDefault(p.cancellationReason(),
                    List.of("yoo_money", "general_decline"));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("party", partyAndReason.get(0));
            details.put("reason", partyAndReason.get(1));
            json.put("cancellation_details", details);
        }
        if (succeeded) {
            List<SandboxPayment.Capture> captures = store.capturesOf(p.id());
            json.put("captured_at", time(captures.isEmpty() ? p.created() : captures.get(0).created()));
        }
        if (SandboxPayment.PENDING.equals(p.status())) {
            Map<String, Object> confirmation = new LinkedHashMap<>();
            confirmation.put("type", "redirect");
            confirmation.put("return_url", p.returnUrl());
            confirmation.put("confirmation_url", urls.confirmationUrl(p.id()));
            json.put("confirmation", confirmation);
        }
        json.put("created_at", time(p.created()));
        if (data.description() != null) {
            json.put("description", data.description());
        }
        if (SandboxPayment.WAITING_FOR_CAPTURE.equals(p.status())) {
            json.put("expires_at", time(p.created().plus(HOLD)));
        }
        if (succeeded) {
            json.put("income_amount", amount(p.amountCaptured() - fee(p.amountCaptured()), p.currency()));
        }
        json.put("metadata", data.metadata() == null ? Map.of() : data.metadata());
        if (!SandboxPayment.PENDING.equals(p.status())) {
            json.put("payment_method", paymentMethod(p));
        }
        Map<String, Object> recipient = new LinkedHashMap<>();
        recipient.put("account_id", properties.shopId());
        recipient.put("gateway_id", properties.gatewayId());
        json.put("recipient", recipient);
        // a receipt sent with the payment: where its registration is (pending, succeeded, canceled)
        YooKassaReceipts known = receipts.getIfAvailable();
        if (known != null) {
            known.ofPaymentRequest(p.id()).ifPresent(r -> json.put("receipt_registration", r.status()));
        }
        json.put("refundable", succeeded && p.amountRefundable() > 0);
        if (succeeded) {
            json.put("refunded_amount", amount(p.amountRefunded(), p.currency()));
        }
        json.put("test", true);
        return json;
    }

    Map<String, Object> refund(SandboxPayment.Refund r, String currency) {
        YooKassaRefundDetails.Details details = refundDetails.find(r.id())
                .orElse(new YooKassaRefundDetails.Details(null, null));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", r.id());
        json.put("payment_id", r.paymentId());
        json.put("status", r.status());
        json.put("created_at", time(r.created()));
        json.put("amount", amount(r.amount(), currency));
        if (details.description() != null) {
            json.put("description", details.description());
        }
        if (details.metadata() != null) {
            json.put("metadata", SandboxJson.body(details.metadata().getBytes(StandardCharsets.UTF_8)).node());
        }
        YooKassaReceipts known = receipts.getIfAvailable();
        if (known != null) {
            known.of(r.paymentId(), r.id()).stream().findFirst()
                    .ifPresent(receipt -> json.put("receipt_registration", receipt.status()));
        }
        return json;
    }

    /** YooKassa's fee on a captured amount, rounded half up to the minor unit. */
    long fee(long capturedMinor) {
        return BigDecimal.valueOf(capturedMinor).multiply(properties.feePercent())
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP).longValueExact();
    }

    static Map<String, Object> amount(long minor, String currency) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("value", value(minor, currency));
        json.put("currency", currency);
        return json;
    }

    /** Minor units as YooKassa's decimal string in the currency's exponent: 150000 RUB is "1500.00". */
    static String value(long minor, String currency) {
        return BigDecimal.valueOf(minor, Currency.getInstance(currency).getDefaultFractionDigits()).toPlainString();
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    private static Map<String, Object> authorizationDetails(SandboxPayment p) {
        Map<String, Object> details = new LinkedHashMap<>();
        // stable per payment, in the documented shapes: a 12-digit RRN and a 6-digit code
        details.put("rrn", String.format("%012d", Math.floorMod((long) p.id().hashCode(), 1_000_000_000_000L)));
        details.put("auth_code", String.format("%06d", Math.floorMod(p.id().hashCode(), 1_000_000)));
        details.put("three_d_secure", Map.of("applied", SandboxPayment.THREE_DS_PASSED.equals(p.threeDSecure())));
        return details;
    }

    private static Map<String, Object> paymentMethod(SandboxPayment p) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("first6", "555555");
        card.put("last4", "4477");
        card.put("expiry_month", "12");
        card.put("expiry_year", "2030");
        card.put("card_type", "MasterCard");
        card.put("issuer_country", "RU");
        Map<String, Object> method = new LinkedHashMap<>();
        method.put("type", "bank_card");
        method.put("id", p.id());
        method.put("saved", false);
        method.put("title", "Bank card *4477");
        method.put("card", card);
        return method;
    }

    /** Turns a list of refunds into YooKassa's list object. */
    static Map<String, Object> list(List<Map<String, Object>> items, String nextCursor) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", "list");
        json.put("items", new ArrayList<>(items));
        if (nextCursor != null) {
            json.put("next_cursor", nextCursor);
        }
        return json;
    }
}
