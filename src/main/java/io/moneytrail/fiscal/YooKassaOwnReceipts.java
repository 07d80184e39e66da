package io.moneytrail.fiscal;

import io.moneytrail.payment.Payment;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.payment.ProviderReceipt;
import io.moneytrail.payment.ProviderReceipts;
import io.moneytrail.payment.ProviderResult;
import io.moneytrail.payment.Refund;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * YooKassa's own receipts as a fiscal provider. The receipts of payments and refunds travelled inside
 * their requests ({@link YooKassaReceiptSource}); "sending" one is finding what YooKassa made of it,
 * {@code GET /v3/receipts?payment_id=…} (or {@code refund_id=…}). The offset of an advance at
 * fulfilment is sent on its own, {@code POST /v3/receipts} with a settlement of type {@code prepayment},
 * as is a retried receipt YooKassa canceled (then settled {@code cashless}). A taken receipt is asked
 * about by {@code GET /v3/receipts/{id}}: {@code pending}, {@code succeeded} (its fiscal attributes are
 * kept) or {@code canceled} (the review queue). YooKassa's API has no correction receipts.
 */
@Component
class YooKassaOwnReceipts implements FiscalProvider {

    static final String ERROR_TYPE = "yookassa";

    private final ObjectProvider<ProviderReceipts> adapters;
    private final PaymentQueries payments;
    private final FiscalSettings settings;

    YooKassaOwnReceipts(ObjectProvider<ProviderReceipts> adapters, PaymentQueries payments, FiscalSettings settings) {
        this.adapters = adapters;
        this.payments = payments;
        this.settings = settings;
    }

    @Override
    public String name() {
        return FiscalSettings.YOOKASSA;
    }

    private ProviderReceipts yookassa() {
        return adapters.orderedStream().filter(a -> FiscalSettings.YOOKASSA.equals(a.provider())).findFirst()
                .orElse(null);
    }

    @Override
    public Outcome register(Receipt receipt) {
        ProviderReceipts yookassa = yookassa();
        if (yookassa == null) {
            return new Outcome.Unknown("YooKassa is not configured in this process (MONEYTRAIL_YOOKASSA_SHOP_ID, "
                    + "_SECRET_KEY)");
        }
        if (receipt.type().isCorrection()) {
            return refused("YooKassa's API registers no correction receipts: register the correction in YooKassa's "
                    + "account or through another cash register");
        }
        Object advancePayment = receipt.data().get("payment"); // an offset's: the advance's payment
        String paymentId = receipt.purpose() == ReceiptPurpose.OFFSET
                ? (advancePayment == null ? null : advancePayment.toString()) : receipt.paymentId();
        Payment payment = paymentId == null ? null : payments.get(paymentId);
        if (payment == null || !FiscalSettings.YOOKASSA.equals(payment.provider())) {
            return refused("YooKassa's own receipts cover payments through YooKassa only; "
                    + (payment == null ? "no payment to attach it to" : "paid through " + payment.provider()));
        }
        if (payment.providerPaymentId() == null) {
            return new Outcome.Unknown("payment " + payment.id() + " is not known at YooKassa yet");
        }
        String providerRefundId = null;
        if (receipt.refundId() != null) {
            Refund refund = payments.getRefund(receipt.refundId());
            providerRefundId = refund.providerRefundId();
            if (providerRefundId == null) {
                return new Outcome.Unknown("refund " + refund.id() + " is not known at YooKassa yet");
            }
        }
        boolean retried = receipt.data().containsKey("earlier_external_ids");
        if (receipt.purpose() == ReceiptPurpose.OFFSET || retried) {
            ProviderReceipt.Kind kind = receipt.refundId() != null ? ProviderReceipt.Kind.REFUND
                    : ProviderReceipt.Kind.PAYMENT;
            String settlement = receipt.purpose() == ReceiptPurpose.OFFSET ? "prepayment" : "cashless";
            ProviderReceipt own = YooKassaReceiptSource.of(kind, receipt.items(), receipt.paymentMethod(),
                    receipt.data().get("client") instanceof Map<?, ?> client ? client : Map.of(),
                    settings.company().sno(), payment.providerPaymentId(), providerRefundId,
                    List.of(new ProviderReceipt.Settlement(settlement, receipt.total())));
            return outcome(yookassa.register(own, receipt.externalId()), true);
        }
        ProviderResult<List<ProviderReceipts.Registration>> found = yookassa.of(payment.providerPaymentId(),
                providerRefundId);
        if (!(found instanceof ProviderResult.Done<List<ProviderReceipts.Registration>> done)) {
            return unknown(found);
        }
        ProviderReceipt.Kind kind = providerRefundId != null ? ProviderReceipt.Kind.REFUND : ProviderReceipt.Kind.PAYMENT;
        // the receipt that travelled with the request: of its kind, not an offset; the one for our total first
        // (a partial capture's receipt replaced the payment's), then one not canceled
        ProviderReceipts.Registration best = null;
        for (ProviderReceipts.Registration r : done.value()) {
            if (r.kind() == kind && !r.offset() && (best == null || rank(r, receipt) > rank(best, receipt))) {
                best = r;
            }
        }
        if (best == null) {
            // none listed: the payment's (refund's) receipt_registration says whether one went with it at all
            ProviderResult<String> registration = yookassa.registrationOf(payment.providerPaymentId(), providerRefundId);
            if (registration instanceof ProviderResult.Done<String> said && said.value() == null) {
                // the request carried no receipt (made before YooKassa's receipts were switched on): send it on its own
                return outcome(yookassa.register(YooKassaReceiptSource.of(kind, receipt.items(), receipt.paymentMethod(),
                        receipt.data().get("client") instanceof Map<?, ?> client ? client : Map.of(),
                        settings.company().sno(), payment.providerPaymentId(), providerRefundId,
                        List.of(new ProviderReceipt.Settlement("cashless", receipt.total()))), receipt.externalId()),
                        true);
            }
            if (registration instanceof ProviderResult.Done<String> said && "canceled".equals(said.value())) {
                return new Outcome.Failed(null, new ReceiptError(null, "YooKassa canceled the receipt's registration "
                        + "(receipt_registration canceled)", ERROR_TYPE));
            }
            return new Outcome.Unknown("YooKassa has no " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " receipt for " + (providerRefundId != null ? "refund " + providerRefundId
                    : "payment " + payment.providerPaymentId()) + " yet");
        }
        return outcome(new ProviderResult.Done<>(best), true);
    }

