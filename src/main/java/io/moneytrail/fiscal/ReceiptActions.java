package io.moneytrail.fiscal;

import io.moneytrail.access.AuditTrail;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.Order;
import io.moneytrail.order.OrderLine;
import io.moneytrail.order.OrderService;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.payment.RefundLine;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What people do with receipts: retry a failed one, correct one with a correction receipt, and
 * (for the refund API) check the lines a refund names against its order.
 */
@Service
public class ReceiptActions {

    /** Longest base document number of a correction (54-FZ tag 1179). */
    static final int BASE_NUMBER_LENGTH_MAX = 32;

    private final ReceiptStore store;
    private final Receipts receipts;
    private final FiscalSettings settings;
    private final OrderService orders;
    private final PaymentQueries payments;
    private final AuditTrail audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    ReceiptActions(ReceiptStore store, Receipts receipts, FiscalSettings settings, OrderService orders,
                   PaymentQueries payments, AuditTrail audit, TransactionTemplate tx, Clock clock) {
        this.store = store;
        this.receipts = receipts;
        this.settings = settings;
        this.orders = orders;
        this.payments = payments;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Sends a failed receipt again: a new document (new {@code external_id}) when the provider refused
     * it, or the same document asked about again when it was taken but never answered. 409
     * {@code receipt_not_failed} otherwise.
     */
    public Receipt retry(String id) {
        return tx.execute(status -> {
            Receipt receipt = receipts.get(id);
            if (receipt.status() != ReceiptStatus.FAILED || receipt.data().containsKey("settled_by")) {
                throw MoneytrailException.state("receipt_not_failed", "receipt " + id + " is "
                        + receipt.status().wire() + (receipt.data().containsKey("settled_by")
                        ? ", settled by " + receipt.data().get("settled_by") : "") + "; only a failed receipt is retried");
            }
            if (receipt.items().isEmpty()) {
                throw MoneytrailException.state("receipt_not_buildable", "receipt " + id + " could not be built ("
                        + (receipt.error() == null ? "" : receipt.error().text()) + "); settle it with a correction");
            }
            boolean askAgain = receipt.externalUuid() != null && receipt.error() != null
                    && "moneytrail".equals(receipt.error().type());
            store.retry(receipt, askAgain, clock.instant());
            audit.record("receipt.retry", "receipt", id, AuditTrail.Outcome.SUCCEEDED, null,
                    Map.of("order", receipt.orderId(), "ask_again", askAgain));
            return receipts.get(id);
        });
    }

    /**
     * Issues a correction receipt for {@code receiptId} ({@code sell_correction} for a sell,
     * {@code sell_refund_correction} for a refund) with the same items and total: the settlement the
     * failed (or wrong) receipt should have registered. {@code correctionType} {@code self} (the shop's own
     * decision) or {@code instruction} (by the tax service's order, which needs {@code baseNumber}).
     * The receipt it corrects leaves the review queue.
     */
    public Receipt correct(String receiptId, String correctionType, LocalDate baseDate, String baseNumber) {
        String type = correctionType == null ? "self" : correctionType;
        if (!type.equals("self") && !type.equals("instruction")) {
            throw MoneytrailException.invalid("parameter_invalid", "correction_type", "correction_type is self or instruction");
        }
        if (type.equals("instruction") && (baseNumber == null || baseNumber.isBlank())) {
            throw MoneytrailException.invalid("parameter_missing", "base_number",
                    "a correction by the tax service's instruction names its number");
        }
        if (baseNumber != null && baseNumber.length() > BASE_NUMBER_LENGTH_MAX) {
            throw MoneytrailException.invalid("parameter_too_long", "base_number",
                    "base_number is at most " + BASE_NUMBER_LENGTH_MAX + " characters");
        }
        if (receiptId == null || receiptId.isBlank()) {
            throw MoneytrailException.invalid("parameter_missing", "receipt", "receipt is required");
        }
        return tx.execute(status -> {
            Receipt original = receipts.get(receiptId);
            if (original.type().isCorrection()) {
                throw MoneytrailException.state("receipt_is_a_correction", "receipt " + receiptId
                        + " is itself a correction; correct the receipt it corrects");
            }
            if (original.items().isEmpty()) {
                throw MoneytrailException.state("receipt_not_buildable", "receipt " + receiptId + " has no items ("
                        + (original.error() == null ? "" : original.error().text()) + "); fix the order line first");
            }
            if (original.data().containsKey("settled_by")) {
                throw MoneytrailException.state("receipt_already_corrected", "receipt " + receiptId
                        + " is already settled by " + original.data().get("settled_by"));
            }
            LocalDate base = baseDate == null ? LocalDate.ofInstant(original.createdAt(), AtolOnline.MOSCOW) : baseDate;
            ReceiptDraft draft = correction(original, type, base, baseNumber);
            String id = store.insert(original.orderId(), original.paymentId(), original.refundId(),
                            "correction:" + receiptId, receiptId, draft, original.currency(), settings.provider(),
                            clock.instant())
                    .orElseThrow(() -> MoneytrailException.state("receipt_already_corrected", "receipt " + receiptId
                            + " already has a correction"));
            store.settledBy(receiptId, id, clock.instant());
            audit.record("receipt.correct", "receipt", id, AuditTrail.Outcome.SUCCEEDED, null,
                    Map.of("corrects", receiptId, "order", original.orderId(), "type", type));
            return receipts.get(id);
        });
    }

    /** The correction receipt of {@code original}: same items, method and total, with its basis. */
    static ReceiptDraft correction(Receipt original, String type, LocalDate baseDate, String baseNumber) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("client", original.data().getOrDefault("client", Map.of()));
        data.put("correction_type", type);
        data.put("base_date", AtolBodies.DATE.format(baseDate));
        if (baseNumber != null) {
            data.put("base_number", baseNumber);
        }
        return new ReceiptDraft(original.type() == ReceiptType.SELL_REFUND ? ReceiptType.SELL_REFUND_CORRECTION
                : ReceiptType.SELL_CORRECTION, original.paymentMethod(), ReceiptPurpose.CORRECTION, original.total(),
                original.items(), original.vats(), AtolBodies.paymentType(original), data);
    }

