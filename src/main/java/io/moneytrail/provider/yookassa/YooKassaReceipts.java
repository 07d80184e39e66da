package io.moneytrail.provider.yookassa;

import io.moneytrail.money.Money;
import io.moneytrail.payment.ProviderReceipt;
import io.moneytrail.payment.ProviderReceipts;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * YooKassa's {@code receipt} object (inside {@code POST /v3/payments} and {@code POST /v3/refunds}) and
 * its receipt requests and objects ({@code POST /v3/receipts}, {@code GET /v3/receipts}), from and to
 * our neutral {@link ProviderReceipt}. Codes as YooKassa's reference of parameter values lists them
 * (https://yookassa.ru/developers/54fz/parameters-values): {@code vat_code} an integer 1..12,
 * {@code tax_system_code} 1..6, {@code measure} a name for 54-FZ tag 2108.
 */
final class YooKassaReceipts {

    /** 54-FZ rate names to YooKassa's {@code vat_code}. */
    static final Map<String, Integer> VAT_CODES = Map.ofEntries(
            Map.entry("none", 1), Map.entry("vat0", 2), Map.entry("vat10", 3), Map.entry("vat20", 4),
            Map.entry("vat110", 5), Map.entry("vat120", 6), Map.entry("vat5", 7), Map.entry("vat7", 8),
            Map.entry("vat105", 9), Map.entry("vat107", 10), Map.entry("vat22", 11), Map.entry("vat122", 12));

    /** Our tax systems to YooKassa's {@code tax_system_code} (4, ENVD, ended in 2021). */
    static final Map<String, Integer> TAX_SYSTEMS = Map.of("osn", 1, "usn_income", 2, "usn_income_outcome", 3,
            "esn", 5, "patent", 6);

    /** 54-FZ tag 2108 to YooKassa's {@code measure}. */
    static final Map<Integer, String> MEASURES = Map.ofEntries(
            Map.entry(0, "piece"), Map.entry(10, "gram"), Map.entry(11, "kilogram"), Map.entry(12, "ton"),
            Map.entry(20, "centimeter"), Map.entry(21, "decimeter"), Map.entry(22, "meter"),
            Map.entry(30, "square_centimeter"), Map.entry(31, "square_decimeter"), Map.entry(32, "square_meter"),
            Map.entry(40, "milliliter"), Map.entry(41, "liter"), Map.entry(42, "cubic_meter"),
            Map.entry(50, "kilowatt_hour"), Map.entry(51, "gigacalorie"), Map.entry(70, "day"), Map.entry(71, "hour"),
            Map.entry(72, "minute"), Map.entry(73, "second"), Map.entry(80, "kilobyte"), Map.entry(81, "megabyte"),
            Map.entry(82, "gigabyte"), Map.entry(83, "terabyte"), Map.entry(255, "another"));

    /** YooKassa's bound on an item's description. */
    static final int DESCRIPTION_MAX = 128;

    private YooKassaReceipts() {
    }

    /** The {@code receipt} object of a payment or refund request. */
    static Map<String, Object> inRequest(ProviderReceipt receipt) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("customer", customer(receipt));
        json.put("items", items(receipt));
        if (receipt.taxSystem() != null) {
            json.put("tax_system_code", taxSystem(receipt.taxSystem()));
        }
        return json;
    }

    /** The body of {@code POST /v3/receipts}: a receipt of its own for a payment or refund, sent to the customer. */
    static Map<String, Object> onItsOwn(ProviderReceipt receipt) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("customer", customer(receipt));
        json.put("type", receipt.kind() == ProviderReceipt.Kind.REFUND ? "refund" : "payment");
        if (receipt.kind() == ProviderReceipt.Kind.REFUND) {
            json.put("refund_id", receipt.providerRefundId());
        } else {
            json.put("payment_id", receipt.providerPaymentId());
        }
        json.put("send", true);
        json.put("items", items(receipt));
        if (receipt.taxSystem() != null) {
            json.put("tax_system_code", taxSystem(receipt.taxSystem()));
        }
        List<Map<String, Object>> settlements = new ArrayList<>();
        for (ProviderReceipt.Settlement settlement : receipt.settlements()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("type", settlement.type());
            s.put("amount", amount(settlement.amount(), receipt.currency()));
            settlements.add(s);
        }
        json.put("settlements", settlements);
        return json;
    }

    private static Map<String, Object> customer(ProviderReceipt receipt) {
        Map<String, Object> customer = new LinkedHashMap<>();
        if (receipt.email() != null) {
            customer.put("email", receipt.email());
        } else if (receipt.phone() != null) {
            customer.put("phone", phone(receipt.phone()));
        }
        return customer;
    }

    /** YooKassa takes the phone in ITU-T E.164 digits, without the plus ({@code 79000000000}). */
    static String phone(String phone) {
        return phone.replaceAll("[^0-9]", "");
    }

    private static List<Map<String, Object>> items(ProviderReceipt receipt) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (ProviderReceipt.Item item : receipt.items()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("description", item.description().length() > DESCRIPTION_MAX
                    ? item.description().substring(0, DESCRIPTION_MAX) : item.description());
            json.put("quantity", item.quantity());
            json.put("amount", amount(item.unitAmount(), receipt.currency()));
            Integer vat = VAT_CODES.get(item.vat());
            if (vat == null) {
                throw new IllegalArgumentException("no YooKassa vat_code for " + item.vat());
            }
            json.put("vat_code", vat);
            json.put("payment_mode", item.paymentMode());
            json.put("payment_subject", item.paymentSubject());
            String measure = MEASURES.get(item.measure());
            if (measure == null) {
                throw new IllegalArgumentException("no YooKassa measure for 54-FZ unit code " + item.measure());
            }
            json.put("measure", measure);
            items.add(json);
        }
        return items;
    }

    static int taxSystem(String sno) {
        Integer code = TAX_SYSTEMS.get(sno);
        if (code == null) {
            throw new IllegalArgumentException("no YooKassa tax_system_code for " + sno);
        }
        return code;
    }

    private static Map<String, Object> amount(long minor, String currency) {
        return YooKassaAmounts.amount(new Money(minor, Currency.getInstance(currency)));
    }

    /** A receipt object as the fiscal module reads it; null when it is not one. */
    static ProviderReceipts.Registration registration(JsonNode node) {
        String id = YooKassaClient.text(node, "id");
        String type = YooKassaClient.text(node, "type");
        String status = YooKassaClient.text(node, "status");
        if (id == null || status == null || !("payment".equals(type) || "refund".equals(type))) {
            return null;
        }
        boolean offset = false;
        for (JsonNode settlement : node.path("settlements")) {
            offset |= "prepayment".equals(YooKassaClient.text(settlement, "type"));
        }
        long total = 0;
        try {
            for (JsonNode item : node.path("items")) {
                Money unit = YooKassaAmounts.parse(item.get("amount"));
                total += Math.round(unit.amountMinor() * item.path("quantity").asDouble(1));
            }
        } catch (RuntimeException unreadable) {
            total = -1;
        }
        Map<String, Object> fiscal = new LinkedHashMap<>();
        for (String field : List.of("fiscal_document_number", "fiscal_storage_number", "fiscal_attribute",
                "registered_at", "fiscal_provider_id")) {
            String value = YooKassaClient.text(node, field);
            if (value != null) {
                fiscal.put(field, value);
            }
        }
        return new ProviderReceipts.Registration(id, "refund".equals(type) ? ProviderReceipt.Kind.REFUND
                : ProviderReceipt.Kind.PAYMENT, status, offset, total, fiscal);
    }
}
