package io.moneytrail.api;

import io.moneytrail.fiscal.FiscalAttributes;
import io.moneytrail.fiscal.Receipt;
import io.moneytrail.fiscal.ReceiptActions;
import io.moneytrail.fiscal.ReceiptItem;
import io.moneytrail.fiscal.ReceiptStatus;
import io.moneytrail.fiscal.Receipts;
import io.moneytrail.money.Dates;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.OrderService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** 54-FZ fiscal receipts: an order's, a list by status and period, one; retry and corrections. */
@RestController
@Tag(name = "Fiscal receipts")
class ReceiptsController {

    static final String RECEIPT_PREFIX = "rct_";

    private final Receipts receipts;
    private final ReceiptActions actions;
    private final OrderService orders;

    ReceiptsController(Receipts receipts, ReceiptActions actions, OrderService orders) {
        this.receipts = receipts;
        this.actions = actions;
        this.orders = orders;
    }

    /** {@code POST /v1/receipts/corrections}: the receipt to correct, and the correction's basis. */
    record CreateCorrection(String receipt, String correctionType, String baseDate, String baseNumber) {
    }

    @PostMapping("/v1/receipts/{id}/retry")
    @Operation(summary = "Send a failed receipt again (a new document when the provider refused it; asked again when "
            + "it never answered)")
    ReceiptView retry(@PathVariable String id) {
        return view(actions.retry(Pages.id(id, RECEIPT_PREFIX, "id")));
    }

    @PostMapping("/v1/receipts/corrections")
    @Operation(summary = "Issue a correction receipt (sell_correction / sell_refund_correction) for a failed or wrong "
            + "receipt, with the same items and total")
    ReceiptView correct(@RequestBody CreateCorrection body) {
        if (body == null) {
            throw MoneytrailException.invalid("body_invalid", null, "request body is required");
        }
        LocalDate baseDate = null;
        if (body.baseDate() != null) {
            try {
                baseDate = Dates.inRange(LocalDate.parse(body.baseDate()), "base_date");
            } catch (DateTimeParseException e) {
                throw MoneytrailException.invalid("parameter_invalid", "base_date", "base_date is a date (2026-12-01)");
            }
        }
        return view(actions.correct(Pages.id(body.receipt(), RECEIPT_PREFIX, "receipt"), body.correctionType(),
                baseDate, body.baseNumber()));
    }

    record ItemView(String name, String sku, long price, long quantity, long sum, String vat, long vatSum,
                    int paymentObject, int measure) {
    }

    record ErrorView(Integer code, String text, String type) {
    }

    record ReceiptView(String id, String object, String order, String payment, String refund, String type,
                       String paymentMethod, String purpose, String status, long total, String currency,
                       List<ItemView> items, Map<String, Long> vats, String provider, String externalId,
                       String externalUuid, Map<String, Object> fiscal, String qr, ErrorView error,
                       Map<String, Object> data, String corrects, int attempts, long created, long updated) {
    }

    @GetMapping("/v1/orders/{id}/receipts")
    @Operation(summary = "The order's fiscal receipts, oldest first, with their fiscal attributes once registered")
    Views.ListView<ReceiptView> ofOrder(@PathVariable String id) {
        orders.requireExists(id);
        return Views.list(receipts.ofOrder(id).stream().map(ReceiptsController::view).toList(), false,
                "/v1/orders/" + id + "/receipts");
    }

    @GetMapping("/v1/receipts")
    @Operation(summary = "Receipts by status and creation period (from inclusive, to exclusive), oldest first")
    Views.ListView<ReceiptView> list(@RequestParam(required = false) String status,
                                     @RequestParam(required = false) String from,
                                     @RequestParam(required = false) String to,
                                     @RequestParam(name = "starting_after", required = false) String startingAfter,
                                     @RequestParam(required = false) Integer limit) {
        int pageSize = Pages.limit(limit);
        ReceiptStatus wanted = status == null ? null : Arrays.stream(ReceiptStatus.values())
                .filter(s -> s.wire().equals(status)).findFirst()
                .orElseThrow(() -> MoneytrailException.invalid("parameter_invalid", "status",
                        "status is one of pending, done, failed"));
        Instant fromAt = from == null ? null : LedgerController.instant(from, "from", false);
        Instant toAt = to == null ? null : LedgerController.instant(to, "to", false);
        List<Receipt> page = receipts.list(wanted, fromAt, toAt, Pages.cursor(startingAfter, RECEIPT_PREFIX),
                pageSize + 1);
        return Views.list(page.stream().limit(pageSize).map(ReceiptsController::view).toList(),
                page.size() > pageSize, "/v1/receipts");
    }

    @GetMapping("/v1/receipts/{id}")
    ReceiptView get(@PathVariable String id) {
        return view(receipts.get(id));
    }

    static ReceiptView view(Receipt r) {
        return new ReceiptView(r.id(), "receipt", r.orderId(), r.paymentId(), r.refundId(), r.type().wire(),
                r.paymentMethod().wire(), r.purpose().wire(), r.status().wire(), r.total(), r.currency(),
                r.items().stream().map(ReceiptsController::item).toList(), r.vats(), r.provider(), r.externalId(),
                r.externalUuid(), fiscal(r.fiscal()), r.qr(),
                r.error() == null ? null : new ErrorView(r.error().code(), r.error().text(), r.error().type()),
                r.data(), r.correctsId(), r.attempts(), r.createdAt().getEpochSecond(), r.updatedAt().getEpochSecond());
    }

    private static ItemView item(ReceiptItem i) {
        return new ItemView(i.name(), i.sku(), i.price(), i.quantity(), i.sum(), i.vat(), i.vatSum(), i.paymentObject(),
                i.measure());
    }

    private static Map<String, Object> fiscal(FiscalAttributes f) {
        if (f == null) {
            return null;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("fn_number", f.fnNumber());
        view.put("fiscal_document_number", f.fiscalDocumentNumber());
        view.put("fiscal_sign", f.fiscalDocumentAttribute());
        view.put("fiscal_receipt_number", f.fiscalReceiptNumber());
        view.put("shift_number", f.shiftNumber());
        view.put("receipt_datetime", f.receiptDatetime().toString());
        view.put("ecr_registration_number", f.ecrRegistrationNumber());
        view.put("fns_site", f.fnsSite());
        view.put("ofd_inn", f.ofdInn());
        if (f.registeredAt() != null) { // YooKassa's own receipts
            view.put("registered_at", f.registeredAt().toString());
            view.put("fiscal_provider_id", f.fiscalProviderId());
        }
        return view;
    }
}
