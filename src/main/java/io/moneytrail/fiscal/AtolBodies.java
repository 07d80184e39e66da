package io.moneytrail.fiscal;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bodies of ATOL Online API v5's registration requests ({@code {group}/sell}, {@code sell_refund},
 * {@code sell_correction}, {@code sell_refund_correction}), built from a stored receipt. Sums are
 * roubles with two decimals; {@code measure} and {@code payment_object} are v5's integers; each
 * item carries its VAT type and the VAT inside it, and {@code vats} the VAT per type.
 */
final class AtolBodies {

    /** ATOL's request timestamp, in the shop's (Moscow) time. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss");
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AtolBodies() {
    }

    /** The body of the receipt's registration request; {@code at}: when it is sent (Moscow time). */
    static ObjectNode of(Receipt receipt, FiscalCompany company, LocalDateTime at) {
        ObjectNode body = NODES.objectNode();
        body.put("timestamp", TIMESTAMP.format(at));
        body.put("external_id", receipt.externalId());
        ObjectNode document = NODES.objectNode();
        if (!receipt.type().isCorrection()) {
            ObjectNode client = document.putObject("client");
            Object contact = receipt.data().get("client");
            if (contact instanceof Map<?, ?> map) {
                map.forEach((k, v) -> client.put(String.valueOf(k), String.valueOf(v)));
            }
        }
        ObjectNode seller = document.putObject("company");
        seller.put("email", company.email());
        seller.put("sno", company.sno());
        seller.put("inn", company.inn());
        seller.put("payment_address", company.paymentAddress());
        if (receipt.type().isCorrection()) {
            ObjectNode info = document.putObject("correction_info");
            info.put("type", String.valueOf(receipt.data().getOrDefault("correction_type", "self")));
            info.put("base_date", String.valueOf(receipt.data().get("base_date")));
            Object number = receipt.data().get("base_number");
            if (number != null) {
                info.put("base_number", String.valueOf(number));
            }
        }
        ArrayNode items = document.putArray("items");
        for (ReceiptItem item : receipt.items()) {
            ObjectNode line = items.addObject();
            line.put("name", item.name());
            line.put("price", roubles(item.price()));
            line.put("quantity", item.quantity());
            line.put("measure", item.measure());
            line.put("sum", roubles(item.sum()));
            line.put("payment_method", receipt.paymentMethod().wire());
            line.put("payment_object", item.paymentObject());
            ObjectNode vat = line.putObject("vat");
            vat.put("type", item.vat());
            vat.put("sum", roubles(item.vatSum()));
        }
        ObjectNode payment = document.putArray("payments").addObject();
        payment.put("type", paymentType(receipt));
        payment.put("sum", roubles(receipt.total()));
        ArrayNode vats = document.putArray("vats");
        receipt.vats().forEach((type, sum) -> vats.addObject().put("type", type).put("sum", roubles(sum)));
        document.put("total", roubles(receipt.total()));
        body.set(receipt.type().isCorrection() ? "correction" : "receipt", document);
        return body;
    }

    /** 2 for the offset of an advance (and its correction), else 1 (electronic money). */
    static int paymentType(Receipt receipt) {
        Object stated = receipt.data().get("payment_type");
        if (stated instanceof Number number) {
            return number.intValue();
        }
        return receipt.purpose() == ReceiptPurpose.OFFSET ? ReceiptRules.PAYMENT_ADVANCE : ReceiptRules.PAYMENT_ELECTRONIC;
    }

    static BigDecimal roubles(long kopecks) {
        return BigDecimal.valueOf(kopecks, 2);
    }

    static String text(JsonNode body) {
        return body.toString();
    }
}