    /**
     * Checks the lines a refund names against the payment's order (each sku once, a line of the order,
     * a whole quantity no more than ordered less what earlier refunds named) and answers what they are
     * worth in minor units.
     */
    public long priceRefundLines(String paymentId, List<RefundLine> lines) {
        if (lines.isEmpty()) {
            throw MoneytrailException.invalid("parameter_invalid", "lines", "lines, when given, name at least one line");
        }
        Order order = orders.get(payments.get(paymentId).orderId());
        Map<String, Long> returned = new HashMap<>();
        for (RefundLine line : payments.refundedLines(order.id())) {
            returned.merge(line.sku(), line.quantity(), Long::sum);
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        long worth = 0;
        for (int i = 0; i < lines.size(); i++) {
            RefundLine line = lines.get(i);
            String at = "lines[" + i + "]";
            OrderLine ordered = order.lines().stream().filter(l -> l.sku().equals(line.sku())).findFirst()
                    .orElseThrow(() -> MoneytrailException.invalid("parameter_invalid", at + "[sku]",
                            "the order has no line with sku " + line.sku()));
            if (!seen.add(line.sku())) {
                throw MoneytrailException.invalid("parameter_invalid", at + "[sku]", "sku " + line.sku()
                        + " is named twice");
            }
            long left = ordered.quantity() - returned.getOrDefault(line.sku(), 0L);
            if (line.quantity() < 1 || line.quantity() > left) {
                throw MoneytrailException.invalid("quantity_invalid", at + "[quantity]", "quantity of " + line.sku()
                        + " is from 1 to " + left + " (ordered " + ordered.quantity() + ", refunded earlier "
                        + returned.getOrDefault(line.sku(), 0L) + ")");
            }
            worth = Math.addExact(worth, Math.multiplyExact(line.quantity(), ordered.unitAmount()));
        }
        return worth;
    }
}
