package io.moneytrail.sandbox;

import com.stripe.Stripe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Stripe dialect's objects as Stripe's API answers them (API version of stripe-java's
 * release train, {@link Stripe#API_VERSION}): Checkout Session, PaymentIntent, Charge, Refund,
 * Dispute, Event and list. Each is rendered from the sandbox payment and the dialect's data at
 * the moment of asking, so the API, the events and the report always agree.
 */
final class StripeObjects {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private StripeObjects() {
    }

    /** What the Checkout Session and PaymentIntent statuses are, derived from the sandbox payment. */
    static String intentStatus(SandboxPayment p) {
        return switch (p.status()) {
            case SandboxPayment.PENDING -> "requires_payment_method"; // exists only after a declined attempt
            case SandboxPayment.WAITING_FOR_CAPTURE -> "requires_capture";
            case SandboxPayment.SUCCEEDED -> "succeeded";
            case SandboxPayment.CANCELED -> "canceled";
            default -> throw new IllegalStateException("sandbox status " + p.status());
        };
    }

    static Map<String, Object> session(SandboxPayment p, StripeData d, String url) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", StripeData.sessionId(p.id()));
        json.put("object", "checkout.session");
        json.put("amount_subtotal", p.amount());
        json.put("amount_total", p.amount());
        json.put("cancel_url", d.cancelUrl());
        json.put("client_reference_id", d.clientReferenceId());
        json.put("created", d.created());
        json.put("currency", lower(p.currency()));
        json.put("customer", null);
        json.put("customer_email", null);
        json.put("expires_at", d.expiresAt());
        json.put("livemode", false);
        json.put("metadata", d.sessionMetadata());
        json.put("mode", "payment");
        json.put("payment_intent", d.intentExists() ? p.id() : null);
        json.put("payment_method_types", List.of("card"));
        json.put("payment_status", p.amountCaptured() > 0 ? "paid" : "unpaid");
        json.put("status", d.sessionStatus());
        json.put("success_url", d.successUrl());
        json.put("ui_mode", "hosted_page");
        json.put("url", StripeData.OPEN.equals(d.sessionStatus()) ? url : null);
        return json;
    }

    static Map<String, Object> intent(SandboxPayment p, StripeData d) {
        String status = intentStatus(p);
        boolean authorized = p.amountAuthorized() > 0;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", p.id());
        json.put("object", "payment_intent");
        json.put("amount", p.amount());
        json.put("amount_capturable", SandboxPayment.WAITING_FOR_CAPTURE.equals(p.status()) ? p.amountCapturable() : 0);
        json.put("amount_received", p.amountCaptured());
        json.put("canceled_at", "canceled".equals(status) ? d.canceledAt() : null);
        json.put("cancellation_reason", "canceled".equals(status) ? d.cancellationReason() : null);
        json.put("capture_method", p.captureMethod());
        json.put("client_secret", p.id() + "_secret_sandbox");
        json.put("confirmation_method", "automatic");
        json.put("created", d.intentCreated());
        json.put("currency", lower(p.currency()));
        json.put("description", null);
        json.put("last_payment_error", d.lastPaymentError());
        json.put("latest_charge", authorized ? StripeData.chargeId(p.id()) : null);
        json.put("livemode", false);
        json.put("metadata", d.intentMetadata());
        json.put("next_action", null);
        json.put("payment_method", authorized ? "pm_" + StripeData.suffix(p.id()) : null);
        json.put("payment_method_types", List.of("card"));
        json.put("status", status);
        return json;
    }

    /**
     * The charge of an authorised PaymentIntent. As at Stripe, what a partial capture or a void
     * released counts as refunded on the charge (the report shows it as a partial-capture reversal).
     */
    static Map<String, Object> charge(SandboxPayment p, StripeData d, boolean disputed) {
        String id = StripeData.chargeId(p.id());
        long refunded = p.amountReleased() + p.amountRefunded();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("object", "charge");
        json.put("amount", p.amountAuthorized());
        json.put("amount_captured", p.amountCaptured());
        json.put("amount_refunded", refunded);
        json.put("balance_transaction", p.amountCaptured() > 0 ? StripeReports.transactionId(id, "") : null);
        json.put("captured", p.amountCaptured() > 0);
        json.put("created", d.intentCreated());
        json.put("currency", lower(p.currency()));
        json.put("disputed", disputed);
        json.put("failure_code", null);
        json.put("failure_message", null);
        json.put("livemode", false);
        json.put("metadata", d.intentMetadata());
        json.put("paid", true);
        json.put("payment_intent", p.id());
        json.put("payment_method", "pm_" + StripeData.suffix(p.id()));
        json.put("refunded", refunded == p.amountAuthorized());
        json.put("status", "succeeded");
        return json;
    }

    static Map<String, Object> refund(SandboxPayment.Refund r, SandboxPayment p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", r.id());
        json.put("object", "refund");
        json.put("amount", r.amount());
        json.put("balance_transaction", StripeReports.transactionId(r.id(), ""));
        json.put("charge", StripeData.chargeId(p.id()));
        json.put("created", r.created().getEpochSecond());
        json.put("currency", lower(p.currency()));
        json.put("metadata", refundMetadata(r));
        json.put("payment_intent", p.id());
        json.put("reason", null);
        json.put("status", r.status());
        return json;
    }

    static Map<String, Object> dispute(StripeDisputes.Dispute dispute) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", dispute.id());
        json.put("object", "dispute");
        json.put("amount", dispute.amount());
        json.put("balance_transactions", List.of());
        json.put("charge", StripeData.chargeId(dispute.paymentId()));
        json.put("created", dispute.created().getEpochSecond());
        json.put("currency", lower(dispute.currency()));
        json.put("is_charge_refundable", false);
        json.put("livemode", false);
        json.put("metadata", Map.of());
        json.put("payment_intent", dispute.paymentId());
        json.put("reason", dispute.reason());
        json.put("status", dispute.status());
        return json;
    }

    static Map<String, Object> event(String id, String type, Map<String, Object> object, Instant now) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", null);
        request.put("idempotency_key", null);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("object", "event");
        json.put("api_version", Stripe.API_VERSION);
        json.put("created", now.getEpochSecond());
        json.put("data", Map.of("object", object));
        json.put("livemode", false);
        json.put("pending_webhooks", 1);
        json.put("request", request);
        json.put("type", type);
        return json;
    }

    static Map<String, Object> list(String url, List<Map<String, Object>> data, boolean hasMore) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("object", "list");
        json.put("data", new ArrayList<>(data));
        json.put("has_more", hasMore);
        json.put("url", url);
        return json;
    }

    /** A refund's metadata, kept as JSON in the sandbox refund's merchant reference. */
    @SuppressWarnings("unchecked")
    static Map<String, String> refundMetadata(SandboxPayment.Refund r) {
        if (r.merchantReference() == null) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(r.merchantReference(), Map.class);
        } catch (JacksonException e) {
            return Map.of();
        }
    }

    static String metadataJson(Map<String, String> metadata) {
        return MAPPER.writeValueAsString(metadata);
    }

    static String lower(String currency) {
        return currency.toLowerCase(Locale.ROOT);
    }
}