    private static int rank(ProviderReceipts.Registration r, Receipt receipt) {
        return (r.total() == receipt.total() ? 2 : 0) + ("canceled".equals(r.status()) ? 0 : 1);
    }

    @Override
    public Outcome report(Receipt receipt) {
        ProviderReceipts yookassa = yookassa();
        if (yookassa == null) {
            return new Outcome.Unknown("YooKassa is not configured in this process");
        }
        return outcome(yookassa.get(receipt.externalUuid()), false);
    }

    private static Outcome outcome(ProviderResult<ProviderReceipts.Registration> answer, boolean sending) {
        if (answer instanceof ProviderResult.Done<ProviderReceipts.Registration> done) {
            ProviderReceipts.Registration r = done.value();
            return switch (r.status()) {
                case "pending" -> sending ? new Outcome.Accepted(r.id()) : new Outcome.Waiting();
                case "succeeded" -> {
                    Map<String, Object> fiscal = fiscal(r.fiscal());
                    yield fiscal == null ? new Outcome.Unknown("YooKassa says receipt " + r.id()
                            + " succeeded without its fiscal attributes") : new Outcome.Done(r.id(), fiscal);
                }
                case "canceled" -> new Outcome.Failed(r.id(), new ReceiptError(null,
                        "YooKassa canceled the receipt's registration", ERROR_TYPE));
                default -> new Outcome.Unknown("YooKassa reports receipt " + r.id() + " as " + r.status());
            };
        }
        if (answer instanceof ProviderResult.Rejected<ProviderReceipts.Registration> rejected) {
            return new Outcome.Failed(null, new ReceiptError(null, rejected.code() + ": " + rejected.message(),
                    ERROR_TYPE));
        }
        return unknown(answer);
    }

    private static Outcome unknown(ProviderResult<?> answer) {
        if (answer instanceof ProviderResult.Rejected<?> rejected) {
            return new Outcome.Unknown("YooKassa refused: " + rejected.code() + " " + rejected.message());
        }
        return new Outcome.Unknown(answer instanceof ProviderResult.Unknown<?> unknown ? unknown.reason()
                : String.valueOf(answer));
    }

    private static Outcome refused(String why) {
        return new Outcome.Failed(null, new ReceiptError(null, why, "moneytrail"));
    }

    /**
     * YooKassa's fiscal attributes as receipts keep them: the drive's number ({@code fiscal_storage_number})
     * as {@code fn_number}, the document's number, its fiscal sign ({@code fiscal_attribute}) as
     * {@code fiscal_document_attribute}, the registration time in Moscow time, and YooKassa's own names
     * beside them. Null when one the QR code needs is missing.
     */
    static Map<String, Object> fiscal(Map<String, Object> yookassa) {
        Object storage = yookassa.get("fiscal_storage_number");
        Object number = yookassa.get("fiscal_document_number");
        Object sign = yookassa.get("fiscal_attribute");
        Object registered = yookassa.get("registered_at");
        if (storage == null || number == null || sign == null || registered == null) {
            return null;
        }
        LocalDateTime at;
        long documentNumber;
        long fiscalSign;
        try {
            at = OffsetDateTime.parse(registered.toString()).atZoneSameInstant(AtolOnline.MOSCOW).toLocalDateTime();
            documentNumber = Long.parseLong(number.toString());
            fiscalSign = Long.parseLong(sign.toString());
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
        Map<String, Object> fiscal = new LinkedHashMap<>();
        fiscal.put("fn_number", storage.toString());
        fiscal.put("fiscal_document_number", documentNumber);
        fiscal.put("fiscal_document_attribute", fiscalSign);
        fiscal.put("receipt_datetime", at.withNano(0).toString());
        fiscal.put("fiscal_storage_number", storage.toString());
        fiscal.put("fiscal_attribute", sign.toString());
        fiscal.put("registered_at", registered.toString());
        fiscal.put("fiscal_provider_id", yookassa.get("fiscal_provider_id"));
        return fiscal;
    }
}
