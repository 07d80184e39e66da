package io.moneytrail.sandbox;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The {@code receipt} object of YooKassa's payment and refund requests and the body of
 * {@code POST /v3/receipts}, validated as YooKassa documents them
 * (https://yookassa.ru/developers/api, https://yookassa.ru/developers/54fz/parameters-values): a customer
 * with an e-mail or a phone, 1..100 items each with a description (at most 128 characters), a positive
 * quantity, an amount in the payment's currency, {@code vat_code} an integer 1..12, a known
 * {@code payment_mode} and {@code payment_subject}, a known {@code measure}; {@code tax_system_code}
 * 1..6. The items must add up to what they are for (the payment's or refund's amount, or the
 * settlements of a receipt sent on its own). A refusal names the parameter, as YooKassa's errors do.
 */
final class YooKassaReceiptRequests {

    static final int ITEMS_MAX = 100;
    static final int DESCRIPTION_MAX = 128;
    static final Set<String> PAYMENT_MODES = Set.of("full_prepayment", "partial_prepayment", "advance", "full_payment",
            "partial_payment", "credit", "credit_payment");
    static final Set<String> PAYMENT_SUBJECTS = Set.of("commodity", "excise", "job", "service", "gambling_bet",
            "gambling_prize", "lottery", "lottery_prize", "intellectual_activity", "payment", "agent_commission",
            "composite", "another");
    static final Set<String> MEASURES = Set.of("piece", "gram", "kilogram", "ton", "centimeter", "decimeter", "meter",
            "square_centimeter", "square_decimeter", "square_meter", "milliliter", "liter", "cubic_meter",
            "kilowatt_hour", "gigacalorie", "day", "hour", "minute", "second", "kilobyte", "megabyte", "gigabyte",
            "terabyte", "another");
    static final Set<String> SETTLEMENT_TYPES = Set.of("cashless", "prepayment", "postpayment", "consideration");

    private YooKassaReceiptRequests() {
    }

    /** A checked receipt: what is stored (as received) and the sum of its items in minor units. */
    record Checked(Map<String, Object> stored, long itemsTotal, String email) {
    }

    /**
     * Checks the {@code receipt} of a payment or refund request of {@code amount} minor units; null when
     * there is none.
     */
    static Checked inRequest(JsonNode receipt, long amount, String currency) {
        if (receipt == null || receipt.isNull()) {
            return null;
        }
        if (!receipt.isObject()) {
            throw YooKassaError.invalid("receipt", "receipt must be an object");
        }
        Checked checked = common(receipt, "receipt.", currency);
        if (checked.itemsTotal() != amount) {
            throw YooKassaError.invalid("receipt.items", "the sum of receipt.items ("
                    + YooKassaObjects.value(checked.itemsTotal(), currency) + ") must equal the amount ("
                    + YooKassaObjects.value(amount, currency) + ")");
        }
        Map<String, Object> stored = new LinkedHashMap<>(checked.stored());
        stored.put("settlements", List.of(Map.of("type", "cashless", "amount",
                YooKassaObjects.amount(amount, currency))));
        return new Checked(stored, checked.itemsTotal(), checked.email());
    }

    /** Checks a receipt sent on its own; its settlements must add up to its items. */
    static Checked onItsOwn(JsonNode body, String currency) {
        Checked checked = common(body, "", currency);
        JsonNode send = body.get("send");
        if (send == null || !send.isBoolean()) {
            throw YooKassaError.invalid("send", "send is required: true or false");
        }
        JsonNode settlements = body.get("settlements");
        if (settlements == null || !settlements.isArray() || settlements.isEmpty()) {
            throw YooKassaError.invalid("settlements", "settlements is required: a non-empty array");
        }
        long settled = 0;
        List<Object> stored = new java.util.ArrayList<>();
        for (int i = 0; i < settlements.size(); i++) {
            JsonNode settlement = settlements.get(i);
            String type = settlement.path("type").isString() ? settlement.get("type").asString() : null;
            if (type == null || !SETTLEMENT_TYPES.contains(type)) {
                throw YooKassaError.invalid("settlements[" + i + "].type", "settlements[" + i
                        + "].type is one of " + SETTLEMENT_TYPES);
            }
            long amount = YooKassaRequests.amountMinor(settlement.get("amount"), currency,
                    "settlements[" + i + "].amount");
            settled += amount;
            stored.add(Map.of("type", type, "amount", YooKassaObjects.amount(amount, currency)));
        }
        if (settled != checked.itemsTotal()) {
            throw YooKassaError.invalid("settlements", "the settlements (" + YooKassaObjects.value(settled, currency)
                    + ") must equal the sum of items (" + YooKassaObjects.value(checked.itemsTotal(), currency) + ")");
        }
        Map<String, Object> all = new LinkedHashMap<>(checked.stored());
        all.put("settlements", stored);
        return new Checked(all, checked.itemsTotal(), checked.email());
    }

    private static Checked common(JsonNode receipt, String prefix, String currency) {
        JsonNode customer = receipt.get("customer");
        String email = null;
        Map<String, Object> storedCustomer = new LinkedHashMap<>();
        if (customer != null && customer.isObject()) {
            email = YooKassaRequests.text(customer, "email", 64, prefix + "customer.email");
            String phone = YooKassaRequests.text(customer, "phone", 15, prefix + "customer.phone");
            if (phone != null && !phone.matches("\\d{11,15}")) {
                throw YooKassaError.invalid(prefix + "customer.phone", prefix
                        + "customer.phone is digits in ITU-T E.164, such as 79000000000");
            }
            if (email != null) {
                storedCustomer.put("email", email);
            }
            if (phone != null) {
                storedCustomer.put("phone", phone);
            }
        }
        if (storedCustomer.isEmpty()) {
            throw YooKassaError.invalid(prefix + "customer", prefix + "customer needs an email or a phone, where the "
                    + "receipt is sent");
        }
        JsonNode items = receipt.get("items");
        if (items == null || !items.isArray() || items.isEmpty() || items.size() > ITEMS_MAX) {
            throw YooKassaError.invalid(prefix + "items", prefix + "items is required: 1 to " + ITEMS_MAX + " items");
        }
        long total = 0;
        List<Object> storedItems = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = prefix + "items[" + i + "]";
            JsonNode item = items.get(i);
            String description = YooKassaRequests.text(item, "description", DESCRIPTION_MAX, at + ".description");
            if (description == null || description.isBlank()) {
                throw YooKassaError.invalid(at + ".description", at + ".description is required");
            }
            JsonNode quantityNode = item.get("quantity");
            BigDecimal quantity;
            try {
                quantity = quantityNode == null || quantityNode.isNull() ? null
                        : new BigDecimal(quantityNode.isNumber() ? quantityNode.decimalValue().toPlainString()
                        : quantityNode.asString());
            } catch (NumberFormatException e) {
                quantity = null;
            }
            if (quantity == null || quantity.signum() <= 0 || quantity.scale() > 3) {
                throw YooKassaError.invalid(at + ".quantity", at + ".quantity is a positive number with at most 3 "
                        + "decimals");
            }
            long unit = YooKassaRequests.amountMinor(item.get("amount"), currency, at + ".amount");
            JsonNode vat = item.get("vat_code");
            if (vat == null || !vat.isIntegralNumber() || vat.asInt() < 1 || vat.asInt() > 12) {
                throw YooKassaError.invalid(at + ".vat_code", at + ".vat_code is an integer from 1 to 12");
            }
            String mode = YooKassaRequests.text(item, "payment_mode", 32, at + ".payment_mode");
            if (mode != null && !PAYMENT_MODES.contains(mode)) {
                throw YooKassaError.invalid(at + ".payment_mode", at + ".payment_mode is one of " + PAYMENT_MODES);
            }
            String subject = YooKassaRequests.text(item, "payment_subject", 32, at + ".payment_subject");
            if (subject != null && !PAYMENT_SUBJECTS.contains(subject)) {
                throw YooKassaError.invalid(at + ".payment_subject", at + ".payment_subject is not a known value");
            }
            String measure = YooKassaRequests.text(item, "measure", 32, at + ".measure");
            if (measure != null && !MEASURES.contains(measure)) {
                throw YooKassaError.invalid(at + ".measure", at + ".measure is not a known value");
            }
            BigDecimal sum = quantity.multiply(BigDecimal.valueOf(unit));
            total += sum.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
            Map<String, Object> stored = new LinkedHashMap<>();
            stored.put("description", description);
            BigDecimal plain = quantity.stripTrailingZeros();
            stored.put("quantity", plain.scale() < 0 ? plain.setScale(0) : plain);
            stored.put("amount", YooKassaObjects.amount(unit, currency));
            stored.put("vat_code", vat.asInt());
            if (mode != null) {
                stored.put("payment_mode", mode);
            }
            if (subject != null) {
                stored.put("payment_subject", subject);
            }
            if (measure != null) {
                stored.put("measure", measure);
            }
            storedItems.add(stored);
        }
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("customer", storedCustomer);
        stored.put("items", storedItems);
        JsonNode tax = receipt.get("tax_system_code");
        if (tax != null && !tax.isNull()) {
            if (!tax.isIntegralNumber() || tax.asInt() < 1 || tax.asInt() > 6) {
                throw YooKassaError.invalid(prefix + "tax_system_code", prefix
                        + "tax_system_code is an integer from 1 to 6");
            }
            stored.put("tax_system_code", tax.asInt());
        }
        return new Checked(stored, total, email);
    }
}
